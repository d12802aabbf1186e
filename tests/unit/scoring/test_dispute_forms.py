"""A trade or diplomatic dispute's general forms, as any pair's news puts them: the lists and
goods it is fought with, its formal protests, and the acts that end it."""

from __future__ import annotations

import pytest

from tensionwatch.scoring.scorer import Scorer


@pytest.mark.parametrize(
    ("title", "pair"),
    [
        ("Washington adds Chinese drone makers to its entity list", "CN-US"),
        ("Beijing places US arms firms on unreliable entity list", "CN-US"),
        ("Beijing suspends barley imports from Australia", "AU-CN"),
        ("Moscow bans Georgian wine imports", "GE-RU"),
        ("Beijing lodges stern representations with Ottawa", "CA-CN"),
        ("Vietnamese shoppers shun Chinese goods as the maritime row deepens", "CN-VN"),
        ("Seoul removes Tokyo from its export white list", "JP-KR"),
        ("Brasilia calls on Washington to scrap its steel tariffs", "BR-US"),
        ("Manila urges Beijing to revoke its fishing ban", "CN-PH"),
        ("Athens calls for a ban on Turkish drilling ships in its waters", "GR-TR"),
        ("Ottawa deeply regrets New Delhi's decision on visas", "CA-IN"),
        ("New Delhi cuts coal imports from Canberra", "AU-IN"),
        ("Washington labels Hanoi a currency manipulator", "US-VN"),
        ("Beijing halts purchases of Canadian canola", "CA-CN"),
        ("India goes ahead with its dam despite Pakistan's objections", "IN-PK"),
        ("Dhaka bans Indian films", "BD-IN"),
        ("Kabul stops postal service with Islamabad", "AF-PK"),
        ("Nepal calls back its high commissioner from India", "IN-NP"),
        ("Ceasefire violations along the border anger Yerevan and Baku", "AM-AZ"),
        ("Moscow suspends visa-free travel for Georgians", "GE-RU"),
        ("Beijing to stop imports of some Australian wines", "AU-CN"),
        ("Tehran says Riyadh will regret its decision", "IR-SA"),
        ("Manila says its patrol boat was harassed by Chinese vessels", "CN-PH"),
        ("Shots fired across the Armenia-Azerbaijan border", "AM-AZ"),
        ("Serbian forces placed on alert as Kosovo police move north", "RS-XK"),
        ("Chinese coast guard ships enter Japanese territorial waters", "CN-JP"),
        ("Baku accuses Yerevan of aggression", "AM-AZ"),
        ("Ankara and Athens head for a confrontation in the Aegean", "GR-TR"),
        ("Beijing calls Canberra a troublemaker", "AU-CN"),
    ],
)
def test_a_disputes_acts_read_as_escalation_of_their_pair(
    scorer: Scorer, title: str, pair: str
) -> None:
    score = scorer.score(title)
    assert score.direction == "escalation", score.evidence
    assert pair in [p.dyad for p in score.pairs]


@pytest.mark.parametrize(
    ("title", "pair"),
    [
        ("Washington removes Chinese telecom firms from entity list", "CN-US"),
        ("Beijing resumes coal imports from Australia", "AU-CN"),
        ("Ottawa and Beijing swap detained citizens", "CA-CN"),
        ("Seoul sends a conciliatory message to Tokyo on Liberation Day", "JP-KR"),
        ("Doha and Riyadh settle their differences", "QA-SA"),
        ("Moscow restores the visa-free regime with Tbilisi", "GE-RU"),
        ("Athens and Ankara to resume long-suspended exploratory talks", "GR-TR"),
        ("Rabat says it is open to dialog with Algiers", "DZ-MA"),
        ("Beijing and New Delhi agree to resolve their border dispute peacefully", "CN-IN"),
    ],
)
def test_a_disputes_end_reads_as_thaw_of_its_pair(scorer: Scorer, title: str, pair: str) -> None:
    score = scorer.score(title)
    assert score.direction == "thaw", score.evidence
    assert pair in [p.dyad for p in score.pairs]


def test_a_ban_for_an_animal_disease_is_no_sanction(scorer: Scorer) -> None:
    score = scorer.score("Brasilia suspends chicken exports to Beijing after a bird flu case")
    assert score.direction == "neutral"
    assert all("non-event" in e.rules for e in score.evidence)


def test_asking_a_state_to_drop_preconditions_for_a_treaty_is_no_demand(scorer: Scorer) -> None:
    score = scorer.score("Yerevan asks Baku to drop preconditions and sign a peace treaty")
    assert score.direction == "thaw", score.evidence
    assert not any(e.category == "DEMAND" for e in score.evidence)


def test_forces_pushed_back_are_no_postponement(scorer: Scorer) -> None:
    score = scorer.score("Russian forces pushed back to pre-war lines by Ukrainian counterattack")
    assert score.direction == "escalation"
    assert not any("non-event" in e.rules for e in score.evidence)


def test_a_teleconference_is_a_consultation_like_a_phone_call(scorer: Scorer) -> None:
    call = scorer.score("Islamabad and Kabul hold a teleconference on border trade")
    assert call.dyad == "AF-PK"
    assert [e.category for e in call.evidence if "secondary" not in e.rules] == ["CONSULT"]
