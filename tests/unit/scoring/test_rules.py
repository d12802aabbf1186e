"""Each rule, shown by a pair of texts that differ only in what the rule looks at."""

from __future__ import annotations

import pytest

from tensionwatch.models import Evidence, Score
from tensionwatch.scoring import rules
from tensionwatch.scoring import scorer as scorer_module
from tensionwatch.scoring.scorer import Scorer


def only(score: Score, phrase: str) -> Evidence:
    found = [e for e in score.evidence if e.phrase.lower() == phrase]
    assert len(found) == 1, [e.phrase for e in score.evidence]
    return found[0]


@pytest.mark.parametrize(
    "title",
    [
        "Moscow did not agree to talks with Kyiv",
        "Russia has no plans to lift sanctions on Ukraine",
        "Russia refused to resume talks with Ukraine",
        "Russia won't sign the treaty with Ukraine",
    ],
)
def test_negated_cooperation_reads_as_escalation(scorer: Scorer, title: str) -> None:
    score = scorer.score(title)
    assert score.direction == "escalation"
    assert any("negated" in e.rules for e in score.evidence)


@pytest.mark.parametrize(
    "title",
    ["Delhi will not sign the India-Pakistan trade deal", "Ankara refuses Erdogan-Assad meeting"],
)
def test_a_negator_reaches_across_a_hyphenated_pair(scorer: Scorer, title: str) -> None:
    """The hyphen joining two mentions is not the spaced dash that ends a clause."""
    assert scorer.score(title).direction == "escalation"
    assert any("negated" in e.rules for e in scorer.score(title).evidence)


@pytest.mark.parametrize(
    "title",
    ["No India-Pakistan trade deal this year", "No Erdogan-Assad meeting at the summit"],
)
def test_no_deal_or_meeting_is_nothing_happening(scorer: Scorer, title: str) -> None:
    """ "No X deal", "no summit" say that nothing happened (like "no agreement"), where
    refusing one is a rejection (CAMEO 12)."""
    score = scorer.score(title)
    assert score.direction == "neutral"
    assert all("non-event" in e.rules for e in score.evidence)


def test_exempting_goods_from_a_measure_undoes_it(scorer: Scorer) -> None:
    """The goods between the verb and its "from" may be a long list."""
    spared = scorer.score("India will exempt US almonds and apples from its new round of tariffs")
    kept = scorer.score("India will not exempt US almonds and apples from tariffs")
    assert spared.direction == "thaw"
    assert "reversed" in only(spared, "tariffs").rules
    assert kept.direction == "escalation"


def test_a_clause_that_opens_the_sentence_or_grants_a_background_stays_background(
    scorer: Scorer,
) -> None:
    """Only a "when/after" clause after its main clause can be what the sentence reports."""
    granted = scorer.score("Despite the trade war, China's exports hit a record")
    opened = scorer.score("After the summit, the two leaders toured the city")
    assert granted.direction == "neutral"
    assert "concessive" in only(opened, "summit").rules


def test_a_reverser_does_not_reach_into_the_next_clause(scorer: Scorer) -> None:
    """ "end" is the market's close here, and "as" starts a clause of its own: the curbs stand."""
    score = scorer.score("Jakarta shares end lower as China export curbs weigh")
    assert not any("reversed" in e.rules for e in score.evidence)
    assert score.direction != "thaw"


def test_negation_flips_and_shrinks_a_cooperative_act(scorer: Scorer) -> None:
    done = only(scorer.score("", "Russia and Ukraine reached a ceasefire."), "ceasefire")
    denied = only(scorer.score("", "Russia and Ukraine did not reach a ceasefire."), "ceasefire")
    assert denied.weight == pytest.approx(done.weight * rules.NEGATE_COOPERATION, abs=0.01)


def test_denied_attack_is_not_a_thaw(scorer: Scorer) -> None:
    assert scorer.score("", "Russia said it did not attack the convoy.").direction != "thaw"


