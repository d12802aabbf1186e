"""A reading as plain records, and the two ways out of it: the `Score` model and its JSON. Pure.

The scorer builds evidence and its verdict from its own, already valid values. Validating them
again costs ~3 µs per evidence item and ~3 µs per Score, and `model_construct` is slower still
(measured on the 2,007 eval sentences, docs/scoring.md): a third of the time of a short sentence.
So the hot path keeps plain records; `to_score` builds the validated public model, and `to_json`
writes the bytes `Score.model_dump_json()` would (a test holds the two equal on any text):
orjson writes the same compact JSON as pydantic-core in ~40% less time.
"""

from __future__ import annotations

from typing import Final, TypedDict

import orjson

from tensionwatch.models import Direction, Score, TextField

# Bound once: from compiled code, `orjson.dumps` is an attribute lookup on the module per call.
_DUMPS: Final = orjson.dumps


def rounded(value: float) -> float:
    """A reported number, to three decimals, halves away from zero.

    Not round(value, 3): that goes through a decimal string, ~2,000 instructions a call
    (callgrind), a tenth of a short text's whole reading; int() of a float is one C conversion.
    """
    return int(value * 1000 + (0.5 if value >= 0 else -0.5)) / 1000


# Dicts, built in the models' field order, so JSON is written straight from them: a record
# class converted field by field cost ~2,500 instructions per object (callgrind).


class Item(TypedDict):
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


class PairItem(TypedDict):
    """One pair's part of a reading; the fields of `PairReading`, in its order."""

    dyad: str
    direction: Direction
    score: float
    share: float
    grave: bool


class RelevanceItem(TypedDict):
    """The fields of `Relevance`, in its order."""

    topic: str
    on_topic: bool
    cues: tuple[str, ...]


class Reading(TypedDict):
    """An article's verdict; the fields of `Score`, in its order."""

    direction: Direction
    score: float
    confidence: float
    dyad: str | None
    pairs: list[PairItem]
    relevance: RelevanceItem
    countries: tuple[str, ...]
    categories: tuple[str, ...]
    mixed: bool
    grave: bool
    evidence: list[Item]
    lexicon_version: str


def to_score(reading: Reading) -> Score:
    """The public, validated model of a reading. Raises pydantic.ValidationError if invalid."""
    return Score.model_validate(reading)


def to_json(reading: Reading) -> bytes:
    """The reading as `Score.model_dump_json()` writes it (UTF-8), without building the models.

    Raises orjson.JSONEncodeError (a TypeError) if a text holds a lone surrogate.
    """
    return _DUMPS(reading)
