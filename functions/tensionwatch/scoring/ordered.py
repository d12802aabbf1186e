"""Binary search over sorted lists of offsets. Pure.

The `bisect` module's functions are a call through the interpreter from compiled code (a module
attribute and a vectorcall, ~200 instructions); these compile to a native loop.
"""

from __future__ import annotations


def bisect_left(items: list[int], value: int) -> int:
    """`bisect.bisect_left(items, value)`: where `value` goes, before any equal item."""
    low, high = 0, len(items)
    while low < high:
        middle = (low + high) // 2
        if items[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low


def bisect_right(items: list[int], value: int) -> int:
    """`bisect.bisect_right(items, value)`: where `value` goes, after any equal item."""
    low, high = 0, len(items)
    while low < high:
        middle = (low + high) // 2
        if items[middle] <= value:
            low = middle + 1
        else:
            high = middle
    return low
