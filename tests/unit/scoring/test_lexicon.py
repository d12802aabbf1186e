"""The packaged lexicon loads, every entry is valid, weights follow GDELT's table, bad rows fail."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tensionwatch.scoring.lexicon import (
    DATA_FILES,
    LexiconError,
    build,
    load_lexicon,
    read_data,
    rows,
)
from tensionwatch.scoring.patterns import PatternError, expand, inflect

PLOVER_CATEGORIES = {
    "APPEAL", "AGREE", "SUPPORT", "CONSULT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "DEMAND",
    "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "REDUCE", "SANCTION", "COERCE",
    "ASSAULT", "FIGHT",
}  # fmt: skip


def test_packaged_lexicon_is_large_and_every_entry_valid() -> None:
    lexicon = load_lexicon()
    base_phrases = sum(len(entry.pattern.split("|")) for entry in lexicon.entries)
    assert base_phrases >= 500  # "several hundred" general phrases before inflection
    assert lexicon.phrase_count >= 2000
    for entry in lexicon.entries:
        assert entry.category in PLOVER_CATEGORIES, entry
        assert -10 <= entry.weight <= 10 and entry.weight != 0, entry


def test_no_pattern_expands_past_its_share_of_the_cold_start() -> None:
    # Every phrase is built at each cold start (~3 us each) and optional slots multiply: one row
    # of 40k phrases once took the load from ~25 ms to ~200 ms.
    lexicon = load_lexicon()
    verbs = rows("verbs.tsv", read_data("verbs.tsv"), 8)
    irregular = {cells[0]: tuple(c for c in cells[1:] if c) for _, cells in verbs}
    assert lexicon.phrase_count <= 12_000
    for entry in lexicon.entries:
        assert len(expand(entry.pattern, irregular, frozenset())) <= 1_500, entry.pattern[:60]


def test_weights_are_gdelt_goldstein_values_for_their_cameo_codes(shared_dir: Path) -> None:
    table_path = shared_dir / "eval" / "cameo_goldstein_gdelt.tsv"
    lines = [line for line in table_path.read_text().splitlines() if not line.startswith("#")]
    table = {row[0]: float(row[1]) for row in csv.reader(lines[1:], delimiter="\t")}
    for entry in load_lexicon().entries:
        assert table[entry.cameo] == entry.weight, entry


def test_version_is_a_hash_of_the_data_and_changes_with_it() -> None:
    texts = {name: read_data(name) for name in DATA_FILES}
    assert build(texts).version == load_lexicon().version
    texts["lexicon.tsv"] += "~parley\tCONSULT\t040\t1.0\n"
    assert build(texts).version != load_lexicon().version


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("~agree\tAGREE\t030\t12.0", "Goldstein"),
        ("~agree\tAGREE\t030\t4.0\tsticky", "unknown flags"),
        ("~sign the deal\tAGREE\t057\t8.0", "dropped from text"),
        ("~agree\tagree\t030\t4.0", "malformed"),
    ],
)
def test_bad_lexicon_row_names_its_line(row: str, problem: str) -> None:
    texts = {name: read_data(name) for name in DATA_FILES}
    texts["lexicon.tsv"] = "# header\n" + row + "\n"
    with pytest.raises(LexiconError, match=rf"lexicon.tsv:2: .*{problem}"):
        build(texts)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("sports\t1\tsix nations", "dropped from text"),
        ("sports\t2\tgoalless", "weight"),
        ("Sports Desk\t1\tgoalless", "topic"),
        ("sports\tmany\tgoalless", "could not convert"),
    ],
)
def test_bad_topics_row_names_its_line(row: str, problem: str) -> None:
    texts = {name: read_data(name) for name in DATA_FILES}
    texts["topics.tsv"] = "# header\n" + row + "\n"
    with pytest.raises(LexiconError, match=rf"topics.tsv:2: .*{problem}"):
        build(texts)


def test_verbs_are_inflected_with_irregular_forms() -> None:
    irregular = {"break": ("breaks", "broke", "broken", "breaking")}
    assert inflect("recall", irregular) == ("recall", "recalls", "recalled", "recalling")
    assert inflect("impose", irregular) == ("impose", "imposes", "imposed", "imposing")
    assert inflect("break", irregular) == ("break", "breaks", "broke", "broken", "breaking")


def test_a_leading_tilde_inflects_every_spelling_of_its_token() -> None:
    phrases = expand("~criticize/criticise", {}, frozenset())
    assert {"criticizes", "criticises", "criticised", "criticising"} <= set(phrases)


def test_pattern_language_expands_alternatives_plurals_and_optional_words() -> None:
    phrases = expand("~mend ties/relations | [border] tariff+", {}, frozenset())
    assert "mending relations" in phrases
    assert "mended ties" in phrases
    assert {"tariff", "tariffs", "border tariff", "border tariffs"} <= set(phrases)


@pytest.mark.parametrize("pattern", ["... dispute", "~settle ...", "~settle ... ... dispute"])
def test_a_gap_stands_between_two_words_only(pattern: str) -> None:
    with pytest.raises(PatternError):
        expand(pattern, {}, frozenset())


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("Peru and Chile agree to settle their long-running maritime dispute", "thaw"),
        ("Ghana and Togo vow to mend strained bilateral ties", "thaw"),
        ("Algeria recalls its veteran ambassador from Madrid", "escalation"),
        ("Iran releases two detained British sailors", "thaw"),  # not an idiom's object
        ("Cuba releases an official document on Spain", "neutral"),  # an idiom's gap
        ("Setback in peace talks between Armenia and Azerbaijan", "escalation"),
        ("Russia suffers setbacks in its offensive in Ukraine", "escalation"),  # not reversed
        ("Egypt and Ethiopia address their long-standing dam dispute", "thaw"),
        ("Apple and Samsung settle patent dispute in US and Korean courts", "neutral"),
        ("Tokyo and Beijing settle in for a prolonged dispute", "neutral"),
    ],
)
def test_gaps_idioms_and_reversers_read_in_headlines(text: str, direction: str) -> None:
    from tensionwatch.scoring.scorer import default_scorer

    assert default_scorer().score(text).direction == direction


def test_inflected_phrase_matches_in_text() -> None:
    from tensionwatch.scoring.scorer import default_scorer

    for text in ("France recalls its ambassador", "France recalled ambassador to Italy"):
        assert default_scorer().score(text).direction == "escalation", text
