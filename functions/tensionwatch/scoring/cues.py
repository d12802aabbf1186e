"""Word tries: the lexicon's phrases read forwards, rule cues (negators, hedges, reversers, ...)
read backwards from a word of the skeleton. Walking a trie builds no key. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

# A phrase's gap (patterns.py's `...`): a few words of any kind, read past without a key, as
# event coders' verb patterns skip a noun's modifiers ("settle the long border dispute").
GAP: Final = "..."
# A gap's words at most: "resolve the wartime forced labour issue" (the skeleton has no "the").
MAX_GAP_WORDS: Final = 3


class WordNode:
    """One word of a trie: the value of the phrase that ends here (-1: none ends here), the
    words that continue longer phrases, and the node after a gap that continues others."""

    def __init__(self) -> None:
        self.value = -1
        self.next: dict[str, WordNode] = {}
        self.gap: WordNode | None = None


def word_trie(phrases: Mapping[tuple[str, ...], int]) -> dict[str, WordNode]:
    """A trie of word sequences, each ending in a node holding its value (>= 0); a `GAP`
    between two words leads to a node's `gap` (never first or last: patterns.py refuses it)."""
    root: dict[str, WordNode] = {}
    for words, value in phrases.items():
        level, node = root, None
        for word in words[:-1]:
            if word == GAP and node is not None:
                if node.gap is None:
                    node.gap = WordNode()
                node = node.gap
            else:
                node = level.setdefault(word, WordNode())
            level = node.next
        level.setdefault(words[-1], WordNode()).value = value
    return root


def after_gap(
    node: WordNode, words: list[str], kinds: list[WordKind | None], at: int
) -> tuple[WordNode | None, int]:
    """The node of the first word within `MAX_GAP_WORDS` after `at` (itself first) that
    continues a phrase past `node`'s gap, and its index; (None, at) when none does before the
    clause ends or a word leaves the object's noun phrase (`gap_stop` in modifiers.tsv: a
    preposition, "to", a conjunction, an auxiliary or a commercial qualifier: "settle in for a
    long dispute" settles nothing)."""
    gap = node.gap
    if gap is None:
        return None, at
    for step in range(at, min(at + MAX_GAP_WORDS + 1, len(words))):
        found = gap.next.get(words[step])
        if found is not None:
            return found, step
        kind = kinds[step]
        if kind is not None and (kind.punctuation or kind.clause_break or kind.gap_stop):
            break
    return None, at


def longest_from(start: WordNode, words: list[str], at: int) -> tuple[int, int]:
    """The value and last word index of the longest phrase that starts at `words[at]` with
    trie node `start`; (-1, at) when none ends."""
    node: WordNode | None = start
    value, end, step, count = -1, at, at, len(words)
    while node is not None:
        if node.value >= 0:
            value, end = node.value, step
        step += 1
        node = node.next.get(words[step]) if step < count else None
    return value, end


class WordKind:
    """What the scorer needs to know of a word, in one dict probe per token: whether it leaves
    the skeleton (a filler, an intensifier or a number) and intensifies, whether it ends a
    contrast or concessive cue, the trie node of the phrases it starts, and of the topic cues
    it starts; and for the rules, which cue kinds end in it, whether it ends a clause, and
    whether the contrast rules look at it. The skeleton keeps each word's kind beside it, so
    the rules ask a list, not a dict, about the words around a phrase."""

    def __init__(
        self,
        *,
        dropped: bool,
        intensifier: bool,
        structure: bool,
        starts: WordNode | None,
        cue: WordNode | None = None,
        nonevent: WordNode | None = None,
        ends: tuple[Cues, ...] = (),
        clause_break: bool = False,
        marker: bool = False,
        punctuation: bool = False,
        sentence_end: bool = False,
        gap_stop: bool = False,
    ) -> None:
        self.dropped = dropped
        self.intensifier = intensifier
        self.structure = structure
        self.starts = starts
        self.cue = cue  # the topic cues (relevance) it starts
        self.nonevent = nonevent  # the non-event cues it starts
        self.ends = (
            ends  # the rule cues with a cue ending in it, by kind ("to": hedge, speech, ...)
        )
        self.clause_break = clause_break  # clause punctuation or a one-word contrast cue
        self.marker = marker  # punctuation, or the last word of a contrast or concessive cue
        self.punctuation = punctuation  # clause punctuation: , ; : ( ) - and the sentence ends
        self.sentence_end = sentence_end  # . ! ?
        self.gap_stop = gap_stop  # a word a phrase's gap stops at: out of the object's noun phrase


@dataclass(frozen=True, slots=True)
class Cues:
    """Modifier phrases of one kind, in a trie read backwards from their last word.

    `backwards` is keyed by the cues' last words, so a look-back costs one dict probe for a word
    that ends no cue ("to" ends ~100 cues: "refuse to", "plan to", ...).
    """

    backwards: dict[str, WordNode]
    kind: str = ""  # its kind in modifiers.tsv ("negator", "hedge", ...)

    def ending_at(self, words: list[str], index: int) -> int:
        """Length of the longest cue ending at `words[index]`, or 0 if none does."""
        node = self.backwards.get(words[index])
        size, at = 0, index
        while node is not None:
            if node.value > 0:  # a node's value is its cue's length
                size = node.value
            at -= 1
            node = node.next.get(words[at]) if at >= 0 else None
        return size


def index_cues(phrases: list[str], kind: str = "") -> Cues:
    """Cues of one kind from their phrases (space-separated words)."""
    cues = {tuple(phrase.split())[::-1]: len(phrase.split()) for phrase in phrases}
    return Cues(word_trie(cues), kind)


def last_kinds(cues: Mapping[str, Cues]) -> dict[str, tuple[str, ...]]:
    """For each word, the cue kinds that have a cue ending in it."""
    kinds: dict[str, list[str]] = {}
    for kind, index in cues.items():
        for last in index.backwards:
            kinds.setdefault(last, []).append(kind)
    return {last: tuple(names) for last, names in kinds.items()}
