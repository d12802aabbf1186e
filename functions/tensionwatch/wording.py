"""How the product words a count for a reader: "1 story", "3 stories", "1,204 articles". Pure."""

from __future__ import annotations


def counted(count: int, one: str, many: str) -> str:
    """The count with its noun in the number it takes."""
    return f"{count:,} {one if count == 1 else many}"
