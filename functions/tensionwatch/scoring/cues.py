"""Rule cues (negators, hedges, reversers, ...) as word tuples, for look-backs over a skeleton."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cues:
    """Modifier phrases of one kind, as word tuples, with the lengths (longest first) they come in.

    `by_last` maps each cue's last word to the cue lengths ending in it, so a look-back costs one
    dict probe and at most a few set probes ("to" ends ~100 cues: "refuse to", "plan to", ...).
    """

    by_last: dict[str, tuple[int, ...]]
    phrases: frozenset[tuple[str, ...]]

    def ending_at(self, words: list[str], index: int) -> int:
        """Length of the longest cue ending at `words[index]`, or 0 if none does."""
        for size in self.by_last.get(words[index], ()):
            if size == 1:  # the word itself is the cue: by_last only lists lengths that exist
                return 1
            if size <= index + 1 and tuple(words[index + 1 - size : index + 1]) in self.phrases:
                return size
        return 0


def index_cues(phrases: list[str]) -> Cues:
    """Cues from their phrases (space-separated words)."""
    cues = frozenset(tuple(phrase.split()) for phrase in phrases)
    by_last: dict[str, set[int]] = {}
    for cue in cues:
        by_last.setdefault(cue[-1], set()).add(len(cue))
    lengths = {last: tuple(sorted(sizes, reverse=True)) for last, sizes in by_last.items()}
    return Cues(lengths, cues)


def last_kinds(cues: Mapping[str, Cues]) -> dict[str, tuple[str, ...]]:
    """For each word, the cue kinds that have a cue ending in it."""
    kinds: dict[str, list[str]] = {}
    for kind, index in cues.items():
        for last in index.by_last:
            kinds.setdefault(last, []).append(kind)
    return {last: tuple(names) for last, names in kinds.items()}
