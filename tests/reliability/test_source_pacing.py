"""A throttling API is read politely: no two requests to one source closer than its interval,
retries included; a Retry-After is waited for (within a poll) or skipped until (beyond one),
never counted as a failure; a source that returns nothing for too long is reported."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tensionwatch.pipeline.poll import PollEvent
from tensionwatch.sources.base import Source
from tests.integration.sources.aws import PollResources, poll_resources
from tests.integration.sources.fakes import RecordingMetrics, Wire
from tests.integration.sources.fixtures import RecordingSleep, local_source

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)
PATH = "/api/v2/doc/doc"
INTERVAL = 0.3  # seconds; GDELT asks for 5, which a test should not spend
ONE_ARTICLE = ('{"articles": [{"url": "https://g.example/1", "title": "Peru and Chile talks",'
               ' "seendate": "20261102T083000Z", "domain": "g.example"}]}')  # fmt: skip


class Arrivals:
    """Answers in turn from a script of (status, headers, body), recording when each request
    arrived (the server's own clock: what the API sees)."""

    def __init__(self, script: list[tuple[int, dict[str, str], str]]) -> None:
        self.script, self.times = list(script), []  # type: ignore[var-annotated]

    def __call__(self, request: Request) -> Response:
        self.times.append(time.monotonic())
        status, headers, body = self.script.pop(0) if self.script else (200, {}, ONE_ARTICLE)
        return Response(body, status=status, headers=headers, content_type="application/json")

    def gaps(self) -> list[float]:
        return [later - earlier for earlier, later in itertools.pairwise(self.times)]


@pytest.fixture
def res(aws: None) -> Iterator[PollResources]:
    yield poll_resources()


def gdelt(httpserver: HTTPServer, time: RecordingSleep | None, **fields: object) -> Source:
    base = httpserver.url_for("").rstrip("/")
    queries = [{"id": "q", "q": "Peru"}, {"id": "r", "q": "Chile"}]
    return local_source(base, "gdelt", time, queries=queries, **fields)


def test_429s_with_and_without_retry_after_keep_the_sources_interval(
    res: PollResources, httpserver: HTTPServer
) -> None:
    """Real time: the retries of the first query and the second query's request all keep
    INTERVAL apart, and the retry after `Retry-After: 1` waits that second."""
    arrivals = Arrivals([(429, {}, "slow down"), (429, {"Retry-After": "1"}, "slow down")])
    httpserver.expect_request(PATH).respond_with_handler(arrivals)
    source = gdelt(httpserver, None, min_interval_seconds=INTERVAL, max_retries=2)
    report = res.pipeline({"gdelt": source}, RecordingMetrics(), NOW.timestamp).run(
        PollEvent(scheduled_time=NOW)
    )
    assert report.failures == {} and report.queued == 1
    assert len(arrivals.times) == 4  # q: 429, 429, 200; r: 200
    gaps = arrivals.gaps()
    assert min(gaps) >= INTERVAL * 0.95, gaps  # a little slack for the two clocks' grain
    assert gaps[1] >= 1.0 * 0.95, gaps


def test_a_retry_after_beyond_one_poll_skips_the_source_until_then_without_failing(
    res: PollResources, httpserver: HTTPServer
) -> None:
    arrivals = Arrivals([(429, {"Retry-After": "3600"}, "daily quota")])
    httpserver.expect_request(PATH).respond_with_handler(arrivals)
    metrics, clock = RecordingMetrics(), RecordingSleep()  # a warm container's clock
    source = gdelt(httpserver, clock, max_retries=2)
    pipeline = res.pipeline({"wire": Wire(), "gdelt": source}, metrics, NOW.timestamp)
    first = pipeline.run(PollEvent(scheduled_time=NOW))
    assert first.failures == {"gdelt/q": "rate_limited"}  # the answer itself was a failure
    assert first.skipped == {"gdelt/r": "rate_limited earlier in this poll"}
    for minutes in range(5, 60, 5):
        clock.now += 300
        held = pipeline.run(PollEvent(scheduled_time=NOW + timedelta(minutes=minutes)))
        assert held.skipped == {"gdelt": "retry_after until 2026-11-02T10:00:00Z"}
        assert (held.failures, held.unhealthy) == ({}, {})
    assert len(arrivals.times) == 1  # neither a retry nor a poll asked again within the hour
    clock.now += 300
    back = pipeline.run(PollEvent(scheduled_time=NOW + timedelta(hours=1)))
    assert (back.failures, back.skipped) == ({}, {})
    assert metrics.failures == [("gdelt", "rate_limited")]


def test_a_source_that_brings_nothing_new_past_its_limit_is_named_unhealthy(
    res: PollResources, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(PATH).respond_with_json({"articles": []})
    metrics = RecordingMetrics()
    source = gdelt(httpserver, RecordingSleep(), max_silence_hours=0.5)
    pipeline = res.pipeline({"gdelt": source}, metrics, NOW.timestamp)
    reports = [pipeline.run(PollEvent(scheduled_time=NOW + timedelta(minutes=m)))
               for m in range(0, 40, 5)]  # fmt: skip
    assert [bool(r.unhealthy) for r in reports] == [False] * 7 + [True]
    assert reports[-1].unhealthy == {"gdelt": "nothing new for 0.6 h (its limit: 0.5 h)"}
    assert all(r.failures == {} for r in reports)
    assert metrics.health[-1] == ("gdelt", True)


def test_the_interval_holds_from_one_workers_poll_to_the_next_in_another_container(
    res: PollResources, httpserver: HTTPServer
) -> None:
    """Two workers, each with its own adapter and pacer (two Lambda containers), poll one
    source back to back: the second's first request still waits out the first's interval,
    handed on through the source's state."""
    arrivals = Arrivals([])
    httpserver.expect_request(PATH).respond_with_handler(arrivals)
    for minutes in (0, 5):
        container = gdelt(httpserver, None, min_interval_seconds=INTERVAL * 3)
        report = res.pipeline({"gdelt": container}, RecordingMetrics(), time.time).run(
            PollEvent(scheduled_time=NOW + timedelta(minutes=minutes))
        )
        assert report.failures == {} and report.skipped == {}
    assert len(arrivals.times) == 4  # two queries a poll
    assert min(arrivals.gaps()) >= INTERVAL * 3 * 0.95, arrivals.gaps()
