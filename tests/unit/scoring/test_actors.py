"""Country detection: aliases, demonyms, capitals, metonyms, ambiguity; the evidence's dyad."""

from __future__ import annotations

import pytest

from tensionwatch.scoring.actors import default_finder
from tensionwatch.scoring.scorer import Scorer


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
