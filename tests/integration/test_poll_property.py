"""Property: whatever SQS refuses along the way, every article in the stream is queued once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import moto
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tensionwatch.models import Article
from tensionwatch.pipeline.poll import PollEvent, PollPipeline
from tensionwatch.sources.base import Cursor, Fetched
from tensionwatch.store.queue import ScoreQueue
from tests.factories import make_article
from tests.integration.sources.aws import poll_resources
from tests.integration.sources.fakes import FakeSourceBase, RecordingMetrics
from tests.integration.test_poll_guarantees import FlakySqs

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
POLL_EVERY = timedelta(minutes=5)
OVERLAP = timedelta(0)  # no safety margin: a cursor moved too early loses articles


class StreamSource(FakeSourceBase):
    """A news API: articles appear at their time; a fetch returns the cursor's window."""

    name = "stream"

    def __init__(self, articles: list[Article]) -> None:
        super().__init__()
        self.articles = articles

    def query_ids(self) -> list[str]:
        return ["all"]

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        since = cursor.since - OVERLAP if cursor and cursor.since else T0 - timedelta(days=1)
        window = [a for a in self.articles if since <= a.published_at <= now]
        return Fetched(Cursor(self.name, query_id, since=now), window)


def stream(minutes: list[int]) -> list[Article]:
    return [
        make_article(" ".join(f"s{i}w{k}" for k in range(8)),
                     summary=" ".join(f"s{i}x{k}" for k in range(12)),
                     url=f"https://stream.example/{i}", published_at=T0 + timedelta(minutes=m))
        for i, m in enumerate(minutes)
    ]  # fmt: skip


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    minutes=st.lists(st.integers(0, 30), min_size=1, max_size=14),
    refusals=st.lists(st.sets(st.integers(0, 13), max_size=4), min_size=7, max_size=7),
)
def test_every_article_is_queued_exactly_once_whatever_sqs_refuses(
    minutes: list[int], refusals: list[set[int]]
) -> None:
    articles = stream(minutes)
    with moto.mock_aws():
        res = poll_resources()
        source = StreamSource(articles)
        for poll, refused in enumerate(refusals):
            ids = {articles[i].id for i in refused if i < len(articles)}
            PollPipeline(
                {"stream": source},
                **res.stores(),
                queue=ScoreQueue(res.queue_url, FlakySqs(res.sqs, ids, times=99),
                                 sleep=lambda s: None),
                metrics=RecordingMetrics(),
            ).run(PollEvent(scheduled_time=T0 + poll * POLL_EVERY))  # fmt: skip
        PollPipeline(
            {"stream": source},
            **res.stores(),
            queue=ScoreQueue(res.queue_url, res.sqs),
            metrics=RecordingMetrics(),
        ).run(PollEvent(scheduled_time=T0 + len(refusals) * POLL_EVERY))
        assert Counter(a.id for a in res.drain()) == Counter(a.id for a in articles)
