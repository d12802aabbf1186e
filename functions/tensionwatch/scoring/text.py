"""Text plumbing for the scorer: sentences, clause-aware tokens, the matching skeleton. Pure."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from tensionwatch.scoring.cues import WordKind

if TYPE_CHECKING:
    from tensionwatch.scoring.actors import Mention

# Curly quotes and dashes become their ASCII twins, one character for one, so offsets survive.
_FOLD: Final = (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'))
# Words, numbers with separators, and the punctuation that ends a clause (windows never cross it).
# Possessive quantifiers (nothing follows a word, so giving back characters never helps) and the
# dash's look-behind placed after it (every branch then starts with a character class) make
# findall ~18% faster with the same tokens.
TOKEN_PATTERN: Final = re.compile(
    r"[a-z0-9]++(?:['.,][a-z0-9]++)*+|[.,;:()!?]|[-\u2013\u2014](?<=\s.)(?=\s)"
)
_PUNCTUATION: Final = frozenset(".,;:()!?")
_DASHES: Final = frozenset("-\u2013\u2014")
# The tokens that end a sentence, and a clause (rule windows never cross one).
SENTENCE_END: Final = frozenset({".", "!", "?"})
CLAUSE_END: Final = SENTENCE_END | {",", ";", ":", "(", ")", "-"}
# A sentence ends at . ! ? (plus closing quotes) before whitespace and an upper-case or digit start,
# or at a line break; abbreviations are rejoined below.
# The line-break side starts at the "\n" (so the regex scans for one of four characters, ~5x faster
# than a leading \s*); sentences() extends it back over the whitespace before the break.
# Both sides start with one character class, a look-behind then choosing the side: sre skips to
# a pattern's first character only when it knows one set of them (not for two alternatives),
# which makes the scan 40% faster with the same matches (`[.!?]...|\n\s*` before).
_SENTENCE_END: Final = re.compile(
    r"[.!?\n](?:(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|(?<=\n)\s*)"
)
# Common abbreviations that end with a full stop inside a sentence (AP style), lower-case.
_ABBREVIATIONS: Final = frozenset(
    [
        "u.s",
        "u.k",
        "u.n",
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "adm",
        "sen",
        "rep",
        "gov",
        "pres",
        "st",
        "jr",
        "sr",
        "vs",
        "no",
        "inc",
        "corp",
        "co",
        "ltd",
        "jan",
        "feb",
        "mar",
        "apr",
        "aug",
        "sept",
        "oct",
        "nov",
        "dec",
        "prof",
        "rev",
        "maj",
        "cmdr",
    ]
)


class Sentence:
    """One sentence of a field: its text, offset in the field, and position in the field."""

    def __init__(self, text: str, start: int, number: int) -> None:
        self.text = text
        self.start = start
        self.number = number  # its position among the field's sentences


def normalise(text: str) -> str:
    """Lower-case and fold typographic quotes, keeping every character offset."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lower-cases to two characters: keep such ones as they are
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if not lowered.isascii():
        for typographic, plain in _FOLD:
            lowered = lowered.replace(typographic, plain)
    return lowered


def _ends_with_abbreviation(text: str, start: int, end: int) -> bool:
    space = max(text.rfind(" ", start, end), text.rfind("\n", start, end), start - 1)
    # the last part of a hyphened compound: "Japan-S. Korea", "US-U.K. talks"
    word = text[space + 1 : end].rstrip(".").rsplit("-", 1)[-1].lower()
    return len(word) == 1 or word in _ABBREVIATIONS


def sentences(text: str) -> list[Sentence]:
    """Split a field into sentences, with character offsets; abbreviations do not end one."""
    inner = text.rstrip()[:-1]
    if "\n" not in inner and "." not in inner and "!" not in inner and "?" not in inner:
        return [Sentence(text, 0, 0)] if text.strip() else []  # a headline or one short sentence
    spans: list[tuple[int, int]] = []
    cursor = previous = 0
    for found in _SENTENCE_END.finditer(text):
        start, end = found.span()
        if text[start] == "\n":
            while start > previous and text[start - 1].isspace():
                start -= 1
        elif "\n" in found.group() or not _ends_with_abbreviation(text, cursor, start + 1):
            start += 1
        else:
            previous = end
            continue
        spans.append((cursor, start))
        cursor = previous = end
    spans.append((cursor, len(text)))
    out = [(start, end) for start, end in spans if text[start:end].strip()]
    return [Sentence(text[s:e], s, i) for i, (s, e) in enumerate(out)]


