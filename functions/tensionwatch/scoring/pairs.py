"""The canonical id of a country pair. Pure; here so the compiled scorer calls it natively."""

from __future__ import annotations


def dyad_of(first: str, second: str) -> str:
    """The canonical pair id: two alpha-2 codes, sorted, joined by '-'."""
    low, high = first.upper(), second.upper()
    return f"{low}-{high}" if low <= high else f"{high}-{low}"