def test_hedged_act_counts_less_than_the_realised_act(scorer: Scorer) -> None:
    realised = only(scorer.score("China imposed tariffs on Australia"), "imposed tariffs")
    hedged = only(scorer.score("China may impose tariffs on Australia"), "impose tariffs")
    assert "hedged" in hedged.rules
    assert hedged.weight == pytest.approx(realised.weight * rules.HEDGE_SCALAR, abs=0.01)
    assert hedged.weight < 0


@pytest.mark.parametrize(
    "title",
    [
        "US lifts sanctions on Iran",
        "China ends boycott of Australian wine",
        "Japan eases export curbs on South Korea",
        "Russia withdraws troops from the Ukrainian border",
        "Sanctions on Venezuela were lifted by the United States",
    ],
)
def test_reversed_escalation_reads_as_thaw(scorer: Scorer, title: str) -> None:
    score = scorer.score(title)
    assert score.direction == "thaw", score.evidence
    assert any("reversed" in e.rules for e in score.evidence) or "withdraws" in title


@pytest.mark.parametrize(
    "title",
    [
        "North Korea suspends talks with South Korea",
        "Israel breaks off negotiations with Hamas",
        "US cancels summit with North Korea",
        "Talks between India and Pakistan collapsed",
    ],
)
def test_reversed_cooperation_reads_as_escalation(scorer: Scorer, title: str) -> None:
    score = scorer.score(title)
    assert score.direction == "escalation", score.evidence


@pytest.mark.parametrize(
    ("title", "direction"),
    [
        ("Seoul suspends the termination of its military pact with Tokyo", "thaw"),
        ("Washington lifts the suspension of aid to Cairo", "thaw"),
        ("Brussels halts the lifting of sanctions on Minsk", "escalation"),
        ("Ankara suspends its decision to withdraw from the treaty with Athens", "thaw"),
        ("Tokyo scraps its plan to lift sanctions on Pyongyang", "escalation"),
    ],
)
def test_undoing_a_reversal_keeps_the_act(scorer: Scorer, title: str, direction: str) -> None:
    score = scorer.score(title)
    assert score.direction == direction, score.evidence
    assert any("double-reversed" in e.rules for e in score.evidence)
    assert not any("reversed" in e.rules for e in score.evidence)


def test_a_reverser_before_an_infinitive_does_not_undo_one(scorer: Scorer) -> None:
    # machine-translated copy reads like this: the first verb is not the second's object
    score = scorer.score("", "Washington will not remove to lift the sanctions on Tehran.")
    assert not any("double-reversed" in e.rules for e in score.evidence)
    assert any("reversed" in e.rules for e in score.evidence)


@pytest.mark.parametrize(
    "title",
    [
        "Yerevan quits stalled peace talks with Baku",  # a participle is the talks' state
        "Arms sales to Riyadh must stop, Berlin says",  # 'must' is no request
    ],
)
def test_a_single_reversal_stays_one(scorer: Scorer, title: str) -> None:
    score = scorer.score(title)
    assert score.direction == "escalation", score.evidence
    assert not any("double-reversed" in e.rules for e in score.evidence)


def test_a_reverser_after_a_demand_is_its_content_not_a_reversal(scorer: Scorer) -> None:
    score = scorer.score("Athens issued a protest demanding an end to Turkish drills")
    protest = only(score, "protest")
    assert "reversed" not in protest.rules
    assert score.direction == "escalation"


def test_reverser_word_is_not_counted_twice(scorer: Scorer) -> None:
    score = scorer.score(
        "", "Seoul announced its withdrawal from the intelligence pact with Tokyo."
    )
    assert score.direction == "escalation"
    assert not any(e.phrase.lower() == "withdrawal" for e in score.evidence)


def test_clause_after_but_dominates(scorer: Scorer) -> None:
    score = scorer.score("", "Armenia and Azerbaijan agreed to hold talks, but clashes continued.")
    assert "before-contrast" in only(score, "agreed to").rules
    assert "after-contrast" in only(score, "clashes").rules
    assert score.direction == "escalation"


