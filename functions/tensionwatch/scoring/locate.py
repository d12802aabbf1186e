"""Where lexicon phrases match in the skeleton and sit in the original text. Pure.

The skeleton keeps every occurrence of a lexicon word (only fillers, numbers, intensifiers and
country names leave it, and no phrase uses those), so the k-th occurrence of a phrase's first word
in the skeleton is its k-th whole-word occurrence in the text. Plain str.find, no regex.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from tensionwatch.scoring.cues import WordKind, WordNode, after_gap
from tensionwatch.scoring.ordered import bisect_right
from tensionwatch.scoring.pairs import across, among, dyad_of

if TYPE_CHECKING:
    from tensionwatch.scoring.actors import Mention
    from tensionwatch.scoring.text import Sentence


def _letter(code: int) -> bool:
    """A letter or digit of the lower-cased text, by code point (ord() and integer comparisons
    compile to native code; a set probe per character does not)."""
    return 97 <= code <= 122 or 48 <= code <= 57  # a-z, 0-9


def _word_char(code: int) -> bool:
    """A letter, a digit or an apostrophe."""
    return _letter(code) or code == 39


def _joiner(code: int) -> bool:
    """A full stop, comma or apostrophe: between word characters, they join two words into one
    token."""
    return code in (46, 44, 39)  # a tuple display: compiled to three comparisons


def _whole_word(text: str, word: str, start: int) -> int:
    """Index of the next whole-word occurrence of `word` at or after `start`, or -1."""
    size = len(text)
    while True:
        at = text.find(word, start)
        if at < 0:
            return -1
        end = at + len(word)
        before = ord(text[at - 1]) if at else 32  # a space before the text and after it
        after = ord(text[end]) if end < size else 32
        # "talks.the" is one token to the tokenizer ([.,] between letters joins), so not a match
        joined = (_joiner(after) and end + 1 < size and _word_char(ord(text[end + 1]))) or (
            at > 1 and _joiner(before) and _word_char(ord(text[at - 2]))
        )
        # a quote mark is part of a word only between word characters ("didn't"): 'expelled'
        # in quotes is the word expelled
        if not _letter(before) and not _letter(after) and not joined:
            return at
        start = at + 1


class Locator:
    """Finds skeleton phrases in one text, in order, walking forward from the previous phrase."""

    def __init__(self, text: str, words: list[str]) -> None:
        self._text = text
        self._words = words
        self._index = -1  # skeleton index of the last word of the previous phrase found
        self._pos = 0  # text position just after it

    def find(self, first: int, last: int) -> tuple[int, int] | None:
        """The (start, end) in the text of the skeleton phrase words[first..last], or None.

        Raises nothing; phrases must be asked for in skeleton order.
        """
        words, head = self._words, self._words[first]
        at = self._pos - 1
        repeats = 0  # the head's earlier occurrences since the previous phrase come first
        for index in range(self._index + 1, first):
            if words[index] == head:
                repeats += 1
        for _ in range(repeats + 1):
            at = _whole_word(self._text, head, at + 1)
            if at < 0:
                return None
        end = at + len(head)
        if last > first:
            tail = _whole_word(self._text, words[last], end)
            if tail < 0:
                return None
            end = tail + len(words[last])
        self._index, self._pos = last, end
        return at, end


def longest_hits(
    words: list[str], kinds: list[WordKind | None], starts: list[int]
) -> list[tuple[int, int, int]]:
    """Matched phrases as (first word, last word, entry), longest first, never overlapping;
    `starts` holds the words that may begin one (their kinds hold the trie nodes)."""
    # The longest phrase at each start, in text order, but for one inside the phrase before it
    # ("talks" in "peace talks"). When those do not overlap, they are the answer (most texts):
    # every other phrase lies inside one of them and is shorter, so it comes later in the
    # longest-first order and finds it taken; and none of them overlaps another.
    longest: list[tuple[int, int, int]] = []
    for first in starts:
        last, entry = _longest_at(words, kinds, first)
        if entry >= 0 and not (longest and last <= longest[-1][1]):
            longest.append((first, last, entry))
    if all(longest[at - 1][1] < longest[at][0] for at in range(1, len(longest))):
        return longest
    return _resolve_overlaps(words, kinds, starts)


def _longest_at(words: list[str], kinds: list[WordKind | None], first: int) -> tuple[int, int]:
    """The last word and entry of the longest phrase starting at `first`; (first, -1) if none."""
    kind = kinds[first]
    node = kind.starts if kind is not None else None
    last, best, entry = first, first, -1
    while node is not None:
        if node.value >= 0:
            best, entry = last, node.value
        node, last = _step(node, words, kinds, last + 1)
    return best, entry


def _step(
    node: WordNode, words: list[str], kinds: list[WordKind | None], at: int
) -> tuple[WordNode | None, int]:
    """The node that continues a phrase past `node` with `words[at]`, or past its gap with a
    word a little further, and where that word is; (None, at) at the text's end or if none."""
    if at >= len(words):
        return None, at
    found = node.next.get(words[at])
    if found is None and node.gap is not None:
        return after_gap(node, words, kinds, at)
    return found, at


