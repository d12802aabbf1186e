"""Country detection: aliases, demonyms, capitals, metonyms, ambiguity; the evidence's dyad."""

from __future__ import annotations

import pytest

from tensionwatch.scoring.actors import default_finder
from tensionwatch.scoring.scorer import Scorer
from tensionwatch.scoring.text import blank


def codes(text: str) -> list[str]:
    return [mention.code for mention in default_finder().find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tokyo and Seoul", ["JP", "KR"]),
        ("Japanese and South Korean officials", ["JP", "KR"]),
        ("Pyongyang fired a missile", ["KP"]),
        ("the Kremlin said", ["RU"]),
        ("Washington warned Beijing", ["US", "CN"]),
        ("Brussels and Moscow", ["EU", "RU"]),
        ("the U.S. and the United Kingdom", ["US", "GB"]),
        ("Americans and Britons", ["US", "GB"]),
        ("Viet Nam and the Republic of Korea", ["VN", "KR"]),
        ("Türkiye and Greece", ["TR", "GR"]),
    ],
)
def test_names_short_forms_demonyms_capitals_and_metonyms(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Michael Jordan visited the White House", ["US"]),
        ("Jordan and Israel signed a deal", ["JO", "IL"]),
        ("Chad Smith played drums", []),
        ("they ate turkey in November", []),
        ("Turkey closed its airspace", ["TR"]),
        ("ships in the South China Sea", []),
        ("let us talk, said the minister", []),
        ("US and China talks", ["US", "CN"]),
        ("North Korea and South Korea", ["KP", "KR"]),
        ("The Washington Post reported", []),
        ("Korea protested", ["KR"]),
        ("a rally in Atlanta, Georgia", []),
        ("Georgia and Russia", ["GE", "RU"]),
        # hyphened to a plain state's name, a capitalised word after it tells nothing
        ("Israel-Jordan Statement on Relations", ["IL", "JO"]),
        ("Russia-Georgia War Anniversary", ["RU", "GE"]),
        ("the Indo-Pacific strategy", []),
        # two-letter forms: a state's in a compound or before a lower-case word, a firm's before
        # a capitalised one
        ("DISPUTE OVER ROK-JP PACT", ["KR", "JP"]),
        ("JP Morgan raises its forecast", []),
        ("Japan rejects SK fund plan", ["JP", "KR"]),
        ("SK Hynix shares jump", []),
        # a special administrative region's foreign relations are its state's
        ("US consulate in Hong Kong", ["US", "CN"]),
        ("U.S and Macau", ["US", "CN"]),
    ],
)
def test_ambiguous_names(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("North and South Korean leaders meet", ["KP", "KR"]),
        ("Talks between North or South Korea", ["KP", "KR"]),
        ("The north and south of the country", []),
        ("New and South Korean models", ["KR"]),
        ("Saudi and South African ministers", ["SA", "ZA"]),
    ],
)
def test_a_first_word_coordinated_before_a_name_is_its_own_country(
    text: str, expected: list[str]
) -> None:
    assert codes(text) == expected


def test_coordinated_countries_are_a_pair(scorer: Scorer) -> None:
    score = scorer.score("North and South Korean leaders agree to reopen liaison office")
    assert score.dyad == "KP-KR"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Erdogan meets Putin in Sochi", ["TR", "RU"]),
        ("Shinzo Abe and Moon Jae-in hold talks", ["JP", "KR"]),
        ("The Moon landing anniversary", []),
        ("S. Korea and N.Korea", ["KR", "KP"]),
        ("Lighthizer and Liu He to resume talks", ["US", "CN"]),  # trade principals
    ],
)
def test_a_leader_stands_for_the_state(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Abe announces a summit with Moon", ["JP", "KR"]),
        ("Moon, Abe to hold talks in Bangkok", ["KR", "JP", "TH"]),
        ("Moon warns Tokyo of consequences", ["KR", "JP"]),
        ("Moon says talks must resume", []),  # no other state: the word alone names none
        ("China and Russia race to the Moon", ["CN", "RU"]),
        ("Moon Hee-sang visits Tokyo", ["JP"]),  # another Moon: a capitalised word touches it
        ("Moon Warns Tokyo Of Consequences", ["KR", "JP"]),  # title case: the gate decides
        ("China And Russia Race To The Moon", ["CN", "RU"]),
        ("China and Russia sign pact to build a station on Moon", ["CN", "RU"]),
        ("NASA and Japan agree an astronaut will walk on Moon", ["JP"]),
        ("Chinese rover finds water at Moon's pole, US confirms", ["CN", "US"]),
        ("Japan Court Orders Dissolution Of Church Founded By Sun Myung Moon", ["JP"]),
        ("Moon Meets Abe", ["KR", "JP"]),
    ],
)
def test_a_surname_that_is_a_common_word_is_a_leader_only_beside_another_state(
    text: str, expected: list[str]
) -> None:
    assert codes(text) == expected


