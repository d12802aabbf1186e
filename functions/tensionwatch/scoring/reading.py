"""A reading as plain tuples, and the two ways out of it: the `Score` model and its JSON. Pure.

The scorer builds evidence and its verdict from its own, already valid values. Validating them
again costs ~3 µs per evidence item and ~3 µs per Score, and `model_construct` is slower still
(measured on the 2,007 eval sentences, docs/scoring.md): a third of the time of a short sentence.
So the hot path keeps plain tuples; `to_score` builds the validated public model, and `to_json`
writes the bytes `Score.model_dump_json()` would (a test holds the two equal on any text).
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import NamedTuple

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


def _text(value: str | None) -> str:
    # encode_basestring escapes exactly what pydantic-core's serializer escapes (quote,
    # backslash, control characters) and leaves the rest as UTF-8, as model_dump_json does.
    return "null" if value is None else encode_basestring(value)


def _texts(values: tuple[str, ...]) -> str:
    return "[" + ",".join(map(encode_basestring, values)) + "]"


def _item_json(item: Item) -> str:
    return (
        f'{{"phrase":{encode_basestring(item.phrase)},"field":"{item.field}",'
        f'"start":{item.start},"end":{item.end},"sentence":{encode_basestring(item.sentence)},'
        f'"category":{encode_basestring(item.category)},"base_weight":{item.base_weight!r},'
        f'"weight":{item.weight!r},"rules":{_texts(item.rules)},"dyad":{_text(item.dyad)}}}'
    )


def to_json(reading: Reading) -> str:
    """The reading as `Score.model_dump_json()` would write it, without building the models."""
    evidence = ",".join(map(_item_json, reading.evidence))
    return (
        f'{{"direction":"{reading.direction}","score":{reading.score!r},'
        f'"confidence":{reading.confidence!r},"dyad":{_text(reading.dyad)},'
        f'"countries":{_texts(reading.countries)},"categories":{_texts(reading.categories)},'
        f'"mixed":{"true" if reading.mixed else "false"},"evidence":[{evidence}],'
        f'"lexicon_version":{encode_basestring(reading.lexicon_version)}}}'
    )