def _resolve_overlaps(
    words: list[str], kinds: list[WordKind | None], starts: list[int]
) -> list[tuple[int, int, int]]:
    """Every phrase at every start, longest first then earliest, each kept unless it overlaps
    one kept before it."""
    found = []
    for first in starts:
        kind = kinds[first]
        node = kind.starts if kind is not None else None
        last = first
        while node is not None:
            if node.value >= 0:
                found.append((first - last, first, last, node.value))
            node, last = _step(node, words, kinds, last + 1)
    found.sort()  # longest first, then earliest
    used: set[int] = set()
    hits = []
    for _, first, last, entry in found:
        if first == last:  # most phrases are one word
            if first not in used:
                used.add(first)
                hits.append((first, last, entry))
            continue
        span = range(first, last + 1)
        if used.isdisjoint(span):
            used.update(span)
            hits.append((first, last, entry))
    return sorted(hits)


def sentence_at(starts: list[int], position: int) -> int:
    """The sentence holding a text position, from the sentences' start offsets."""
    return max(bisect_right(starts, position) - 1, 0)


def codes_by_sentence(parts: list[Sentence], found: list[Mention]) -> list[list[str]]:
    """The countries named in each sentence, in order of first mention."""
    codes: list[list[str]] = [[] for _ in parts]
    if not found or not parts:
        return codes
    starts = [part.start for part in parts] if len(parts) > 1 else []  # most texts: one
    for mention in found:
        at = sentence_at(starts, mention.start) if starts else 0
        if mention.code not in codes[at]:
            codes[at].append(mention.code)
    return codes


# "A, B and C cut ties with D": the words that turn a sentence from its actors to its target.
_TARGET_WORDS: Final = (" with ", " against ", " on ", " from ")


def target_splits(parts: list[Sentence], found: list[Mention], lowered: str) -> list[int]:
    """Per sentence, how many of its countries (in first-mention order) come before the first
    target word that has a country after it: "A, B and C cut ties with D" gives 3; 0 when no
    such word stands between two countries."""
    if len(found) < 3:
        return [0] * len(parts)
    if len(parts) == 1:  # most texts: every country is in the one sentence
        return [_split(found, lowered)]
    splits = [0] * len(parts)
    starts = [part.start for part in parts]
    by_sentence: list[list[Mention]] = [[] for _ in parts]
    for mention in found:
        by_sentence[sentence_at(starts, mention.start)].append(mention)
    for at, mentions in enumerate(by_sentence):
        if len(mentions) >= 3:
            splits[at] = _split(mentions, lowered)
    return splits