def test_a_joint_act_of_three_states_is_each_pair_of_them(scorer: Scorer) -> None:
    summit = scorer.score("Leaders of China, Japan and South Korea meet for a trilateral summit")
    cut = scorer.score("Saudi Arabia, Egypt and Bahrain cut ties with Qatar")
    assert {pair.dyad for pair in summit.pairs} == {"CN-JP", "CN-KR", "JP-KR"}
    assert {pair.dyad for pair in cut.pairs} == {"QA-SA", "EG-QA", "BH-QA"}


@pytest.mark.parametrize(
    ("title", "pairs"),
    [
        ("Putin and Macron hold a private conversation in Beijing", {"FR-RU"}),
        ("Indian and Pakistani envoys to meet in Riyadh on Monday", {"IN-PK"}),
        # with two or more parties after it: each pair of them all, none with the host
        ("Canada hosts talks with Mexico and the US in Lima", {"CA-MX", "CA-US", "MX-US"}),
        ("Washington strikes militia targets in Syria and Iraq", {"SY-US", "IQ-US"}),
        ("In Jakarta, Malaysian and Thai envoys hold talks", {"MY-TH"}),
        ("US meets with allies Japan and Australia amid China's buildup", None),
        ("Philippines holds talks with Japan over China's maritime moves", {"JP-PH"}),
    ],
)
def test_a_meeting_place_is_not_a_party_to_the_meeting(
    scorer: Scorer, title: str, pairs: set[str] | None
) -> None:
    found = {pair.dyad for pair in scorer.score(title).pairs}
    if pairs is None:  # the topic after the meeting is no party to it
        assert {"AU-JP", "AU-US", "JP-US"} <= found
        assert not found & {"CN-JP", "AU-CN"}
    else:
        assert found == pairs


@pytest.mark.parametrize(
    ("title", "pair"),
    [
        ("Washington disappointed at the end of the Israel-Jordan water deal", "IL-JO"),
        ("Beijing slams the planned US-Philippine military drills", "PH-US"),
        # an abbreviation at the end of the compound ends no sentence
        ("Berlin disappointed at collapse of Greece-U.K. migration pact", "GB-GR"),
    ],
)
def test_a_hyphened_pair_owns_what_it_names(scorer: Scorer, title: str, pair: str) -> None:
    """A third state speaking of "the Israel-Jordan deal" does not make the deal its own: the
    compound's pair is among the reading's pairs beside the speaker's."""
    found = {reading.dyad for reading in scorer.score(title).pairs}
    assert pair in found
    assert len(found) == 3


def test_a_letter_between_leaders_names_their_pair_without_moving_it(scorer: Scorer) -> None:
    """A letter is consultation (CAMEO 040, Goldstein +1.0) and a topic noun here: it names who
    writes to whom; what a letter says is what moves relations."""
    sent = scorer.score("Erdogan to send letter to Putin via his envoy")
    protest = scorer.score("Iraq hands letter of protest to Turkish envoy")
    assert [pair.dyad for pair in sent.pairs] == ["RU-TR"]
    assert sent.direction == "neutral"
    assert protest.direction == "escalation"


