"""A news API that times out, rate-limits, errors, truncates its body or changes its shape: the
other sources still poll, the failing source's cursor stays, the failure is in the logs and the
metrics with its reason, and the next good poll queues everything it missed, once."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tensionwatch.http import HttpClient, HttpError
from tensionwatch.pipeline.poll import PollEvent, PollPipeline
from tensionwatch.sources.base import Cursor, Fetched, Source
from tensionwatch.sources.config import GdeltSource
from tensionwatch.sources.gdelt import Gdelt
from tensionwatch.sources.pacer import Pacer
from tensionwatch.sources.urls import article_id, canonical_url
from tensionwatch.store.articles import ArticleStore
from tensionwatch.store.queue import ScoreQueue
from tensionwatch.store.source_states import Held, SourceState, SourceStateStore
from tests.integration.sources.aws import PollResources, poll_resources
from tests.integration.sources.fakes import RecordingMetrics, Wire
from tests.integration.sources.fixtures import RecordingSleep, local_source
from tests.reliability.moto_speed import moto_speedups

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)
PATH = "/api/v2/doc/doc"
GOOD = {
    "articles": [
        {
            "url": f"https://g.example/{i}",
            "title": f"Peru and Chile talks {i}",
            "seendate": "20261102T083000Z",
            "domain": "g.example",
        }
        for i in range(3)
    ]
}
FAULTS: dict[str, tuple[Any, str]] = {
    "rate_limited": (("{}", 429, {"Retry-After": "120"}), "rate_limited"),
    "server_error": (("upstream down", 503, {}), "server_error"),
    "truncated": ((json.dumps(GOOD)[:57], 200, {}), "malformed"),
    "shape_changed": ((json.dumps({"results": GOOD["articles"]}), 200, {}), "malformed"),
    "html_page": (("<html>phrase too short</html>", 200, {}), "malformed"),
}


class TimingOut:
    """A source whose HTTP client times out once, then answers like GDELT."""

    def __init__(self, real: Gdelt) -> None:
        self.name, self._real, self._calls = real.name, real, 0
        self.policy, self.pacer = real.policy, real.pacer

    def query_ids(self) -> list[str]:
        return self._real.query_ids()

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        self._calls += 1
        if self._calls == 1:
            raise HttpError("timeout", "gdelt: timed out")
        return self._real.fetch(query_id, cursor, now)


@pytest.fixture
def res(aws: None) -> Iterator[PollResources]:
    yield poll_resources()


@pytest.fixture
def logs() -> Iterator[list[logging.LogRecord]]:
    """Every record the poll service logs, whatever level a handler import left set."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign,assignment]
    target = logging.getLogger(f"{_service()}.tensionwatch.pipeline.poll")
    level = target.level
    target.addHandler(handler)
    target.setLevel(logging.DEBUG)
    yield records
    target.removeHandler(handler)
    target.setLevel(level)


def _service() -> str:
    import os

    return os.environ.get("POWERTOOLS_SERVICE_NAME", "service_undefined")


def _gdelt(httpserver: HTTPServer) -> Gdelt:
    config = GdeltSource(
        name="gdelt",
        kind="gdelt",
        base_url=httpserver.url_for("/"),
        queries=({"id": "q", "q": "Peru Chile"},),
        min_interval_seconds=0,
        max_retries=0,
    )
    return Gdelt(config, HttpClient(max_retries=0, sleep=lambda s: None), Pacer(0))


def _pipeline(res: PollResources, source: Any, metrics: RecordingMetrics) -> PollPipeline:
    return res.pipeline({"wire": Wire(), source.name: source}, metrics, NOW.timestamp)


CASES = list(FAULTS)