def _split(mentions: list[Mention], lowered: str) -> int:
    first, last = mentions[0].end, mentions[-1].start
    between = [lowered.find(word, first, last) for word in _TARGET_WORDS]
    found = [at for at in between if at >= 0]
    if not found:
        return 0
    turn = found[0]
    for at in found:  # min(), natively
        turn = min(turn, at)
    codes: list[str] = []
    for mention in mentions:
        if mention.start > turn:
            break
        if mention.code not in codes:
            codes.append(mention.code)
    return len(codes)


# How far a compound of two names may stand before the phrase it owns, in characters: a word or
# two between ("US-China trade war", "Japan-S. Korea intel pact").
COMPOUND_REACH: Final = 16


def _compound_before(mentions: list[Mention], start: int, low: int) -> list[str]:
    """The pair of a hyphened compound of two names right before the phrase at `low`: the
    compound names whose act or instrument it is ("disappointed at the end of the Japan-South
    Korea pact" is the pact of JP-KR, whoever speaks of it). Empty if there is none."""
    for at in range(1, len(mentions)):
        first, second = mentions[at - 1], mentions[at]
        if not second.joined or first.start < start or first.code == second.code:
            continue
        if 0 <= low - second.end <= COMPOUND_REACH:
            return [dyad_of(first.code, second.code)]
    return []


_BETWEEN: Final = " between "


def between_after(mentions: list[Mention], lowered: str, high: int) -> list[str]:
    """The pair a phrase ending at `high` names right after it with "between A and B": "voices
    concern over tension between India and China" is IN-CN's tension, whoever speaks of it."""
    if not lowered.startswith(_BETWEEN, high):
        return []
    first_at = high + len(_BETWEEN)
    if lowered.startswith("the ", first_at):  # "talks between the US and China"
        first_at += len("the ")
    for at in range(1, len(mentions)):
        first, second = mentions[at - 1], mentions[at]
        if first.start == first_at and first.code != second.code:
            joint = lowered[first.end : second.start]
            return [dyad_of(first.code, second.code)] if joint in (" and ", " & ") else []
    return []


def around(
    mentions: list[Mention],
    start: int,
    end: int,
    low: int,
    joint: bool,
    *,
    reciprocal: bool = False,
    place: frozenset[str] = frozenset(),
    topic: frozenset[str] = frozenset(),
) -> list[str]:
    """The pairs of a phrase starting at `low` in a sentence at [start, end) that names three or
    more countries: each country before the phrase (its actors) with each in or after it (its
    targets): "the US, Britain and Canada sanction Russia" is US-RU, GB-RU, CA-RU. A `joint` act
    (meeting, agreeing, cooperating) with no target is done among its actors: "China, Japan and
    South Korea hold a summit" is each pair of the three; with two or more targets, among all of
    them ("China hosts a summit with Japan and South Korea"). A joint act's countries after a
    word of `place` (wherever they stand) or of `topic` (after the phrase) are its place or its
    topic, not its parties ("talks in Bangkok", "meet amid China tensions"). Otherwise empty
    when the countries do not stand on both sides."""
    owners = _compound_before(mentions, start, low)
    if owners:
        return owners
    actors: list[str] = []
    targets: list[str] = []
    for mention in mentions:
        if mention.start < start or mention.start >= end:
            continue
        # a country inside the phrase is its object: "expel Russian diplomats"
        side = actors if mention.end <= low else targets
        # a joint act's place, anywhere, and its topic after it are not its parties; a topic
        # before it may own the act ("over Seoul's termination of the pact with Tokyo")
        if joint and (mention.before in place or (side is targets and mention.before in topic)):
            continue
        if mention.code not in side:
            side.append(mention.code)
    # a `reciprocal` act (a truce) with no target is between its two actors
    if not targets and (joint or (reciprocal and len(actors) == 2)):
        return among(actors)
    if joint and len(targets) >= 2:
        # "China hosts a summit with Japan and South Korea": a meeting of them all
        return among(actors + [code for code in targets if code not in actors])
    return across(actors, targets)
