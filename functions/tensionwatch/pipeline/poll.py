"""The poll service: fetch each (source, query), drop what was seen, group syndicated copies,
queue the rest, and advance the cursor only once every article it covers is safely queued.

Order per (source, query) — nothing lost, nothing queued twice:
1. read seen-records; a record whose run committed is a duplicate; one claimed by a run still
   in flight (younger than LEASE) holds this cursor back; an older uncommitted one is retaken;
2. claim the new articles (conditional puts, in transactions);
3. send the claimed articles to the ScoreQueue; release (delete) the claims of any that could
   not be sent, so the next poll retries them;
4. commit the run (one item), then advance the cursor.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from aws_lambda_powertools import Logger, Metrics, single_metric
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel

from tensionwatch.http import HttpError
from tensionwatch.models import Article, UtcDateTime
from tensionwatch.sources.base import Fetched, Source, SourceError
from tensionwatch.sources.stories import plan_claims
from tensionwatch.store.articles import ArticleStore
from tensionwatch.store.cursors import CursorStore
from tensionwatch.store.queue import ScoreQueue

logger = Logger(child=True)
LEASE_SECONDS = 15 * 60  # Lambda's maximum timeout: a claim older than that has no live owner


class PollEvent(BaseModel):
    """EventBridge Scheduler input."""

    sources: list[str] | None = None
    scheduled_time: UtcDateTime | None = None


@dataclass
class PollReport:
    fetched: int = 0
    queued: int = 0
    duplicates: int = 0
    syndicated: int = 0
    pending: int = 0  # claimed by a run in flight: this cursor waits for the next poll
    unsent: int = 0
    rejected: int = 0
    undated: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # "source/query" -> reason


class PollMetrics(Protocol):
    def totals(self, report: PollReport) -> None: ...
    def source_failure(self, source: str, reason: str) -> None: ...
    def latency(self, source: str, millis: float) -> None: ...


class PowertoolsPollMetrics:
    """Totals on the handler's Metrics; per-source series as single metrics with a `source`
    dimension, so one source's failures never take the dimensions of the whole batch."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def totals(self, report: PollReport) -> None:
        for name, value in (("ArticlesFetched", report.fetched), ("ArticlesNew", report.queued),
                            ("ArticlesDuplicate", report.duplicates),
                            ("ArticlesSyndicated", report.syndicated),
                            ("ArticlesUnsent", report.unsent),
                            ("ArticlesRejected", report.rejected),
                            ("ArticlesUndated", report.undated)):  # fmt: skip
            self._metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)

    def source_failure(self, source: str, reason: str) -> None:
        with single_metric(name="SourceFailures", unit=MetricUnit.Count, value=1) as metric:
            metric.add_dimension(name="source", value=source)

    def latency(self, source: str, millis: float) -> None:
        with single_metric(name="SourceLatency", unit=MetricUnit.Milliseconds,
                           value=millis) as metric:  # fmt: skip
            metric.add_dimension(name="source", value=source)


class PollPipeline:
    def __init__(
        self,
        sources: Mapping[str, Source],
        *,
        articles: ArticleStore,
        cursors: CursorStore,
        queue: ScoreQueue,
        metrics: PollMetrics,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._sources = sources
        self._articles = articles
        self._cursors = cursors
        self._queue = queue
        self._metrics = metrics
        self._clock = clock

    def run(self, event: PollEvent, run_id: str | None = None) -> PollReport:
        """Poll the named sources (all for None) as of the event's scheduled time; raises
        ValueError for an unknown source name. Source failures are reported, not raised."""
        names = event.sources if event.sources is not None else list(self._sources)
        unknown = sorted(set(names) - self._sources.keys())
        if unknown:
            raise ValueError(f"unknown sources: {', '.join(unknown)}")
        now = event.scheduled_time or datetime.fromtimestamp(self._clock(), UTC)
        run_id = run_id or uuid.uuid4().hex[:12]
        report = PollReport()
        for name in names:
            started = time.perf_counter()
            for query_id in self._sources[name].query_ids():
                self._poll_query(self._sources[name], query_id, now, f"{run_id}/{name}", report)
            self._metrics.latency(name, (time.perf_counter() - started) * 1000)
        self._metrics.totals(report)
        logger.info("poll finished", extra={"report": report.__dict__})
        return report

    def _poll_query(
        self, source: Source, query_id: str, now: datetime, run: str, report: PollReport
    ) -> None:
        where = f"{source.name}/{query_id}"
        try:
            fetched = source.fetch(query_id, self._cursors.get(source.name, query_id), now)
            if self._hand_off(fetched, f"{run}/{query_id}", report):
                self._cursors.put(fetched.cursor)
        except (HttpError, SourceError) as error:
            self._fail(where, error.reason, str(error), report)
        except Exception as error:  # one source's surprise must not stop the others
            # Type and source only: a message or traceback can quote a URL, header or key.
            logger.error("source failed unexpectedly",
                         extra={"source": where, "error_type": type(error).__name__})  # fmt: skip
            self._fail(where, "unexpected", type(error).__name__, report)

    def _fail(self, where: str, reason: str, message: str, report: PollReport) -> None:
        report.failures[where] = reason
        self._metrics.source_failure(where.split("/", maxsplit=1)[0], reason)
        logger.warning("source failed; its cursor stays",
                       extra={"source": where, "reason": reason, "error": message})  # fmt: skip

    def _hand_off(self, fetched: Fetched, run: str, report: PollReport) -> bool:
        """Claim, queue and commit the fetch's new articles; True when the cursor may move."""
        report.fetched += len(fetched.articles)
        report.rejected += fetched.rejected
        report.undated += fetched.undated
        now = self._clock()
        plan = plan_claims(fetched.articles, self._articles, now - LEASE_SECONDS)
        report.duplicates += plan.duplicates
        report.pending += plan.pending
        result = self._articles.claim(plan.claims, run, now)
        report.pending += len(result.lost)  # claimed by a concurrent run a moment ago
        by_id = {article.id: article for article in fetched.articles}
        queued: list[Article] = [
            by_id[c.id].model_copy(update={"story_id": c.story_id}) for c in result.claimed
        ]
        unsent = self._queue.send(queued)
        if unsent:
            self._articles.release(article.id for article in unsent)
        if len(unsent) < len(queued):
            self._articles.commit(run, now)
        report.queued += len(queued) - len(unsent)
        report.unsent += len(unsent)
        report.syndicated += sum(1 for a in queued if a.story_id != a.id) - sum(
            1 for a in unsent if a.story_id != a.id
        )
        return not (plan.pending or result.failed or result.lost or unsent)