@pytest.mark.parametrize("fault", [*CASES, "timeout"])
def test_a_failing_news_api_loses_nothing_and_holds_its_cursor(
    res: PollResources, httpserver: HTTPServer, logs: list[logging.LogRecord], fault: str
) -> None:
    metrics = RecordingMetrics()
    gdelt: Any = _gdelt(httpserver)
    if fault == "timeout":
        gdelt, reason = TimingOut(gdelt), "timeout"
    else:
        (body, status, headers), reason = FAULTS[fault]
        httpserver.expect_oneshot_request(PATH).respond_with_data(body, status, headers)
    pipeline = _pipeline(res, gdelt, metrics)
    first = pipeline.run(PollEvent(scheduled_time=NOW))
    assert first.failures == {"gdelt/q": reason}
    assert metrics.failures == [("gdelt", reason)]
    assert any(getattr(r, "reason", None) == reason for r in logs), "failure not logged"
    assert res.cursor("gdelt", "q") is None
    assert [a.source for a in res.drain()] == ["wire"], "the healthy source still polled"

    httpserver.expect_request(PATH).respond_with_json(GOOD)
    second = pipeline.run(PollEvent(scheduled_time=NOW + timedelta(hours=1)))
    assert second.failures == {}
    queued = res.drain()
    assert sorted(a.url for a in queued if a.source == "gdelt") == sorted(
        i["url"] for i in GOOD["articles"]
    )
    assert res.cursor("gdelt", "q") is not None
    third = pipeline.run(PollEvent(scheduled_time=NOW + timedelta(hours=1, minutes=5)))
    assert third.queued == 0 or all(a.source == "wire" for a in res.drain()), "queued twice"


# ------------------------------------------------------------------ answers that lie quietly
# Each of these once read as a healthy answer (or failed a whole answer for one bad record):
# the tests name what the poll must do instead.


def _source(httpserver: HTTPServer, kind: str, **fields: Any) -> Source:
    return local_source(httpserver.url_for("").rstrip("/"), kind, RecordingSleep(), **fields)