def test_a_state_in_a_clause_of_its_own_is_no_party_to_the_act(scorer: Scorer) -> None:
    """ "as the US steps in" opens a clause of its own; with no party on the other side in the
    act's clause, the sentence's own still counts ("recall ambassadors after X's executions")."""
    truce = scorer.score("Armenia and Azerbaijan agree to ceasefire as Russia steps in")
    recall = scorer.score(
        "Brazil and the Netherlands recall ambassadors after Indonesian executions"
    )
    assert [pair.dyad for pair in truce.pairs] == ["AM-AZ"]
    assert "BR-ID" in {pair.dyad for pair in recall.pairs}


@pytest.mark.parametrize(
    ("title", "pair"),
    [
        ("Shelling along the LoC kills two soldiers", "IN-PK"),
        ("Warships sail through the Taiwan Strait", "CN-TW"),
        ("Fighting erupts in Nagorno-Karabakh", "AM-AZ"),
        # a state already named keeps its place: the contested place adds the other side
        ("Pyongyang fires shells across the DMZ", "KP-KR"),
        # a pact of two states alone, by its own name
        ("Delhi moves to suspend the Indus Waters Treaty", "IN-PK"),
        ("Moscow says it will leave the INF Treaty", "RU-US"),
    ],
)
def test_a_contested_place_names_its_two_states(scorer: Scorer, title: str, pair: str) -> None:
    assert scorer.score(title).dyad == pair


@pytest.mark.parametrize(
    ("title", "pair"),
    [
        ("Indo-Pak ties under strain after Pak army shelling", "IN-PK"),
        ("IAF jets strike PAF base", "IN-PK"),
    ],
)
def test_short_forms_and_air_forces_name_their_state(scorer: Scorer, title: str, pair: str) -> None:
    assert pair in {reading.dyad for reading in scorer.score(title).pairs}


def test_a_meeting_one_state_holds_with_several_is_among_them_all(scorer: Scorer) -> None:
    hosted = scorer.score("Indonesia hosts a summit with Malaysia and Thailand")
    sanctioned = scorer.score("Canada sanctions Russia and Belarus")
    assert {pair.dyad for pair in hosted.pairs} == {"ID-MY", "ID-TH", "MY-TH"}
    assert {pair.dyad for pair in sanctioned.pairs} == {"CA-RU", "BY-CA"}


@pytest.mark.parametrize(
    ("title", "pair"),
    [
        ("Spanish police arrest British fugitive on Costa del Sol", None),
        ("Japan's Toyota and Germany's BMW extend hydrogen partnership", None),
        ("Serbia's Djokovic battles past Spain's Alcaraz at Wimbledon", None),
        ("Russia's foreign ministry summons the British ambassador", "GB-RU"),
        ("Japan's Abe tells South Korea's Moon Jae-in ties must improve", "JP-KR"),
        ("US sanctions Russia's Rosneft over Ukraine war", "RU-US"),
        ("Saudi Arabia and Iran restore ties in China-brokered deal", "IR-SA"),
        # one private noun after coordinated names is each one's
        ("Chilean, Peruvian and Bolivian miners sign lithium deal", None),
        ("Qatar Airways and Turkish Airlines sign codeshare agreement", None),
        ("North and South Korean officials hold first talks in two years", "KP-KR"),
        # where a group is based or a weapon made is no party
        ("Chad-based rebels attack army post in Cameroon", None),
        ("Russia strikes Ukraine with Iran-made drones", "RU-UA"),
        # a hyphened title is an office: the state acts
        ("India's Vice-President meets Nepal's premier in Delhi", "IN-NP"),
    ],
)
def test_a_nationality_or_a_company_is_not_a_state_acting(
    scorer: Scorer, title: str, pair: str | None
) -> None:
    assert scorer.score(title).dyad == pair


def test_a_headline_in_capitals_names_its_countries() -> None:
    assert codes("TURKISH AND ARMENIAN MINISTERS SIGN PROTOCOLS") == ["TR", "AM"]
    assert codes("US AND UK SANCTION IRAN") == ["US", "GB", "IR"]


def test_text_without_countries_has_no_dyad(scorer: Scorer) -> None:
    score = scorer.score("Rebels and the army agreed to a ceasefire")
    assert score.direction == "thaw"
    assert score.dyad is None
    assert score.countries == ()


