"""A simulated day of the bundled sources file on the template's default schedule, against a
local server answering like each API: NewsAPI stays inside its free plan's 100 requests, and
a source waiting for its budget is reported skipped, never failed."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tensionwatch.local.stack import Stack, build_stack
from tensionwatch.pipeline.poll import PollEvent, PollPipeline
from tensionwatch.sources.config import SourceConfig, bundled_sources_text, parse_sources
from tensionwatch.sources.registry import build_source
from tensionwatch.store.queue import ScoreQueue
from tests.integration.sources.aws import PollResources
from tests.integration.sources.fakes import RecordingMetrics
from tests.integration.sources.fixtures import (
    KEY,
    NOW,
    RSS_FEED,
    RecordingSleep,
    gdelt_article,
    guardian_page,
    guardian_result,
    newsapi_article,
    newsapi_page,
)

FREE_PLAN = 100  # NewsAPI developer plan: requests a day


def on_server(config: SourceConfig, base: str) -> SourceConfig:
    """The configured source pointed at the local server, everything else as bundled."""
    if config.kind == "rss":
        return config.model_copy(update={"url": f"{base}/feeds/{config.name}.xml"})
    return config.model_copy(update={"base_url": base})


class Answers:
    """Each API's answer: a new article in the first poll of each hour, nothing in the others
    (so every source has news, and moto is spared needless claims); the feeds answer 304 once
    fetched. Counts the requests per path."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.now = NOW  # the simulated time of the poll in progress

    def __call__(self, request: Request) -> Response:
        self.hits[request.path] += 1
        if request.path.startswith("/feeds/"):
            return self._feed(request)
        hour, fresh = self.now.hour, self.now.minute < 5
        if request.path == "/v2/everything":
            articles = [newsapi_article(hour)] if fresh else []
            return _json(newsapi_page(articles, len(articles)))
        if request.path == "/api/v2/doc/doc":
            return _json({"articles": [gdelt_article(hour)] if fresh else []})
        return _json(guardian_page([guardian_result(hour)] if fresh else [], 1, 1))

    @staticmethod
    def _feed(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        feed = RSS_FEED.format(encoding="utf-8", first_title=f"Talks resume {request.path}")
        return Response(feed, content_type="application/rss+xml", headers={"ETag": '"v1"'})


def _json(body: Any) -> Response:
    return Response(json.dumps(body), content_type="application/json")


@pytest.fixture
def stack(aws: None) -> Iterator[Stack]:
    """The template's own tables and queue, and its PollFunction schedule (tensionwatch.local)."""
    yield build_stack()


def resources(stack: Stack) -> PollResources:
    return PollResources(boto3.client("dynamodb", region_name="us-east-1"),
                         boto3.client("sqs", region_name="us-east-1"),
                         stack.tables["ArticlesTable"], stack.tables["CursorsTable"],
                         stack.queues["ScoreQueue"])  # fmt: skip


def day_of_polls(
    res: PollResources, httpserver: HTTPServer, every: timedelta
) -> tuple[Answers, RecordingMetrics, Callable[[], None]]:
    answers = Answers()
    httpserver.expect_request("").respond_with_handler(answers)  # every path
    base = httpserver.url_for("").rstrip("/")
    time = RecordingSleep()  # pacing without waiting: the pacers' clock moves as they sleep
    sources = {
        config.name: build_source(on_server(config, base), sleep=time, clock=time.clock,
                                  keys=lambda name: lambda: KEY)
        for config in parse_sources(bundled_sources_text()).select(None)
    }  # fmt: skip
    metrics = RecordingMetrics()
    queue = ScoreQueue(res.queue_url, res.sqs, sleep=lambda s: None)
    pipeline = PollPipeline(sources, **res.stores(), queue=queue, metrics=metrics)

    def run() -> None:
        for tick in range(int(timedelta(days=1) / every)):
            answers.now = NOW + tick * every
            pipeline.run(PollEvent(scheduled_time=answers.now))
            res.drain()

    return answers, metrics, run


def test_a_day_on_the_default_schedule_keeps_newsapi_inside_its_free_plan(
    stack: Stack, httpserver: HTTPServer
) -> None:
    [schedule] = stack.functions["PollFunction"].schedules  # template.yaml's default rate
    every = schedule.every
    assert every == timedelta(minutes=5)
    answers, metrics, run = day_of_polls(resources(stack), httpserver, every)
    run()
    polls = len(metrics.reports)
    assert polls == 288
    assert answers.hits["/v2/everything"] <= FREE_PLAN
    assert answers.hits["/v2/everything"] >= 0.8 * FREE_PLAN  # and the budget is used, not idle
    assert all(report.failures == {} for report in metrics.reports), "a skip counted as failure"
    assert metrics.failures == []
    skipped = Counter(name for report in metrics.reports for name in report.skipped)
    assert set(skipped) == {"newsapi"}
    assert skipped["newsapi"] == polls - answers.hits["/v2/everything"] // 3
    reasons = {report.skipped["newsapi"].split()[0] for report in metrics.reports
               if "newsapi" in report.skipped}  # fmt: skip
    assert reasons == {"spread"}
    assert all(report.unhealthy == {} for report in metrics.reports)
    assert answers.hits["/api/v2/doc/doc"] == 3 * polls  # GDELT and the feeds: every poll
    print(f"\nNewsAPI requests in a simulated day: {answers.hits['/v2/everything']} "
          f"({polls} polls every {every}); per path: {dict(answers.hits)}")  # fmt: skip