def test_concessive_clause_is_background(scorer: Scorer) -> None:
    score = scorer.score("", "Despite the boycott, China and Japan agreed to resume talks.")
    assert "concessive" in only(score, "boycott").rules
    assert score.direction == "thaw"


def test_a_clause_that_is_all_the_sentence_reports_is_not_background(scorer: Scorer) -> None:
    """Nothing before "when" names an act or a topic: the summons is what happened. Beside a
    topic noun of its own ("military drills ... after the visit") the clause stays background."""
    told = scorer.score("Ankara showed open contempt when it summoned the Greek ambassador")
    drills = scorer.score("", "China held military drills near Taiwan after the senator's visit.")
    assert "concessive" not in only(told, "summoned the greek ambassador").rules
    assert told.direction == "escalation"
    assert "concessive" in only(drills, "visit").rules


def test_a_threat_named_is_a_topic_and_a_threat_made_is_an_act(scorer: Scorer) -> None:
    """ "the Russian threat" is what a story is about; "threatens" and "issues a threat" are
    CAMEO 130 acts, and a topic noun before a realised act does not take the lead from it."""
    named = scorer.score(
        "Vilnius says Minsk fails to grasp the Russian threat with its withdrawal from the pact"
    )
    assert "context" in only(named, "threat").rules
    assert "secondary" not in only(named, "pact").rules
    assert named.direction == "escalation"
    for title, phrase in [
        ("Russia threatens Lithuania", "threatens"),
        ("Russia issues threat to Lithuania", "issues threat"),
    ]:
        assert "context" not in only(scorer.score(title), phrase).rules


def test_a_kicker_names_the_topic_beside_the_headlines_own_act(scorer: Scorer) -> None:
    """ "Trade war:" before a colon labels the story; alone it is still what the headline says."""
    labelled = scorer.score("Trade war: Indian and Chinese negotiators agree to meet in May")
    alone = scorer.score("Nigeria-Ghana trade war: Nigerian shops shut down")
    assert "context" in only(labelled, "trade war").rules
    assert labelled.direction == "thaw"
    assert alone.direction == "escalation"


def test_booster_strengthens_and_dampener_weakens(scorer: Scorer) -> None:
    plain = only(scorer.score("", "The US imposed sanctions on Iran."), "imposed sanctions")
    strong = only(
        scorer.score("", "The US imposed sweeping sanctions on Iran."), "imposed sweeping sanctions"
    )
    weak = only(
        scorer.score("", "The US imposed limited sanctions on Iran."), "imposed limited sanctions"
    )
    assert strong.weight == pytest.approx(plain.weight * rules.BOOSTER_SCALAR, abs=0.01)
    assert weak.weight == pytest.approx(plain.weight * rules.DAMPENER_SCALAR, abs=0.01)


def test_headline_counts_more_than_body(scorer: Scorer) -> None:
    text = "Vietnam and China sign a trade deal"
    headline = scorer.score(text).evidence[0]
    body = scorer.score("", text).evidence[0]
    assert "headline" in headline.rules
    assert headline.weight == pytest.approx(body.weight * scorer_module.HEADLINE_WEIGHT, abs=0.01)


def test_later_body_sentences_count_less(scorer: Scorer) -> None:
    filler = "The ministers spoke in the capital. " * 6
    early = only(scorer.score("", "Greece and Turkey clashed at sea. " + filler), "clashed")
    late = only(scorer.score("", filler + "Greece and Turkey clashed at sea."), "clashed")
    assert abs(late.weight) < abs(early.weight)
    assert abs(late.weight) >= abs(early.weight) * scorer_module.DECAY_FLOOR - 0.01


def test_mixed_article_keeps_counter_evidence(scorer: Scorer) -> None:
    score = scorer.score(
        "India and Pakistan agree to resume talks",
        "Both leaders met in Delhi. Last week, Pakistan shelled Indian border posts.",
    )
    assert score.direction == "thaw"
    assert score.mixed
    assert any(e.weight < 0 for e in score.evidence)


