"""The canonical id of a country pair. Pure; here so the compiled scorer calls it natively."""

from __future__ import annotations


def dyad_of(first: str, second: str) -> str:
    """The canonical pair id: two alpha-2 codes, sorted, joined by '-'."""
    low, high = first.upper(), second.upper()
    return f"{low}-{high}" if low <= high else f"{high}-{low}"


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
