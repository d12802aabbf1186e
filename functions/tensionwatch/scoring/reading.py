"""A reading as plain records, and the two ways out of it: the `Score` model and its JSON. Pure.

The scorer builds evidence and its verdict from its own, already valid values. Validating them
again costs ~3 µs per evidence item and ~3 µs per Score, and `model_construct` is slower still
(measured on the 2,007 eval sentences, docs/scoring.md): a third of the time of a short sentence.
So the hot path keeps plain records; `to_score` builds the validated public model, and `to_json`
writes the bytes `Score.model_dump_json()` would (a test holds the two equal on any text):
orjson writes the same compact JSON as pydantic-core in ~40% less time.
"""

from __future__ import annotations

from typing import Any

import orjson

from tensionwatch.models import Direction, Evidence, Score, TextField

# Plain classes with their own __init__, not NamedTuples or dataclasses: mypyc compiles such a
# class natively, while a dataclass's generated __init__ stays interpreted (~3,500 instructions
# per object under callgrind, about 12 objects per short text).


def rounded(value: float) -> float:
    """A reported number, to three decimals, halves away from zero.

    Not round(value, 3): that goes through a decimal string, ~2,000 instructions a call
    (callgrind), a tenth of a short text's whole reading; int() of a float is one C conversion.
    """
    return int(value * 1000 + (0.5 if value >= 0 else -0.5)) / 1000


class Item:
    """One piece of evidence; the fields of `Evidence`."""

    def __init__(
        self,
        *,
        phrase: str,
        field: TextField,
        start: int,
        end: int,
        sentence: str,
        category: str,
        base_weight: float,
        weight: float,
        rules: tuple[str, ...],
        dyad: str | None,
    ) -> None:
        self.phrase = phrase
        self.field = field
        self.start = start
        self.end = end
        self.sentence = sentence
        self.category = category
        self.base_weight = base_weight
        self.weight = weight
        self.rules = rules
        self.dyad = dyad

    def fields(self) -> dict[str, Any]:
        """The fields by name, in `Evidence`'s order."""
        return {
            "phrase": self.phrase,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "category": self.category,
            "base_weight": self.base_weight,
            "weight": self.weight,
            "rules": self.rules,
            "dyad": self.dyad,
        }


class Reading:
    """An article's verdict; the fields of `Score`."""

    def __init__(
        self,
        *,
        direction: Direction,
        score: float,
        confidence: float,
        dyad: str | None,
        countries: tuple[str, ...],
        categories: tuple[str, ...],
        mixed: bool,
        evidence: tuple[Item, ...],
        lexicon_version: str,
    ) -> None:
        self.direction = direction
        self.score = score
        self.confidence = confidence
        self.dyad = dyad
        self.countries = countries
        self.categories = categories
        self.mixed = mixed
        self.evidence = evidence
        self.lexicon_version = lexicon_version

    def fields(self) -> dict[str, Any]:
        """The fields by name, in `Score`'s order, the evidence as its items' fields."""
        return {
            "direction": self.direction,
            "score": self.score,
            "confidence": self.confidence,
            "dyad": self.dyad,
            "countries": self.countries,
            "categories": self.categories,
            "mixed": self.mixed,
            "evidence": [item.fields() for item in self.evidence],
            "lexicon_version": self.lexicon_version,
        }


def to_score(reading: Reading) -> Score:
    """The public, validated model of a reading. Raises pydantic.ValidationError if invalid."""
    fields = reading.fields()
    fields["evidence"] = tuple(Evidence(**item.fields()) for item in reading.evidence)
    return Score(**fields)


def to_json(reading: Reading) -> str:
    """The reading as `Score.model_dump_json()` writes it, without building the models.

    Raises orjson.JSONEncodeError (a TypeError) if a text holds a lone surrogate.
    """
    return orjson.dumps(reading.fields()).decode()
