"""What the score function made of each demo story, read back from the DyadsTable: the topic
and the pairs on its processed-marker, and the pairs whose signal cites it. The report shows
the stories read off-topic and the ones split into several pairs; the e2e test checks them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tensionwatch.models import Article
from tensionwatch.signals.fold import ON_TOPIC
from tensionwatch.store.dyads import DyadStore


@dataclass(frozen=True)
class StoryReading:
    """One story (first copy) as the pipeline folded it."""

    title: str
    topic: str
    pairs: tuple[str, ...]  # what its marker says it folded into, strongest first

    @property
    def off_topic(self) -> bool:
        return self.topic != ON_TOPIC


def story_readings(
    table: str, client: Any, articles: list[Article]
) -> tuple[dict[str, StoryReading], dict[str, set[str]]]:
    """Each story's reading by article id, and, per pair any story named, the ids of the
    articles its signal cites between the first and the last article (call inside moto)."""
    dyads = DyadStore(table, client=client)
    readings: dict[str, StoryReading] = {}
    for article in articles:
        if article.story_id in (None, article.id) and (found := dyads.reading(article.id)):
            readings[article.id] = StoryReading(article.title, found.topic, found.dyads)
    if not articles:
        return readings, {}
    start: datetime = min(a.published_at for a in articles)
    end: datetime = max(a.published_at for a in articles)
    pairs = {pair for reading in readings.values() for pair in reading.pairs}
    cited = {pair: {ref.id for ref in dyads.articles(pair, start, end)} for pair in pairs}
    return readings, cited