def test_plain_statement_is_neutral_with_no_evidence(scorer: Scorer) -> None:
    score = scorer.score("The minister spoke to reporters in Paris on Tuesday")
    assert score.direction == "neutral"
    assert score.evidence == ()
    assert score.confidence == 0.0


def test_weak_evidence_stays_neutral(scorer: Scorer) -> None:
    assert scorer.score("", "There could be a dialogue later.").direction == "neutral"
    assert scorer.score("The UN calls on both sides").direction == "neutral"  # a lone appeal


def test_confidence_is_higher_when_evidence_agrees(scorer: Scorer) -> None:
    agreeing = scorer.score("Russia shells Kyiv as troops mass on the border")
    split = scorer.score("Russia shells Kyiv as the two sides sign a ceasefire")
    assert agreeing.confidence > split.confidence


@pytest.mark.parametrize(
    ("headline", "direction", "dyad"),
    [
        ("US slaps new tariffs on Chinese steel", "escalation", "CN-US"),
        ("China, Australia agree to resume trade talks", "thaw", "AU-CN"),
        ("Russia expels 10 US diplomats in tit-for-tat move", "escalation", "RU-US"),
        ("China warns Japan over Taiwan remarks", "escalation", "CN-JP"),
        ("Saudi Arabia and Iran restore diplomatic ties", "thaw", "IR-SA"),
        ("Poland summons Russian ambassador over missile strike", "escalation", "PL-RU"),
        ("Qatar, Gulf states end blockade", "thaw", None),
        ("Venezuela recalls ambassador from Colombia", "escalation", "CO-VE"),
        ("Turkey and Greece improve mutual understanding", "thaw", "GR-TR"),
        ("Japan's economy grows faster than expected", "neutral", None),
    ],
)
def test_typical_headline_forms(scorer: Scorer, headline: str, direction: str, dyad: str) -> None:
    score = scorer.score(headline)
    assert (score.direction, score.dyad) == (direction, dyad)


def test_claimed_attack_is_a_statement_not_a_new_act(scorer: Scorer) -> None:
    done = only(scorer.score("", "Rebels attacked an army base in Mali."), "attacked")
    claimed = scorer.score("", "Rebels claimed responsibility on Monday for attacks in Mali.")
    item = only(claimed, "attacks")
    assert "claimed" in item.rules
    assert abs(item.weight) == pytest.approx(abs(done.weight) * rules.CLAIM_SCALAR, abs=0.01)
    assert claimed.direction == "neutral"


def test_advising_against_a_visit_negates_it(scorer: Scorer) -> None:
    advised = scorer.score("Britain advises against travel to Iran")
    assert advised.direction == "escalation"
    assert "negated" in only(advised, "travel to").rules


@pytest.mark.parametrize(
    ("title", "direction"),
    [
        ("Qatar's emir received the Iranian foreign minister", "thaw"),
        ("Dock workers in Greece stopped work for a second day", "escalation"),
        ("Syrian troops fired anti-aircraft missiles at Israeli jets", "escalation"),
    ],
)
def test_hosting_work_stoppages_and_air_defence_fire(
    scorer: Scorer, title: str, direction: str
) -> None:
    assert scorer.score(title).direction == direction


@pytest.mark.parametrize(
    ("title", "direction"),
    [
        ("Italy criticises Spain over migrant boats", "escalation"),  # British spelling
        ("Storm brings floods to Spain and Portugal", "neutral"),  # the weather, not an assault
        ("Serbia stormed Kosovo police positions", "escalation"),
        ("Troops storm town near the Chad-Sudan border", "escalation"),
    ],
)
def test_spellings_and_weather_read_as_news_means_them(
    scorer: Scorer, title: str, direction: str
) -> None:
    assert scorer.score(title).direction == direction
