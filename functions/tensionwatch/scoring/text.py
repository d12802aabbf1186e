"""Text plumbing for the scorer: sentences, clause-aware tokens, the matching skeleton. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

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
_DIGITS: Final = frozenset("0123456789")
_DASHES: Final = frozenset("-\u2013\u2014")
# The tokens that end a sentence, and a clause (rule windows never cross one).
SENTENCE_END: Final = frozenset({".", "!", "?"})
CLAUSE_END: Final = SENTENCE_END | {",", ";", ":", "(", ")", "-"}
# A sentence ends at . ! ? (plus closing quotes) before whitespace and an upper-case or digit start,
# or at a line break; abbreviations are rejoined below.
# The line-break side starts at the "\n" (so the regex scans for one of four characters, ~5x faster
# than a leading \s*); sentences() extends it back over the whitespace before the break.
_SENTENCE_END: Final = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*")
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

    text: str
    start: int
    number: int  # its position among the field's sentences

    def __init__(self, text: str, start: int, number: int) -> None:
        self.text = text
        self.start = start
        self.number = number


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
    word = text[space + 1 : end].rstrip(".").lower()
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


def tokens(lowered: str) -> list[str]:
    """The words, numbers and clause punctuation of a lower-cased text, in order: `TOKEN_PATTERN`'s
    matches (a test holds the two equal), without running the regex over plain words.

    No token spans whitespace, so each whitespace-separated chunk is tokenized alone; most are a
    plain word, or a word and one punctuation mark. A dash is a token only with whitespace on
    both sides: alone in its chunk, and not at the text's very start or end.
    """
    out: list[str] = []
    chunks = lowered.split()
    last = len(chunks) - 1
    for number, chunk in enumerate(chunks):
        if chunk.isascii() and chunk.isalnum():
            out.append(chunk)
        elif len(chunk) == 1:
            if chunk in _PUNCTUATION or (
                chunk in _DASHES
                and (number or lowered[0].isspace())
                and (number < last or lowered[-1].isspace())
            ):
                out.append(chunk)
        elif chunk[-1] in _PUNCTUATION and chunk.isascii() and chunk[:-1].isalnum():
            out.extend((chunk[:-1], chunk[-1]))
        else:
            out.extend(TOKEN_PATTERN.findall(chunk))
    return out


def words_of(tokens: list[str], drop: frozenset[str]) -> list[str]:
    """The matching skeleton: a text's tokens minus dropped words and numbers."""
    return [word for word in tokens if word not in drop and word[0] not in _DIGITS]


def blank(lowered: str, mentions: Sequence[Mention]) -> str:
    """The text with each country mention blanked out, offsets kept.

    A phrase such as "expel ... diplomats" must match across "expelled Russian diplomats".
    """
    if not mentions:
        return lowered
    parts: list[str] = []
    cursor = 0
    for mention in mentions:
        parts.extend((lowered[cursor : mention.start], " " * (mention.end - mention.start)))
        cursor = mention.end
    parts.append(lowered[cursor:])
    return "".join(parts)
