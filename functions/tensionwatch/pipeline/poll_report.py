"""What one poll tells: its report (returned by the handler, logged) and its metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from aws_lambda_powertools import Metrics, single_metric
from aws_lambda_powertools.metrics import MetricUnit

# The alarm's metric (template.yaml SourceUnhealthyAlarm): sources unhealthy in one poll.
UNHEALTHY_TOTAL = "SourcesUnhealthy"
UNHEALTHY_PER_SOURCE = "SourceUnhealthy"  # 1 or 0 per source and poll, dimension `source`


@dataclass
class PollReport:
    fetched: int = 0
    queued: int = 0
    duplicates: int = 0
    syndicated: int = 0
    unsent: int = 0
    rejected: int = 0
    undated: int = 0
    future: int = 0  # dated after the poll: given the poll's time
    removed: int = 0  # an API's placeholders for withdrawn articles, dropped
    failures: dict[str, str] = field(default_factory=dict)  # "source/query" -> reason
    # "source" (or "source/query") -> why it was not polled and until when; never a failure
    skipped: dict[str, str] = field(default_factory=dict)
    unhealthy: dict[str, str] = field(default_factory=dict)  # "source" -> failing or silent
    late: dict[str, float] = field(default_factory=dict)  # "source" -> seconds its task waited


class PollMetrics(Protocol):
    def totals(self, report: PollReport) -> None: ...
    def source_failure(self, source: str, reason: str) -> None: ...
    def latency(self, source: str, millis: float) -> None: ...
    def source_health(self, source: str, unhealthy: bool) -> None: ...
    def source_late(self, source: str, waited: float) -> None: ...
    def source_busy(self, source: str) -> None: ...


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
                            ("ArticlesUndated", report.undated),
                            ("ArticlesFutureDated", report.future),
                            ("ArticlesRemoved", report.removed),
                            ("SourcesSkipped", len(report.skipped)),
                            (UNHEALTHY_TOTAL, len(report.unhealthy))):  # fmt: skip
            self._metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)

    def source_failure(self, source: str, reason: str) -> None:
        self._single("SourceFailures", source, 1, MetricUnit.Count)

    def latency(self, source: str, millis: float) -> None:
        self._single("SourceLatency", source, millis, MetricUnit.Milliseconds)

    def source_health(self, source: str, unhealthy: bool) -> None:
        self._single(UNHEALTHY_PER_SOURCE, source, int(unhealthy), MetricUnit.Count)

    def source_late(self, source: str, waited: float) -> None:
        self._single("SourceLate", source, waited, MetricUnit.Seconds)

    def source_busy(self, source: str) -> None:
        self._single("SourceBusy", source, 1, MetricUnit.Count)

    @staticmethod
    def _single(name: str, source: str, value: float, unit: MetricUnit) -> None:
        with single_metric(name=name, unit=unit, value=value) as metric:
            metric.add_dimension(name="source", value=source)
