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


def locate(text: str, words: list[str], first: int, last: int) -> tuple[int, int] | None:
    """The (start, end) in `text` of the skeleton phrase words[first..last], or None."""
    head = words[first]
    at = -1
    for _ in range(words[:first].count(head) + 1):
        at = _whole_word(text, head, at + 1)
        if at < 0:
            return None
    if last == first:
        return at, at + len(head)
    tail = _whole_word(text, words[last], at + len(head))
    return None if tail < 0 else (at, tail + len(words[last]))