HOME_PAGE = "<!DOCTYPE html><html><head><title>Wire World</title></head><body>Home</body></html>"
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire World</title>
<item><title>Peru and Chile resume talks</title><link>https://f.example/1</link>
<pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Border reopens</title><link>https://f.example/2</link>
<pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate></item></channel></rss>"""


def test_a_future_date_is_queued_at_the_poll_time_and_counted(
    res: PollResources, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(FEED, content_type="text/xml")
    report = _pipeline(res, _source(httpserver, "rss"), RecordingMetrics()).run(
        PollEvent(scheduled_time=NOW)
    )
    assert report.future == 1
    dates = {a.url: a.published_at for a in res.drain() if a.source == "rss"}
    assert dates == {"https://f.example/1": NOW - timedelta(hours=1), "https://f.example/2": NOW}


def test_an_html_page_at_a_feed_url_fails_loudly_until_the_feed_is_back(
    res: PollResources, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(HOME_PAGE, content_type="text/html")
    metrics = RecordingMetrics()
    pipeline = _pipeline(res, _source(httpserver, "rss"), metrics)
    for minutes in range(0, 65, 5):  # an hour of polls, each answered by the home page
        report = pipeline.run(PollEvent(scheduled_time=NOW + timedelta(minutes=minutes)))
        assert report.failures == {"rss/feed": "malformed"}
    assert report.unhealthy == {"rss": "failing since 2026-11-02T09:00Z (feed: malformed)"}
    assert metrics.health[-2:] == [("wire", False), ("rss", True)]
    assert res.cursor("rss", "feed") is None
    httpserver.clear()
    httpserver.expect_request("/feed.xml").respond_with_data(FEED, content_type="text/xml")
    back = pipeline.run(PollEvent(scheduled_time=NOW + timedelta(minutes=70)))
    assert (back.failures, back.unhealthy) == ({}, {})
    assert {a.url for a in res.drain() if a.source == "rss"} == {
        "https://f.example/1",
        "https://f.example/2",
    }


def test_a_304_queues_nothing_keeps_the_cursor_and_is_no_failure(
    res: PollResources, httpserver: HTTPServer
) -> None:
    httpserver.expect_ordered_request("/feed.xml").respond_with_data(
        FEED, content_type="text/xml", headers={"ETag": '"v1"'}
    )
    httpserver.expect_ordered_request(
        "/feed.xml", headers={"If-None-Match": '"v1"'}
    ).respond_with_data("", status=304)
    pipeline = _pipeline(res, _source(httpserver, "rss"), RecordingMetrics())
    first = pipeline.run(PollEvent(scheduled_time=NOW))
    assert first.queued == 1 + 2  # the wire's article and the feed's two
    res.drain()
    second = pipeline.run(PollEvent(scheduled_time=NOW + timedelta(minutes=5)))
    assert (second.failures, second.unhealthy) == ({}, {})
    assert [a.source for a in res.drain()] == ["wire"]
    cursor = res.cursor("rss", "feed")
    assert cursor is not None and cursor.etag == '"v1"'


def test_newsapi_placeholders_are_counted_and_never_queued(
    res: PollResources, httpserver: HTTPServer
) -> None:
    removed = {"source": {"id": None, "name": "[Removed]"}, "title": "[Removed]",
               "description": "[Removed]", "url": "https://removed.com",
               "publishedAt": "1970-01-01T00:00:00Z", "content": "[Removed]"}  # fmt: skip
    real = {"source": {"name": "Andes Post"}, "title": "Peru and Chile sign a water accord",
            "url": "https://andes.example/accord",
            "publishedAt": "2026-11-02T08:00:00Z"}  # fmt: skip
    httpserver.expect_request("/v2/everything").respond_with_json(
        {"status": "ok", "totalResults": 3, "articles": [removed, real, removed]}
    )
    report = _pipeline(res, _source(httpserver, "newsapi"), RecordingMetrics()).run(
        PollEvent(scheduled_time=NOW)
    )
    assert (report.removed, report.failures) == (2, {})
    assert [a.url for a in res.drain() if a.source == "newsapi"] == ["https://andes.example/accord"]


def test_one_invalid_escape_among_250_gdelt_records_loses_that_record_only(
    res: PollResources, httpserver: HTTPServer
) -> None:
    records = [json.dumps({"url": f"https://g.example/{i}", "title": f"Peru and Chile talks {i}",
                           "seendate": "20261102T083000Z", "domain": "g.example"})
               for i in range(250)]  # fmt: skip
    records[3] = records[3].replace("Peru and Chile", "Wall Street \\q Peru and Chile")
    httpserver.expect_request(PATH).respond_with_data('{"articles": [' + ",".join(records) + "]}")
    with moto_speedups():
        report = _pipeline(res, _gdelt(httpserver), RecordingMetrics()).run(
            PollEvent(scheduled_time=NOW)
        )
    assert (report.failures, report.rejected, report.queued) == ({}, 1, 249 + 1)  # and the wire's
    # (the band slots, not a drain: moto's SQS rereads every message's attributes on each receive)
    queued = ArticleStore(res.articles_table, res.dynamodb).queued(
        article_id(canonical_url(f"https://g.example/{i}")) for i in range(250)
    )
    assert len(queued) == 249 and article_id(canonical_url("https://g.example/3")) not in queued
    assert res.cursor("gdelt", "q") is not None


def test_the_gdelt_throttle_notice_is_rate_limited_and_ends_the_sources_turn(
    res: PollResources, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        "Please limit requests to one every 5 seconds or contact the GDELT team."
    )
    gdelt = _source(httpserver, "gdelt", queries=[{"id": "q", "q": "Peru"},
                                                  {"id": "r", "q": "Chile"}])  # fmt: skip
    report = _pipeline(res, gdelt, RecordingMetrics()).run(PollEvent(scheduled_time=NOW))
    assert report.failures == {"gdelt/q": "rate_limited"}
    assert report.skipped == {"gdelt/r": "rate_limited earlier in this poll"}
    assert len(httpserver.log) == 1


def test_a_source_whose_state_cannot_be_read_is_a_failure_and_the_others_still_poll(
    res: PollResources, httpserver: HTTPServer
) -> None:
    """Without its ledger a source's budget is unknown: it is not polled, and says why."""

    class Unreadable(SourceStateStore):
        def acquire(
            self, source: str, holder: str, now: float, seconds: float
        ) -> SourceState | Held:
            if source == "gdelt":
                raise RuntimeError("throttled")
            return super().acquire(source, holder, now, seconds)

    metrics = RecordingMetrics()
    stores = {**res.stores(), "states": Unreadable(res.cursors_table, res.dynamodb)}
    pipeline = PollPipeline({"wire": Wire(), "gdelt": _gdelt(httpserver)}, **stores,
                            queue=ScoreQueue(res.queue_url, res.sqs), metrics=metrics)  # fmt: skip
    report = pipeline.run(PollEvent(scheduled_time=NOW))
    assert report.failures == {"gdelt/state": "unexpected"}
    assert metrics.failures == [("gdelt", "unexpected")]
    assert [a.source for a in res.drain()] == ["wire"]
    assert len(httpserver.log) == 0
