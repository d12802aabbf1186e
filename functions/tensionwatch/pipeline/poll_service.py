"""The poll function's services built from its settings: the workers' pipeline over the
configured sources, and the tick's dispatcher of their tasks."""

from __future__ import annotations

from collections.abc import Sequence

from tensionwatch.config import PollSettings
from tensionwatch.pipeline.poll import PollPipeline
from tensionwatch.pipeline.poll_dispatch import PollDispatcher
from tensionwatch.pipeline.poll_report import PollMetrics
from tensionwatch.sources.config import bundled_sources_text, parse_sources
from tensionwatch.sources.keys import ssm_parameter
from tensionwatch.sources.registry import build_source
from tensionwatch.store.articles import ArticleStore
from tensionwatch.store.cursors import CursorStore
from tensionwatch.store.queue import ModelQueue, ScoreQueue
from tensionwatch.store.source_states import SourceStateStore


def poll_pipeline(settings: PollSettings, metrics: PollMetrics) -> PollPipeline:
    """The pipeline over every enabled source of the sources file (SSM, else the bundled
    one); raises ValueError for a sources file that does not validate."""
    name = settings.SOURCES_PARAMETER
    config = parse_sources(ssm_parameter(name) if name else bundled_sources_text())
    cursors = CursorStore(settings.CURSORS_TABLE)
    return PollPipeline(
        {source.name: build_source(source) for source in config.select(None)},
        articles=ArticleStore(settings.ARTICLES_TABLE, ttl_days=settings.SEEN_TTL_DAYS),
        cursors=cursors,
        states=SourceStateStore(settings.CURSORS_TABLE, cursors.client),
        queue=ScoreQueue(settings.SCORE_QUEUE_URL),
        metrics=metrics,
    )


def poll_dispatcher(settings: PollSettings, sources: Sequence[str]) -> PollDispatcher:
    """The tick's dispatcher of one task per source onto the PollQueue."""
    return PollDispatcher(sources, ModelQueue(settings.POLL_QUEUE_URL))
