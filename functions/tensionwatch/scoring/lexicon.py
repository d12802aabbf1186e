"""The lexicon: data files in `scoring/data/`, validated, expanded and indexed once. Pure."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Final

from tensionwatch.scoring.cues import Cues, WordKind, WordNode, index_cues, last_kinds, word_trie
from tensionwatch.scoring.patterns import PatternError, expand
from tensionwatch.scoring.relevance import TopicError, Topics, build_topics
from tensionwatch.scoring.text import CLAUSE_END, SENTENCE_END

DATA_FILES: Final = (
    "lexicon.tsv",
    "modifiers.tsv",
    "verbs.tsv",
    "countries.tsv",
    "topics.tsv",
    "mentions.tsv",
)
CUE_KINDS: Final = frozenset(
    {
        "negator",
        "hedge",
        "speech",
        "request",
        "claim",
        "booster",
        "dampener",
        "reverser",
        "breach",
        "exempt",
        "contrast",
        "concessive",
        "conjunction",
        "filler",
        "nonevent",
        "occasion",
        "procedure",
        "idiom",
        "private",
        "office",
        "gap_stop",
    }
)
# What a sentence's non-event cues say, as flags: a non-event ("talks ended without result")
# makes all of it nothing; an occasion ("on the anniversary of") makes its words of goodwill and
# its topic nouns routine; a procedure ("in a WTO dispute") makes its consultations a required
# step. The two narrow kinds leave the rest news ("accused ... on the anniversary", "files a
# complaint in the WTO dispute").
NO_NONEVENT: Final = 0
NONEVENT: Final = 1
OCCASION: Final = 2
PROCEDURE: Final = 4
ENTRY_FLAGS: Final = frozenset({"reversible", "context", "grave", "sense"})
# Goldstein's scale runs from -10 (military attack) to +10 (military assistance).
GOLDSTEIN_BOUND: Final = 10.0


class LexiconError(ValueError):
    """A data file row that does not validate; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon row: a general news phrase and its event category."""

    pattern: str
    category: str
    cameo: str
    weight: float
    reversible: bool
    context: bool = False
    grave: bool = False  # an act a flash alert may rest on: force, cut ties, sanctions, peace
    sense: bool = False  # diplomatic or military only in context: "battle", "rally", "clash"

    def __post_init__(self) -> None:
        if not -GOLDSTEIN_BOUND <= self.weight <= GOLDSTEIN_BOUND or self.weight == 0:
            raise ValueError(f"weight {self.weight} is outside the Goldstein scale or zero")
        if not (self.category.isupper() and self.cameo.isdigit()):
            raise ValueError(f"category {self.category!r} / cameo {self.cameo!r} malformed")


@dataclass(frozen=True)
class Lexicon:
    """Entries, the index of their phrases, the rule cues and the version hash."""

    entries: tuple[Entry, ...]
    # dicts, not Mappings, in what the scorer reads per word: compiled code probes a dict directly
    phrases: dict[tuple[str, ...], int] = field(repr=False)  # phrase words -> entry index
    trie: dict[str, WordNode] = field(repr=False)  # the phrases word by word; values: entries
    vocabulary: dict[str, WordKind] = field(repr=False)  # every word the skeleton acts on
    cues: dict[str, Cues]
    fillers: frozenset[str]
    boosters: frozenset[str]
    dampeners: frozenset[str]
    clause_breaks: frozenset[str]  # clause punctuation and one-word contrast/concessive cues
    # last words of contrast and concessive cues, and clause punctuation: where contrast rules look
    structure_marks: frozenset[str]
    last_kinds: dict[str, tuple[str, ...]]  # word -> the cue kinds with a cue ending in it
    # "talks ended without agreement", "visit postponed": phrases that make a sentence a
    # non-event, in a forward word trie
    nonevents: dict[str, WordNode] = field(repr=False)
    topics: Topics = field(repr=False)
    version: str
    # The trie's value for an idiom ("finance minister", "riot police"): a phrase that holds an
    # act's word but names no act. It wins the longest match over the word, then reads as nothing.
    idiom: int = -1
    # Words after a country's name that make it a nationality or a place, not a state acting
    # ("British tourist", "Spanish police"); and the capitalised words after "Country's" that
    # keep the state as the actor ("Japan's Foreign Ministry", unlike "Japan's Toyota").
    private: frozenset[str] = frozenset()
    offices: frozenset[str] = frozenset()

    @property
    def phrase_count(self) -> int:
        """How many concrete phrases the patterns expanded to."""
        return len(self.phrases)


def read_data(name: str) -> str:
    """A data file's text from the package."""
    return (resources.files("tensionwatch.scoring") / "data" / name).read_text(encoding="utf-8")


