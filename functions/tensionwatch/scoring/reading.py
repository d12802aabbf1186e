"""A reading as plain tuples, and the two ways out of it: the `Score` model and its JSON. Pure.

The scorer builds evidence and its verdict from its own, already valid values. Validating them
again costs ~3 µs per evidence item and ~3 µs per Score, and `model_construct` is slower still
(measured on the 2,007 eval sentences, docs/scoring.md): a third of the time of a short sentence.
So the hot path keeps plain tuples; `to_score` builds the validated public model, and `to_json`
writes the bytes `Score.model_dump_json()` would (a test holds the two equal on any text):
orjson writes the same compact JSON as pydantic-core in ~40% less time.
"""

from __future__ import annotations

from typing import NamedTuple

import orjson

from tensionwatch.models import Direction, Evidence, Score, TextField


class Item(NamedTuple):
    """One piece of evidence; the fields of `Evidence`, in its order."""

    phrase: str
    field: TextField
    start: int
    end: int
    sentence: str
    category: str
    base_weight: float
    weight: float
    rules: tuple[str, ...]
    dyad: str | None


class Reading(NamedTuple):
    """An article's verdict; the fields of `Score`, in its order."""

    direction: Direction
    score: float
    confidence: float
    dyad: str | None
    countries: tuple[str, ...]
    categories: tuple[str, ...]
    mixed: bool
    evidence: tuple[Item, ...]
    lexicon_version: str


def to_score(reading: Reading) -> Score:
    """The public, validated model of a reading. Raises pydantic.ValidationError if invalid."""
    fields = reading._asdict()
    fields["evidence"] = tuple(Evidence(**item._asdict()) for item in reading.evidence)
    return Score(**fields)


_ITEM_FIELDS = Item._fields
_READING_FIELDS = Reading._fields


def to_json(reading: Reading) -> str:
    """The reading as `Score.model_dump_json()` writes it, without building the models.

    Raises orjson.JSONEncodeError (a TypeError) if a text holds a lone surrogate.
    """
    fields: dict[str, object] = dict(zip(_READING_FIELDS, reading, strict=True))
    fields["evidence"] = [dict(zip(_ITEM_FIELDS, item, strict=True)) for item in reading.evidence]
    return orjson.dumps(fields).decode()