class Skeleton:
    """A text's matching skeleton: its tokens minus dropped words and numbers, what the lexicon
    knows of each (None: nothing), where lexicon phrases may start in it, and whether a dropped
    intensifier or a contrast word was seen."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.kinds: list[WordKind | None] = []  # beside each word: the rules ask a list
        # Where a lexicon phrase, a topic cue or a non-event cue starts: word indexes, in one
        # list (each word's kind holds the trie nodes of what starts there)
        self.starts: list[int] = []
        self.markers: list[int] = []  # where punctuation, contrast and concessive words stand
        self.nonevents = False  # a word that may start a non-event cue is among the words
        self.intensified = False
        self.structured = False  # a contrast or concessive word is among the words

    def add(self, token: str, vocabulary: dict[str, WordKind]) -> None:
        """Keep a token, or drop it (fillers, intensifiers and numbers leave the skeleton)."""
        self.take(token, vocabulary.get(token))

    def take(self, token: str, kind: WordKind | None) -> None:
        """`add` with the token's vocabulary entry already looked up."""
        if kind is None:
            if not token[0].isdigit():
                self.words.append(token)
                self.kinds.append(None)
        elif kind.dropped:  # a filler, an intensifier or a number
            self.intensified = self.intensified or kind.intensifier
        else:
            at = len(self.words)
            if kind.starts is not None or kind.cue is not None or kind.nonevent is not None:
                self.starts.append(at)
                self.nonevents = self.nonevents or kind.nonevent is not None
            if kind.marker:
                self.markers.append(at)
            self.structured = self.structured or kind.structure
            self.words.append(token)
            self.kinds.append(kind)


def skeleton(lowered: str, vocabulary: dict[str, WordKind]) -> Skeleton:
    """The matching skeleton of a lower-cased text, from its tokens (`TOKEN_PATTERN`'s matches).

    No token spans whitespace, so each whitespace-separated chunk is tokenized alone, and most
    chunks are a plain word, or a word and a comma or full stop: only the others go through the
    regex (a test holds the result to the grammar).
    """
    built = Skeleton()
    words, kinds = built.words, built.kinds
    plain = lowered.isascii()
    chunks = lowered.split()
    last = len(chunks) - 1
    for number, chunk in enumerate(chunks):
        word, mark = chunk, ""
        if not ((plain or chunk.isascii()) and chunk.isalnum()):  # not one word or number
            word, mark = chunk[:-1], chunk[-1]
            if not (mark in _PUNCTUATION and word.isalnum() and (plain or word.isascii())):
                # a dash is a token only with whitespace on both sides, so not at the text's
                # very edges
                spaced = (number > 0 or lowered[0].isspace()) and (
                    number < last or lowered[-1].isspace()
                )
                for token in _odd_chunk(chunk, spaced):
                    built.add(token, vocabulary)
                continue
        kind = vocabulary.get(word)
        if kind is None and not word[0].isdigit():  # the commonest: a word of no rule
            words.append(word)
            kinds.append(None)
        else:
            built.take(word, kind)
        if mark:  # the word's comma or full stop
            built.add(mark, vocabulary)
    return built


# The odd chunks of news repeat ("u.s.", "'s" after a blanked country, "cease-fire"), and a
# findall costs ~1,500 instructions: their tokens are kept once found, up to a bound.
_ODD_TOKENS: Final[dict[str, tuple[str, ...]]] = {}
_ODD_TOKENS_KEPT: Final = 4096


def _odd_chunk(chunk: str, spaced: bool) -> tuple[str, ...]:
    """The tokens of a chunk that is not a plain word."""
    if len(chunk) == 1:
        keep = chunk in _PUNCTUATION or (spaced and chunk in _DASHES)
        return (chunk,) if keep else ()
    found = _ODD_TOKENS.get(chunk)
    if found is None:
        found = tuple(TOKEN_PATTERN.findall(chunk))
        if len(_ODD_TOKENS) >= _ODD_TOKENS_KEPT:
            _ODD_TOKENS.clear()
        _ODD_TOKENS[chunk] = found
    return found


def blank(lowered: str, mentions: list[Mention]) -> str:
    """The text with each country mention blanked out, offsets kept.

    A phrase such as "expel ... diplomats" must match across "expelled Russian diplomats". A
    hyphen joining two mentions goes with them: left between two blanks it would read as a
    spaced dash, a clause end, and cut "no" off "US-China deal". A pact named for its two states
    leaves its common noun ("quits GSOMIA" reads "quits pact"); a place read as both its states
    is two mentions of one span, blanked once.
    """
    if not mentions:
        return lowered
    parts: list[str] = []
    cursor = 0
    for mention in mentions:
        if mention.start < cursor:
            continue
        between = lowered[cursor : mention.start]
        if cursor and len(between) == 1 and between in _DASHES:
            between = " "
        parts.append(between)
        parts.append(mention.noun.ljust(mention.end - mention.start))
        cursor = mention.end
    parts.append(lowered[cursor:])
    return "".join(parts)
