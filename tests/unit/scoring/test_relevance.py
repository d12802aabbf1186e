"""Relevance, word senses, non-events, the calibrated score and every pair: each shown both ways
on headlines written for these tests (none is from the labelled sets)."""

from __future__ import annotations

import pytest

from tensionwatch.models import Score
from tensionwatch.scoring.scorer import Scorer


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("Brazil and Argentina battle to goalless draw in World Cup qualifier", "sports"),
        ("India crush Pakistan by eight wickets in the Asia Cup", "sports"),
        ("French and German stocks rally as investors cheer rate cut hopes", "markets"),
        ("Storm batters Portugal and Spain, killing four", "weather"),
        ("Spain and Portugal battle wildfires as heatwave grips Iberia", "weather"),
        ("Korean and Japanese films clash at the Busan festival box office", "culture"),
    ],
)
def test_off_topic_headlines_are_neutral_and_name_no_pair(
    scorer: Scorer, title: str, topic: str
) -> None:
    score = scorer.score(title)
    assert score.relevance.topic == topic and not score.relevance.on_topic
    assert score.relevance.cues
    assert (score.direction, score.score, score.dyad, score.pairs) == ("neutral", 0.0, None, ())


@pytest.mark.parametrize(
    ("title", "direction"),
    [
        ("Indian and Pakistani troops clash on the disputed border", "escalation"),
        ("Russian forces battle Ukrainian army for control of the port", "escalation"),
        ("Protesters rally outside the Chinese embassy in Manila over sea dispute", "escalation"),
        ("Chile and Peru reach deal on maritime border", "thaw"),
    ],
)
def test_sense_words_count_beside_a_relations_cue(
    scorer: Scorer, title: str, direction: str
) -> None:
    score = scorer.score(title)
    assert score.relevance.on_topic
    assert score.direction == direction


def test_a_sense_word_without_a_relations_cue_reads_nothing_where_another_domain_speaks(
    scorer: Scorer,
) -> None:
    score = scorer.score("Liberal ads attack Labour over pension plans and the budget")
    assert score.direction == "neutral"
    assert not [e for e in score.evidence if e.phrase.lower() == "attack"]


@pytest.mark.parametrize(
    ("idiom", "act"),
    [
        ("Kenya's finance minister presents the budget", "Kenya pledges to finance Somalia's army"),
        ("Riot police guard the Dutch embassy in Ankara", "Rioters storm the Dutch embassy"),
        ("Airbus and Boeing battle it out for Indian orders", "India and China battle at the pass"),
        ("Turkish ministry issues press release on Iraq", "Turkey to release Iraqi detainees"),
        ("Oil demand from China and India slows", "China demands India withdraw troops"),
        (
            "Poland holds emergency cabinet meeting over Russian drone",
            "Polish and Russian envoys hold meeting over drone",
        ),
        ("Canadian stocks rally on Mexican trade data", "Canadians rally against Mexican tariffs"),
        ("Fewer Chinese tourists visiting Thailand", "Chinese premier visiting Thailand"),
        ("Brazil and Argentina put on an offensive show", "Russia launches offensive in Ukraine"),
        ("Polish speaker pushes for bill on refugees", "Poland pushes for sanctions on Russia"),
        ("Indian rupee rallies on Pakistan trade data", "Indians rally against Pakistan"),
        ("Samsung releases new phone in Vietnam and Laos", "Vietnam releases Laotian prisoners"),
        ("Opposition attacks Modi over his Nepal policy", "Nepal attacks Indian border post"),
        (
            "Landslide kills twelve near the Nepal-India border",
            "Indian troops kill Nepali smuggler",
        ),
        ("Spanish and Italian unions strike over wages", "Spanish jets strike Italian positions"),
        ("Doctors walk out in Spain and Portugal", "Spain walks out of talks with Portugal"),
    ],
)
def test_an_idiom_holding_an_acts_word_names_no_act(scorer: Scorer, idiom: str, act: str) -> None:
    assert scorer.score(idiom).evidence == ()
    assert scorer.score(act).evidence


def test_a_market_rally_beside_a_relations_cue_is_not_a_protest(scorer: Scorer) -> None:
    score = scorer.score("Wall Street rallies as Washington and Beijing agree trade truce")
    assert score.direction == "thaw", score.evidence
    assert not [e for e in score.evidence if e.category == "PROTEST"]


@pytest.mark.parametrize(
    ("crime", "relations"),
    [
        ("Dutch police arrest Ecuadorian cocaine smuggler", "China arrests Canadian diplomat"),
        ("Italian mafia boss extradited from Brazil", "Russia detains US ambassador's aide"),
    ],
)
def test_an_arrest_is_an_act_between_states_only_where_states_are(
    scorer: Scorer, crime: str, relations: str
) -> None:
    assert scorer.score(crime).direction == "neutral"
    assert scorer.score(relations).direction == "escalation"