def test_dyad_is_the_pair_of_the_evidence_not_every_country_named(scorer: Scorer) -> None:
    score = scorer.score(
        "Officials meet in Paris",
        "Russia shelled Ukrainian cities overnight. French and German diplomats watched.",
    )
    assert score.dyad == "RU-UA"
    assert set(score.countries) >= {"RU", "UA", "FR", "DE"}


def test_one_country_sentence_pairs_with_the_headline(scorer: Scorer) -> None:
    score = scorer.score("Japan and South Korea hold talks", "Seoul imposed tariffs on steel.")
    assert {e.dyad for e in score.evidence} == {"JP-KR"}


@pytest.mark.parametrize(
    ("home", "title", "pair"),
    [
        ("CN", "Foreign Ministry slams US over arms sales", "CN-US"),
        ("PK", "Foreign Office summons Indian envoy", "IN-PK"),
        ("SG", "Prime Minister calls for calm in talks with Malaysia", "MY-SG"),
        ("KR", "Unification Ministry proposes talks with North Korea", "KP-KR"),  # a portfolio
        ("IN", "(LEAD) Defence Minister warns Pakistan of strong response", "IN-PK"),
        ("KR", "The government said it will retaliate against Japan", "JP-KR"),
    ],
)
def test_an_office_without_its_state_is_the_outlets(
    scorer: Scorer, home: str, title: str, pair: str
) -> None:
    assert scorer.score(title).dyad is None
    assert scorer.score(title, home=home).dyad == pair


@pytest.mark.parametrize(
    "title",
    [
        "Japanese Foreign Minister protests Chinese drills",  # owned by the state before it
        "President Trump threatens Mexico with tariffs",  # a leader holds it
        "FIFA President visits Japan",  # someone else's office
        "The interim Government in Fiji expels Australia's envoy",  # the state after it
        "Ministry of Defence denies Russian claim",  # an office named in full, not the outlet's
        "Seoul asks President Moon's envoy to meet Japan",  # not the sentence's subject
        "President Tebboune recalls ambassador from Paris",  # a holder the table does not know
        "Government spokesman Zabihullah Mujahid says Iranian strikes killed civilians",
        "Japanese Foreign Ministry protests Chinese drills",  # a state among a portfolio's words
    ],
)
def test_an_office_with_a_state_or_not_the_subject_is_not_the_outlets(
    scorer: Scorer, title: str
) -> None:
    home = scorer.score(title, home="NZ")
    assert "NZ" not in home.countries
    assert [pair.dyad for pair in home.pairs] == [pair.dyad for pair in scorer.score(title).pairs]


@pytest.mark.parametrize(
    ("home", "title", "pair"),
    [
        ("SG", "PM Lee to visit China, meet Xi", "CN-SG"),
        ("KR", "President Park condemns Japan's history textbooks", "JP-KR"),
        ("SG", "Lee, Xi agree to deepen ties", "CN-SG"),
        ("IN", "(LEAD) Modi and Putin sign defence pacts", "IN-RU"),
    ],
)
def test_a_holder_by_a_word_of_the_outlets_own_names_is_its_own(
    scorer: Scorer, home: str, title: str, pair: str
) -> None:
    assert scorer.score(title, home=home).dyad == pair


@pytest.mark.parametrize(
    ("home", "title"),
    [
        ("IN", "PM Oli to visit China, meet Xi"),  # Nepal's, not the Indian paper's
        ("IN", "Oli, Xi agree to deepen ties"),
        ("KR", "Talks: Lee, Xi agree to deepen ties"),  # not the sentence's first word
        ("KR", "PM Lee vows to keep Singapore open to foreign talent"),  # Singapore's Lee too
        ("KR", "Lee, Japan's Son sign AI chip supply deal"),  # beside someone of a state
    ],
)
def test_a_holder_not_of_the_outlets_own_names_is_not_its_own(
    scorer: Scorer, home: str, title: str
) -> None:
    assert home not in scorer.score(title, home=home).countries


