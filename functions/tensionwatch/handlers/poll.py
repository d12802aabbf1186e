"""Poll Lambda: EventBridge Scheduler → fetch every configured source → ScoreQueue."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.typing import LambdaContext

from tensionwatch.config import poll_settings
from tensionwatch.pipeline.poll import PollEvent, PollPipeline
from tensionwatch.pipeline.poll_report import PowertoolsPollMetrics

logger = Logger()
metrics = Metrics()


@cache
def pipeline() -> PollPipeline:
    """The service with its sources and stores, built once per container."""
    from tensionwatch.sources.config import bundled_sources_text, parse_sources
    from tensionwatch.sources.keys import ssm_parameter
    from tensionwatch.sources.registry import build_source
    from tensionwatch.store.articles import ArticleStore
    from tensionwatch.store.cursors import CursorStore
    from tensionwatch.store.queue import ScoreQueue
    from tensionwatch.store.source_states import SourceStateStore

    settings = poll_settings()
    name = settings.SOURCES_PARAMETER
    config = parse_sources(ssm_parameter(name) if name else bundled_sources_text())
    cursors = CursorStore(settings.CURSORS_TABLE)
    return PollPipeline(
        {source.name: build_source(source) for source in config.select(None)},
        articles=ArticleStore(settings.ARTICLES_TABLE, ttl_days=settings.SEEN_TTL_DAYS),
        cursors=cursors,
        states=SourceStateStore(settings.CURSORS_TABLE, cursors.client),
        queue=ScoreQueue(settings.SCORE_QUEUE_URL),
        metrics=PowertoolsPollMetrics(metrics),
    )


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    report = pipeline().run(PollEvent.model_validate(event))
    return {"queued": report.queued, "duplicates": report.duplicates,
            "failures": report.failures, "skipped": report.skipped,
            "unhealthy": report.unhealthy}  # fmt: skip