@pytest.mark.parametrize(
    ("title", "direction"),
    [
        ("Mali and Niger quit the regional bloc", "escalation"),
        ("Pakistan shuts airspace to Indian flights", "escalation"),
        ("Finland closes entire border with Russia", "escalation"),
        ("Ghana suspends trade with Togo", "escalation"),
        ("Plane crash in Nepal kills 68, including five Indians", "neutral"),
        ("Venezuela frees six Americans held in Caracas", "thaw"),
        ("Armenia and Azerbaijan set aside feud over corridor", "thaw"),
        ("Sweden's Ludvig Aberg storms to victory ahead of Norway's Viktor Hovland", "neutral"),
    ],
)
def test_general_forms_of_headlines(scorer: Scorer, title: str, direction: str) -> None:
    assert scorer.score(title).direction == direction


@pytest.mark.parametrize(
    "title",
    [
        "Canada removes Brazil from its white list of trusted exporters",
        "US revokes India's preferential trade status",
        "Poland voices disappointment at Hungary's veto",
    ],
)
def test_trade_status_removal_and_disappointment_escalate(scorer: Scorer, title: str) -> None:
    assert scorer.score(title).direction == "escalation"


def test_a_sense_word_needs_a_state_somewhere_in_the_text(scorer: Scorer) -> None:
    companies = scorer.score("Lufthansa and Cathay Pacific extend alliance to 2030")
    states = scorer.score("Germany and Singapore extend alliance to 2030")
    offices = scorer.score("Two governments extend alliance to 2030")
    assert companies.direction == "neutral" and companies.evidence == ()
    assert states.direction == offices.direction == "thaw"


def test_a_domestic_rally_without_a_foreign_party_is_not_an_act(scorer: Scorer) -> None:
    domestic = scorer.score("Opposition supporters hold rally in Lahore, demand release of leader")
    foreign = scorer.score("Opposition supporters hold rally against Russian troops in Tbilisi")
    assert domestic.direction == "neutral"
    assert foreign.direction == "escalation"


@pytest.mark.parametrize(
    "title",
    [
        "Talks between Serbia and Kosovo end without agreement",
        "Indian prime minister's visit to Japan postponed",
        "President of Kenya receives credentials of the new ambassador of Uganda",
        "China denies reports that Xi will meet the Japanese premier",
        "Leaders arrive for the African Union summit in Addis Ababa",
        "Indian foreign minister arrives in Moscow to attend talks with Chinese counterpart",
        "Egypt declines to comment on reports that Israeli jets struck Sinai",
        "Brazil denies it is preparing to send troops to Venezuela",
        "India and China end border talks with no outcome",
        "Indian and Chinese envoys held talks but achieved no substantial results",
        "Chile and Bolivia remain at odds after talks in Lima",
        "Hopes fade as Modi-Sharif talks are ruled out at the regional summit",
        "Canada and China hold a second round of WTO talks on canola",
        "Summit between Kenya and Uganda pushed back to March",
        "Brasilia requests consultations with Washington under WTO rules",
        "Ottawa agrees to hold talks with Beijing over its canola ban in WTO dispute",
    ],
)
def test_non_events_are_neutral(scorer: Scorer, title: str) -> None:
    score = scorer.score(title)
    assert score.direction == "neutral"
    assert any("non-event" in e.rules for e in score.evidence)


def only_rules(score: Score, phrase: str) -> tuple[str, ...]:
    return next(e.rules for e in score.evidence if e.phrase.lower() == phrase)


def test_an_occasion_makes_goodwill_routine_and_leaves_hostility_news(scorer: Scorer) -> None:
    """Celebrating an anniversary of ties is routine; an accusation made on one is not."""
    celebrated = scorer.score("Peru and Chile celebrate 50th anniversary of diplomatic relations")
    accused = scorer.score("On the anniversary of the war, Peru accuses Chile of provocations")
    assert celebrated.direction == "neutral"
    assert any("non-event" in e.rules for e in celebrated.evidence)
    assert accused.direction == "escalation"
    assert "non-event" not in only_rules(accused, "accuses")
    # the topic noun of the occasion is routine with it
    marked = scorer.score("Russia-Georgia War Anniversary Passes Quietly")
    assert marked.direction == "neutral"


@pytest.mark.parametrize(
    ("title", "direction"),
    [
        # in a WTO dispute, agreeing to talks is its required step; a complaint or retaliatory
        # tariffs are acts
        ("Ottawa agrees to hold talks with Beijing over its canola ban in WTO dispute", "neutral"),
        ("Canada files complaint against China in WTO dispute", "escalation"),
        ("China imposes retaliatory tariffs on US goods in WTO case", "escalation"),
        # an anniversary's routine goodwill (congratulations) is nothing; a pact signed or a
        # conciliatory message sent on one is what someone chose to do that day
        ("Britain and Ireland sign security pact on anniversary of peace deal", "thaw"),
        ("Ankara sends conciliatory message to Athens on war anniversary", "thaw"),
        ("Putin congratulates Xi on anniversary of ties", "neutral"),
    ],
)
def test_a_procedure_or_an_occasion_leaves_its_acts_news(
    scorer: Scorer, title: str, direction: str
) -> None:
    assert scorer.score(title).direction == direction