@pytest.mark.parametrize(
    ("title", "pair"),
    [
        ("Canada adds Huawei to its list of banned 5G suppliers", "CA-CN"),
        ("India bans TikTok and other apps", "CN-IN"),
        ("Poland sanctions Gazprom over the pipeline", "PL-RU"),
    ],
)
def test_a_states_company_stands_for_it_as_another_states_object(
    scorer: Scorer, title: str, pair: str
) -> None:
    assert [p.dyad for p in scorer.score(title).pairs] == [pair]


def test_a_company_beside_a_firm_of_another_state_stands_for_nothing(scorer: Scorer) -> None:
    # the owner of "Indonesia's Telkomsel" is no state acting, so no state acts on ZTE
    assert scorer.score("Indonesia's Telkomsel signs 5G deal with ZTE").countries == ()


@pytest.mark.parametrize(
    "title",
    [
        "Huawei unveils a new phone in Paris",  # no state acts on it
        "Huawei sues Sweden over its 5G ban",  # its own act: the company is no state
        "Apple overtakes Huawei in China smartphone sales",  # its own state before it
        "Brazilian Huawei engineer wins award",  # a description, no act between
    ],
)
def test_a_states_company_alone_or_acting_names_no_state(title: str) -> None:
    finder = default_finder()
    named = [title[m.start : m.end] for m in finder.objects_only(title, finder.find(title))]
    assert "Huawei" not in named


@pytest.mark.parametrize(
    ("title", "direction", "phrase"),
    [
        ("Seoul decides to end GSOMIA", "escalation", "GSOMIA"),
        ("Moscow suspends the New START", "escalation", "New START"),
        ("Kyiv says Moscow has torn up the Minsk agreements", "escalation", "Minsk agreements"),
    ],
)
def test_a_pacts_own_name_reads_as_a_pact_of_its_two_states(
    scorer: Scorer, title: str, direction: str, phrase: str
) -> None:
    score = scorer.score(title)
    assert score.direction == direction, score.evidence
    assert len(score.pairs) == 1
    assert phrase in [item.phrase for item in score.evidence]  # the whole name, never a part


@pytest.mark.parametrize(
    "text", ["Shelling along the LoC kills two soldiers", "Talks on GSOMIA and Dokdo stall"]
)
def test_blanking_a_place_read_as_both_its_states_keeps_the_texts_offsets(text: str) -> None:
    mentions = default_finder().find(text)
    assert len({(m.start, m.end) for m in mentions}) < len(mentions)  # one span, two states
    assert len(blank(text.lower(), mentions)) == len(text)


@pytest.mark.parametrize(
    ("title", "pair"),
    [
        ("Washington voices concern over tension between India and China", "CN-IN"),
        ("Berlin warns the rift between the US and Iran could widen", "IR-US"),
    ],
)
def test_a_phrase_between_two_named_states_is_theirs_whoever_speaks(
    scorer: Scorer, title: str, pair: str
) -> None:
    score = scorer.score(title)
    assert [e.dyad for e in score.evidence if e.phrase in ("tension", "rift")] == [pair]


def test_an_unnamed_office_under_a_headline_naming_a_pair_is_one_of_the_two(
    scorer: Scorer,
) -> None:
    """A national outlet's wire copy: the body's "the government" is the headline's state's."""
    title = "Niger orders expulsion of French ambassador"
    body = "The government on Monday gave the French envoy 48 hours to leave."
    assert [pair.dyad for pair in scorer.score(title, body, home="PK").pairs] == ["FR-NE"]


@pytest.mark.parametrize(
    "title", ["Professor's book on the INF Treaty wins history prize", "GSOMIA explained"]
)
def test_a_pacts_name_alone_names_its_pair_but_moves_nothing(scorer: Scorer, title: str) -> None:
    score = scorer.score(title)
    assert score.direction == "neutral" and score.evidence == ()


def test_an_inferred_state_alone_never_carries_a_grave_act(scorer: Scorer) -> None:
    """A national outlet's wire copy with the country dropped: a pair, never a flash alone."""
    named = scorer.score("Thai Defence Ministry says Cambodian troops opened fire first")
    inferred = scorer.score("Defence Ministry says Cambodian troops opened fire first", home="PK")
    assert named.grave and named.dyad == "KH-TH"
    assert inferred.dyad == "KH-PK" and not inferred.grave
