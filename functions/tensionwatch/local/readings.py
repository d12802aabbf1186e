"""What the score function made of each demo story: the scorer's reading of it (the topic and
the pairs it folds into, as the function reads it: `fold_plan(score_article(...))`), and the
pairs whose signal cites it, read back from the DyadsTable. The report shows the stories read
off-topic and the ones split into several pairs; the e2e test checks the two agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tensionwatch.models import Article
from tensionwatch.scoring.scorer import score_article
from tensionwatch.signals.pairs import fold_plan
from tensionwatch.store.dyads import DyadStore


@dataclass(frozen=True)
class StoryReading:
    """One story (first copy) as the pipeline folded it."""

    title: str
    topic: str
    pairs: tuple[str, ...]  # the pairs its reading folds it into, strongest first
    off_topic: bool


def story_readings(
    table: str, client: Any, articles: list[Article]
) -> tuple[dict[str, StoryReading], dict[str, set[str]]]:
    """Each story's reading by article id, and, per pair any story named, the ids of the
    articles its signal cites between the first and the last article (call inside moto)."""
    readings: dict[str, StoryReading] = {}
    for article in articles:
        if article.story_id in (None, article.id):
            score = score_article(article)
            plan = fold_plan(score)
            readings[article.id] = StoryReading(article.title, score.relevance.topic,
                                                plan.dyads, plan.off_topic)  # fmt: skip
    if not articles:
        return readings, {}
    dyads = DyadStore(table, client=client)
    start: datetime = min(a.published_at for a in articles)
    end: datetime = max(a.published_at for a in articles)
    pairs = {pair for reading in readings.values() for pair in reading.pairs}
    cited = {pair: {ref.id for ref in dyads.articles(pair, start, end)} for pair in pairs}
    return readings, cited
