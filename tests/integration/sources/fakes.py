"""Recording fakes for the poll pipeline: a base for fake sources, and its metrics."""

from __future__ import annotations

from datetime import datetime

from tensionwatch.pipeline.poll_report import PollReport
from tensionwatch.sources.base import Cursor, Fetched, SourcePolicy
from tensionwatch.sources.pacer import Pacer
from tests.factories import make_article


class FakeSourceBase:
    """What a fake source shares with the real adapters besides `fetch`: no budget, and a
    pacer that never waits (the pipeline reads its request count)."""

    policy = SourcePolicy()

    def __init__(self) -> None:
        self.pacer = Pacer(0)


class Wire(FakeSourceBase):
    """A healthy second source that must keep polling while another fails: one new article
    per poll."""

    name = "wire"

    def query_ids(self) -> list[str]:
        return ["all"]

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        url = f"https://w.example/{now:%H%M}"
        article = make_article("Greece and Turkey hold talks", url=url, source="wire")
        return Fetched(Cursor(self.name, query_id, since=now), [article])


class RecordingMetrics:
    """The pipeline's metrics as lists: failures (source, reason), health (source, unhealthy)
    and each poll's report."""

    def __init__(self) -> None:
        self.failures: list[tuple[str, str]] = []
        self.health: list[tuple[str, bool]] = []
        self.reports: list[PollReport] = []
        self.late: list[tuple[str, float]] = []
        self.busy: list[str] = []

    def totals(self, report: PollReport) -> None:
        self.reports.append(report)

    def source_failure(self, source: str, reason: str) -> None:
        self.failures.append((source, reason))

    def latency(self, source: str, millis: float) -> None:
        pass

    def source_health(self, source: str, unhealthy: bool) -> None:
        self.health.append((source, unhealthy))

    def source_late(self, source: str, waited: float) -> None:
        self.late.append((source, waited))

    def source_busy(self, source: str) -> None:
        self.busy.append(source)
