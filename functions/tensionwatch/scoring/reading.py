"""A reading as plain records, and the two ways out of it: the `Score` model and its JSON. Pure.

The scorer builds evidence and its verdict from its own, already valid values. Validating them
again costs ~3 µs per evidence item and ~3 µs per Score, and `model_construct` is slower still
(measured on the 2,007 eval sentences, docs/scoring.md): a third of the time of a short sentence.
So the hot path keeps plain records; `to_score` builds the public model from them as validation
would, without checking them again, and `to_json` writes the bytes `Score.model_dump_json()`
would (tests hold both equal to the validated model on any text): orjson writes the same
compact JSON as pydantic-core in ~40% less time.
"""

from __future__ import annotations

from typing import Any, Final, TypedDict, TypeVar

import orjson
from pydantic import BaseModel

from tensionwatch.models import (
    Direction,
    Evidence,
    PairReading,
    Relevance,
    Score,
    TextField,
)

# Bound once: from compiled code, `orjson.dumps` is an attribute lookup on the module per call.
_DUMPS: Final = orjson.dumps
_SET: Final = object.__setattr__  # a frozen model's attributes, set as pydantic sets them
Model = TypeVar("Model", bound=BaseModel)


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
    """The public model of a reading: what `Score.model_validate(reading)` gives, built
    without validating the scorer's own values again (6.4 us of a backtest's 18.6 a scored
    article; tests/unit/scoring/test_properties.py holds the two equal on any text)."""
    values: dict[str, Any] = dict(reading)
    values["pairs"] = tuple(trusted(PairReading, dict(p)) for p in reading["pairs"])
    values["relevance"] = trusted(Relevance, dict(reading["relevance"]))
    values["evidence"] = tuple(trusted(Evidence, dict(e)) for e in reading["evidence"])
    return trusted(Score, values)


def trusted(model: type[Model], values: dict[str, Any], fields: set[str] | None = None) -> Model:
    """`model` of `values` (every field, in the fields' order) as validation leaves it, with
    `fields` as its set fields (all of `values` unless given), without validating again or
    pydantic's per-field loop: for values the product made valid itself (a scorer's reading, an
    archive line already checked). Compiled here, as the scorer's hot path builds four or more
    a reading. Nothing is checked."""
    built = object.__new__(model)
    _SET(built, "__dict__", values)
    _SET(built, "__pydantic_fields_set__", set(values) if fields is None else fields)
    _SET(built, "__pydantic_extra__", None)
    _SET(built, "__pydantic_private__", None)
    return built


def to_json(reading: Reading) -> bytes:
    """The reading as `Score.model_dump_json()` writes it (UTF-8), without building the models.

    Raises orjson.JSONEncodeError (a TypeError) if a text holds a lone surrogate.
    """
    return _DUMPS(reading)
