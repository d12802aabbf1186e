"""DyadsTable's markers: `ARTICLE#<id>` / `FOLDED`, a story's reading for its copies.

A story's marker keeps its reading: the pairs it folded into, each with its direction, score
and gravity, so that its syndicated copies fold into the same pairs without being scored again.
An article that folds into a pair is made once by its first pair's hour bucket (the bucket's
`folds` set, `tensionwatch.store.dyad_items`); one that folds into none (off-topic, or a copy
of such a story) by its marker's conditional put, which then holds nothing else. Markers
written before a reading named several pairs hold one `dyad`, `direction` and `score`: they
read as that one pair; markers written before the compact layout also hold the story's
outlets, which nothing reads.
"""

from __future__ import annotations

import json
from typing import Any

from tensionwatch.models import Article, PairReading
from tensionwatch.signals.fold import ON_TOPIC, Reading
from tensionwatch.store.dyad_items import key, number

MARKER_SK = "FOLDED"
# As long as the poll's band records (PollSettings.SEEN_TTL_DAYS), which match a copy to its
# story: a copy the poll matched always finds its story's reading (at 15 days, a copy of a
# 15-30-day-old story failed until the DLQ). It also outlives SQS's 14 days, so a marker
# catches every redelivery.
MARKER_TTL_DAYS = 30


def marker_key(article_id: str) -> dict[str, Any]:
    return key(f"ARTICLE#{article_id}", MARKER_SK)


def marker_item(article: Article, reading: Reading | None) -> dict[str, Any]:
    """The marker of `article`; a story's carries its reading for its copies. Expires after
    MARKER_TTL_DAYS."""
    expires = int(article.published_at.timestamp()) + MARKER_TTL_DAYS * 86_400
    row: dict[str, Any] = {**marker_key(article.id), "expires_at": {"N": str(expires)}}
    if reading is not None:
        row["direction"] = {"S": reading.direction}
        row["score"] = {"N": number(reading.score)}
        row["topic"] = {"S": reading.topic}
        pairs = [p.model_dump() for p in reading.pairs]
        row["pairs"] = {"S": json.dumps(pairs, separators=(",", ":"))}
    return row


def reading_of(item: dict[str, Any] | None) -> Reading | None:
    """The reading a story's marker holds; None for no marker or a copy's marker."""
    if item is None or "direction" not in item:
        return None
    direction, score = item["direction"]["S"], float(item["score"]["N"])
    if "pairs" in item:
        pairs = tuple(PairReading(**p) for p in json.loads(item["pairs"]["S"]))
    elif "dyad" in item:  # written before readings named several pairs
        pairs = (PairReading(dyad=item["dyad"]["S"], direction=direction, score=score, share=1.0),)
    else:
        pairs = ()
    topic = item["topic"]["S"] if "topic" in item else ON_TOPIC
    return Reading(direction, score, pairs, topic)