def test_arriving_on_a_visit_is_no_arrival_to_attend(scorer: Scorer) -> None:
    """The place between the arrival and what it is for does not hide the purpose; an arrival
    for a visit of its own stays a visit."""
    visit = scorer.score("Indian foreign minister arrives in Moscow on a two-day visit")
    assert visit.direction == "thaw"
    assert not any("non-event" in e.rules for e in visit.evidence)


def test_a_state_ruling_out_talks_rejects_them(scorer: Scorer) -> None:
    assert scorer.score("Ankara rules out talks with Yerevan").direction == "escalation"


def test_pushing_back_against_a_state_is_not_a_postponement(scorer: Scorer) -> None:
    score = scorer.score("Hanoi pushes back against Beijing's claims in the sea")
    assert score.direction == "escalation"
    assert not any("non-event" in e.rules for e in score.evidence)


def test_a_wto_complaint_is_an_act_where_its_consultations_are_procedure(scorer: Scorer) -> None:
    assert scorer.score("Ottawa files WTO complaint against Beijing").direction == "escalation"


@pytest.mark.parametrize(
    ("title", "low", "high"),
    [
        ("Argentina disputes Brazilian tariffs on shoes", -6.0, -3.0),
        ("Russia launches full-scale invasion of Ukraine", -10.0, -9.0),
        ("Poland summons the Russian ambassador", -4.0, -2.0),
        ("Armenia and Azerbaijan sign peace treaty", 8.0, 10.0),
        ("Japan imposes sanctions on North Korea", -8.0, -6.0),
    ],
)
def test_the_score_reads_the_act_on_the_goldstein_scale(
    scorer: Scorer, title: str, low: float, high: float
) -> None:
    assert low <= scorer.score(title).score <= high


def test_repetition_raises_neither_score_nor_gravity(scorer: Scorer) -> None:
    once = scorer.score("Argentina disputes Brazilian tariffs on shoes")
    often = scorer.score(
        "Argentina disputes Brazilian tariffs on shoes",
        " ".join(["Argentina criticised Brazil's tariffs on shoes."] * 50),
    )
    assert often.score == once.score
    assert not once.grave and not often.grave


def test_a_grave_act_is_grave_only_as_it_happened(scorer: Scorer) -> None:
    assert scorer.score("Bahrain cuts diplomatic ties with Qatar").grave
    assert not scorer.score("Bahrain may cut diplomatic ties with Qatar").grave
    assert not scorer.score("Bahrain denies it will cut diplomatic ties with Qatar").grave


def test_a_list_of_actors_and_a_target_is_a_pair_each(scorer: Scorer) -> None:
    score = scorer.score("Saudi Arabia, Egypt and Bahrain cut ties with Qatar")
    assert {pair.dyad for pair in score.pairs} == {"QA-SA", "EG-QA", "BH-QA"}
    assert all(pair.direction == "escalation" for pair in score.pairs)
    assert score.dyad == score.pairs[0].dyad


def test_two_countries_are_one_pair(scorer: Scorer) -> None:
    score = scorer.score("Japan and South Korea agree to mend ties")
    assert [pair.dyad for pair in score.pairs] == ["JP-KR"]
    assert score.pairs[0].share == 1.0


def test_a_word_in_quotes_still_matches(scorer: Scorer) -> None:
    assert scorer.score("US ambassador to Bolivia 'expelled'").direction == "escalation"


def test_a_sense_word_is_grave_only_when_a_relations_cue_vouches_for_it(scorer: Scorer) -> None:
    assert scorer.score("Indian and Pakistani troops clash on the disputed border").grave
    assert not scorer.score("Brazil's president and his rival clash on live television").grave


@pytest.mark.parametrize(
    ("title", "pairs"),
    [
        ("The US, Britain and Canada sanction Russian banks", {"RU-US", "GB-RU", "CA-RU"}),
        ("Japan sanctions Russia and Belarus", {"JP-RU", "BY-JP"}),
        ("India sends relief to Nepal and Bhutan", {"IN-NP", "BT-IN"}),
        ("France, Germany and Italy expel Russian diplomats", {"FR-RU", "DE-RU", "IT-RU"}),
    ],
)
def test_the_countries_before_an_act_act_on_those_after_it(
    scorer: Scorer, title: str, pairs: set[str]
) -> None:
    assert {pair.dyad for pair in scorer.score(title).pairs} == pairs


def test_an_intent_reports_the_act_it_commits_to(scorer: Scorer) -> None:
    agreed = scorer.score("Armenia and Azerbaijan agree to a ceasefire")
    assert (agreed.score, agreed.grave) == (9.0, True)
    concessions = scorer.score("India and Brazil agree to cut tariffs on farm goods")
    assert concessions.direction != "escalation"


def test_an_intensifier_does_not_lift_an_act_past_its_goldstein_value(scorer: Scorer) -> None:
    plain = scorer.score("Japan imposes sanctions on North Korea")
    sweeping = scorer.score("Japan imposes sweeping sanctions on North Korea")
    assert sweeping.score == plain.score == -8.0


def test_an_act_in_a_background_clause_is_not_grave(scorer: Scorer) -> None:
    assert not scorer.score("The rouble slides after new Western sanctions on Russia").grave
