"""The records of a JSON answer one by one, so that one unreadable record loses only itself.

GDELT's DOC API is known to put invalid escapes (`\\q`) into titles: `json.loads` then refuses
the whole answer, and the poll would fail the same way every five minutes for as long as that
record is among the newest. Here the answer's frame (`{"articles": [ ... ]}`) must be whole; a
record inside it that does not parse is counted and skipped. Pure.
"""

from __future__ import annotations

import json
import re
from typing import Any

_SPECIAL = re.compile(r'["\\{}\[\]]')  # what changes the scanner's state inside a record
_DECODER = json.JSONDecoder(strict=False)  # control characters inside strings are harmless


def array_records(text: str, key: str) -> tuple[list[Any], int]:
    """The decoded records of the array at `key` of a `{key: [...]}` document, and how many
    records could not be decoded; raises ValueError when the frame itself is broken (no such
    array, a record running to the end of the text: a truncated answer loses nothing silently).
    """
    opening = re.compile(r'\s*\{\s*"' + re.escape(key) + r'"\s*:\s*\[').match(text)
    if not opening:
        raise ValueError(f"no {key!r} array at the top of the document")
    records: list[Any] = []
    unreadable = 0
    pos = _skip_space(text, opening.end())
    while pos < len(text) and text[pos] != "]":
        end = _record_end(text, pos)
        try:
            records.append(_DECODER.decode(text[pos:end]))
        except (ValueError, RecursionError):  # RecursionError: hostile nesting depth
            unreadable += 1
        pos = _after_separator(text, end)
    _expect_close(text, pos)
    return records, unreadable


def _record_end(text: str, start: int) -> int:
    """Index just past the object or array starting at `start`, found by its brackets
    outside strings (a backslash skips the character after it, valid escape or not)."""
    if text[start] not in "{[":
        raise ValueError("a record is not an object or an array")
    depth, in_string, pos = 0, False, start
    while match := _SPECIAL.search(text, pos):
        char, pos = match.group(), match.end()
        if in_string:
            if char == "\\":
                pos += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return pos
    raise ValueError("a record runs to the end of the text")


def _after_separator(text: str, pos: int) -> int:
    pos = _skip_space(text, pos)
    if pos < len(text) and text[pos] == ",":
        return _skip_space(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        return pos
    raise ValueError("records are not separated by commas")


def _expect_close(text: str, pos: int) -> None:
    if not re.compile(r"\]\s*\}\s*\Z").match(text, pos):
        raise ValueError("the array or the document is not closed")


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
