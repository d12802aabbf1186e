"""Where a skeleton phrase sits in the original text. Pure.

The skeleton keeps every occurrence of a lexicon word (only fillers, numbers, intensifiers and
country names leave it, and no phrase uses those), so the k-th occurrence of a phrase's first word
in the skeleton is its k-th whole-word occurrence in the text. Plain str.find, no regex.
"""

from __future__ import annotations

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'")


def _whole_word(text: str, word: str, start: int) -> int:
    """Index of the next whole-word occurrence of `word` at or after `start`, or -1."""
    while True:
        at = text.find(word, start)
        if at < 0:
            return -1
        end = at + len(word)
        before = text[at - 1] if at else " "
        after = text[end] if end < len(text) else " "
        if before not in _WORD_CHARS and after not in _WORD_CHARS:
            return at
        start = at + 1


class Locator:
    """Finds skeleton phrases in one text, in order; each word's occurrences are counted once."""

    def __init__(self, text: str, words: list[str]) -> None:
        self._text = text
        self._words = words
        self._seen: dict[str, tuple[int, int]] = {}  # word -> (skeleton index, text position)

    def _occurrence(self, index: int) -> int:
        """Text position of words[index], walking on from the word's previous occurrence."""
        word = self._words[index]
        seen_index, at = self._seen.get(word, (-1, -1))
        if at < -1:
            return -1
        for _ in range(self._words[seen_index + 1 : index + 1].count(word)):
            at = _whole_word(self._text, word, at + 1)
            if at < 0:
                break
        self._seen[word] = (index, at if at >= 0 else -2)
        return at

    def find(self, first: int, last: int) -> tuple[int, int] | None:
        """The (start, end) in the text of the skeleton phrase words[first..last], or None."""
        at = self._occurrence(first)
        if at < 0:
            return None
        head = self._words[first]
        if last == first:
            return at, at + len(head)
        tail = _whole_word(self._text, self._words[last], at + len(head))
        return None if tail < 0 else (at, tail + len(self._words[last]))