def rows(name: str, text: str, width: int) -> list[tuple[int, list[str]]]:
    """Tab-separated rows padded to `width`, with line numbers; '#' lines are comments."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) > width:
            raise LexiconError(f"{name}:{number}: {len(cells)} columns, expected <= {width}")
        out.append((number, cells + [""] * (width - len(cells))))
    return out


def _irregular(text: str) -> dict[str, tuple[str, ...]]:
    return {cells[0]: tuple(c for c in cells[1:] if c) for _, cells in rows("verbs.tsv", text, 8)}


def _cues(text: str, irregular: Mapping[str, tuple[str, ...]]) -> dict[str, list[str]]:
    parsed = rows("modifiers.tsv", text, 2)
    fillers = frozenset(
        phrase
        for _, (kind, pattern) in parsed
        if kind == "filler"
        for phrase in expand(pattern, irregular, frozenset())
    )
    found: dict[str, list[str]] = {kind: [] for kind in CUE_KINDS}
    found["filler"] = sorted(fillers)
    for number, (kind, pattern) in parsed:
        if kind not in CUE_KINDS:
            raise LexiconError(f"modifiers.tsv:{number}: unknown kind {kind!r}")
        if kind != "filler":
            try:
                found[kind].extend(expand(pattern, irregular, fillers))
            except PatternError as error:
                raise LexiconError(f"modifiers.tsv:{number}: {error}") from error
    return found


def _entry(number: int, cells: list[str]) -> Entry:
    pattern, category, cameo, weight, flags = cells
    try:
        flag_set = set(flags.split(",")) - {""}
        if unknown := flag_set - ENTRY_FLAGS:
            raise LexiconError(f"lexicon.tsv:{number}: unknown flags {sorted(unknown)}")
        return Entry(
            pattern,
            category,
            cameo,
            float(weight),
            "reversible" in flag_set,
            "context" in flag_set,
            "grave" in flag_set,
            "sense" in flag_set,
        )
    except ValueError as error:
        raise LexiconError(f"lexicon.tsv:{number}: {error}") from error


def build(texts: Mapping[str, str]) -> Lexicon:
    """Validate and compile a lexicon from data file texts. Raises LexiconError on a bad row."""
    irregular = _irregular(texts["verbs.tsv"])
    cue_phrases = _cues(texts["modifiers.tsv"], irregular)
    fillers = frozenset(cue_phrases.pop("filler"))
    intensifiers = frozenset(cue_phrases["booster"]) | frozenset(cue_phrases["dampener"])
    # Intensifiers leave the skeleton too (they scale the next word), so no phrase may use one.
    dropped = fillers | intensifiers
    phrase_entries: dict[tuple[str, ...], int] = {}
    entries: list[Entry] = []
    for number, cells in rows("lexicon.tsv", texts["lexicon.tsv"], 5):
        entry = _entry(number, cells)
        try:
            phrases = expand(entry.pattern, irregular, dropped)
        except PatternError as error:
            raise LexiconError(f"lexicon.tsv:{number}: {error}") from error
        for phrase in phrases:
            # the first entry to claim a phrase keeps it
            phrase_entries.setdefault(tuple(phrase.split()), len(entries))
        entries.append(entry)
    idiom = len(entries)
    for phrase in cue_phrases.pop("idiom"):
        phrase_entries[tuple(phrase.split())] = idiom
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(texts[name].encode("utf-8"))
    # the narrow kinds first: a phrase that is also a non-event is a non-event
    nonevents = word_trie(
        {tuple(phrase.split()): PROCEDURE for phrase in cue_phrases.pop("procedure")}
        | {tuple(phrase.split()): OCCASION for phrase in cue_phrases.pop("occasion")}
        | {tuple(phrase.split()): NONEVENT for phrase in cue_phrases.pop("nonevent")}
    )
    try:
        topics = build_topics(rows("topics.tsv", texts["topics.tsv"], 3), irregular, dropped)
    except TopicError as bad:  # its own name: compiled code types one name per function
        raise LexiconError(str(bad)) from bad
    gap_stops = frozenset(cue_phrases.pop("gap_stop"))
    cues = {kind: index_cues(phrases, kind) for kind, phrases in cue_phrases.items()}
    structure = frozenset(
        phrase.rsplit(" ", 1)[-1]
        for kind in ("contrast", "concessive")
        for phrase in cue_phrases[kind]
    )
    trie = word_trie(phrase_entries)
    ends = last_kinds(cues)
    clause_breaks = CLAUSE_END | frozenset(
        phrase
        for kind in ("contrast", "concessive", "conjunction")
        for phrase in cue_phrases[kind]
        if " " not in phrase
    )
    return Lexicon(
        entries=tuple(entries),
        phrases=phrase_entries,
        trie=trie,
        vocabulary=_vocabulary(
            trie,
            fillers=fillers,
            intensifiers=intensifiers,
            structure=structure,
            cues=topics.trie,
            nonevents=nonevents,
            gap_stops=gap_stops,
            rules=_RuleWords(
                {word: tuple(cues[kind] for kind in kinds) for word, kinds in ends.items()},
                clause_breaks,
                structure | CLAUSE_END,
            ),
        ),
        cues=cues,
        last_kinds=ends,
        fillers=fillers,
        boosters=frozenset(cue_phrases["booster"]),
        dampeners=frozenset(cue_phrases["dampener"]),
        clause_breaks=clause_breaks,
        structure_marks=structure | CLAUSE_END,
        nonevents=nonevents,
        topics=topics,
        version=digest.hexdigest()[:16],
        idiom=idiom,
        private=frozenset(cue_phrases["private"]),
        offices=frozenset(cue_phrases["office"]),
    )


class _RuleWords:
    """The words the rules look at around a phrase: the cue kinds ending in each, the words that
    end a clause, and those the contrast rules walk (punctuation, contrast and concessive)."""

    def __init__(
        self, ends: dict[str, tuple[Cues, ...]], breaks: frozenset[str], markers: frozenset[str]
    ) -> None:
        self.ends = ends
        self.breaks = breaks
        self.markers = markers


def _vocabulary(
    trie: dict[str, WordNode],
    *,
    fillers: frozenset[str],
    intensifiers: frozenset[str],
    structure: frozenset[str],
    cues: dict[str, WordNode],
    nonevents: dict[str, WordNode],
    gap_stops: frozenset[str],
    rules: _RuleWords,
) -> dict[str, WordKind]:
    return {
        word: WordKind(
            # a number leaves the skeleton too: said here, the skeleton asks no digit of a word
            # the vocabulary knows
            dropped=word in fillers or word in intensifiers or word[:1].isdigit(),
            intensifier=word in intensifiers,
            structure=word in structure,
            starts=trie.get(word),
            cue=cues.get(word),
            nonevent=nonevents.get(word),
            ends=rules.ends.get(word, ()),
            clause_break=word in rules.breaks,
            marker=word in rules.markers,
            punctuation=word in CLAUSE_END,
            sentence_end=word in SENTENCE_END,
            gap_stop=word in gap_stops,
        )
        for word in trie.keys()
        | fillers
        | intensifiers
        | structure
        | cues.keys()
        | nonevents.keys()
        | rules.ends.keys()
        | rules.breaks
        | rules.markers
        | gap_stops
    }


@cache
def load_lexicon() -> Lexicon:
    """The packaged lexicon, loaded once per process. Raises LexiconError if the data is bad."""
    return build({name: read_data(name) for name in DATA_FILES})
