"""The canonical id of a country pair. Pure; here so the compiled scorer calls it natively."""

from __future__ import annotations

from typing import Final

# Pair ids already built, by first code then second: a text's pairs are few and recur across
# texts, and two dict probes cost a fifth of two upper() calls, a comparison and a format.
_DYADS: Final[dict[str, dict[str, str]]] = {}
_DYADS_KEPT: Final = 1024  # codes per level; the 250 or so states stay far below


def dyad_of(first: str, second: str) -> str:
    """The canonical pair id: two alpha-2 codes, sorted, joined by '-'."""
    seconds = _DYADS.get(first)
    if seconds is None or len(seconds) >= _DYADS_KEPT:
        if len(_DYADS) >= _DYADS_KEPT:
            _DYADS.clear()
        seconds = _DYADS[first] = {}
    dyad = seconds.get(second)
    if dyad is None:
        low, high = first.upper(), second.upper()
        dyad = seconds[second] = f"{low}-{high}" if low <= high else f"{high}-{low}"
    return dyad


def across(actors: list[str], targets: list[str]) -> list[str]:
    """Each actor paired with each target, in order, once each: the pairs of "A and B act
    on C and D"."""
    pairs: list[str] = []
    for actor in actors:
        for target in targets:
            pair = dyad_of(actor, target)
            if actor != target and pair not in pairs:
                pairs.append(pair)
    return pairs


def among(actors: list[str]) -> list[str]:
    """Each pair of the actors, in order: the pairs of "A, B and C meet"."""
    pairs: list[str] = []
    for at, actor in enumerate(actors):
        for other in actors[at + 1 :]:
            pair = dyad_of(actor, other)
            if actor != other and pair not in pairs:
                pairs.append(pair)
    return pairs
