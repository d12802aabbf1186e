"""The poll Lambda end to end: the template's tables, queue and environment in moto, SSM-configured
sources on a local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters
from pytest_httpserver import HTTPServer

from tensionwatch.config import poll_settings
from tensionwatch.handlers import poll
from tensionwatch.local.lambda_events import FakeContext as LambdaContextStub
from tensionwatch.local.stack import build_stack
from tests.integration.poll_tick import tick_and_work
from tests.integration.sources.aws import PollResources
from tests.integration.sources.fixtures import (
    KEY,
    RSS_FEED,
    gdelt_article,
    newsapi_article,
    newsapi_page,
)

EVENTS = Path(__file__).resolve().parents[1] / "events"
SOURCES = """
[[sources]]
name = "newsapi"
kind = "newsapi"
base_url = "{base}"
api_key_parameter = "/tw/newsapi-key"
max_retries = 0  # the handler's clients sleep for real: retries are tested per adapter
queries = [{{ id = "jp-kr", q = "Japan AND Korea" }}]

[[sources]]
name = "gdelt"
kind = "gdelt"
base_url = "{base}"
min_interval_seconds = 0
max_retries = 0
queries = [{{ id = "jp-kr", q = "(Japan Korea)" }}]

[[sources]]
name = "wire-world"
kind = "rss"
url = "{base}/feed.xml"
max_retries = 0
"""


FakeContext = partial(LambdaContextStub, "PollFunction")  # the offline stack's context


def event(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return loaded


@pytest.fixture
def stack(
    aws: None, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[PollResources]:
    """The template's own tables, queue and PollFunction environment (tensionwatch.local),
    with the sources file in SSM pointing at the local server."""
    built = build_stack()
    resources = PollResources(
        boto3.client("dynamodb", region_name="us-east-1"),
        boto3.client("sqs", region_name="us-east-1"),
        built.tables["ArticlesTable"],
        built.tables["CursorsTable"],
        built.queues["ScoreQueue"],
    )
    ssm = boto3.client("ssm", region_name="us-east-1")
    base = httpserver.url_for("").rstrip("/")
    ssm.put_parameter(Name="/tw/sources", Type="String", Value=SOURCES.format(base=base))
    ssm.put_parameter(Name="/tw/newsapi-key", Type="SecureString", Value=KEY)
    for name, value in built.functions["PollFunction"].environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SOURCES_PARAMETER", "/tw/sources")
    parameters.clear_caches()
    poll_settings.cache_clear()
    poll.pipeline.cache_clear()
    yield resources
    poll.pipeline.cache_clear()
    poll_settings.cache_clear()
    parameters.clear_caches()


def serve_news(httpserver: HTTPServer, gdelt_status: int = 200) -> None:
    httpserver.expect_request("/v2/everything", headers={"X-Api-Key": KEY}).respond_with_json(
        newsapi_page([newsapi_article(n) for n in range(12)], total=12)
    )
    httpserver.expect_request("/api/v2/doc/doc").respond_with_json(
        {"articles": [gdelt_article(n) for n in range(5)]}, status=gdelt_status
    )
    feed = RSS_FEED.format(encoding="utf-8", first_title="Turkey and Greece resume talks")
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="text/xml")


def test_first_poll_queues_every_article_and_the_second_none(
    stack: PollResources, httpserver: HTTPServer
) -> None:
    serve_news(httpserver)
    first = tick_and_work(event("poll_scheduled.json"))
    queued = stack.drain()
    assert first["queued"] == len(queued) == 12 + 5 + 2
    assert len({a.id for a in queued}) == len(queued)
    assert first["failures"] == {}
    second = tick_and_work(event("poll_scheduled.json"))
    assert second["queued"] == 0
    # NewsAPI's 100 requests a day, one a poll here: a poll every 15 min (25 h / 100).
    assert second["skipped"] == {"newsapi": "spread until 2026-11-02T09:15:00Z"}
    assert second["failures"] == {}
    assert second["duplicates"] == 5 + 2
    assert stack.drain() == []


def test_failing_source_keeps_its_cursor_while_the_others_queue(
    stack: PollResources, httpserver: HTTPServer
) -> None:
    serve_news(httpserver, gdelt_status=503)
    result = tick_and_work(event("poll_scheduled.json"))
    assert result["failures"] == {"gdelt/jp-kr": "server_error"}
    assert {a.source for a in stack.drain()} == {"newsapi", "wire-world"}
    assert stack.cursor("gdelt", "jp-kr") is None
    assert stack.cursor("newsapi", "jp-kr") is not None


def test_named_sources_only_are_polled(stack: PollResources, httpserver: HTTPServer) -> None:
    serve_news(httpserver)
    tick_and_work(event("poll_named_sources.json"))
    assert {a.source for a in stack.drain()} == {"newsapi", "wire-world"}
    assert not any("/api/v2/doc" in request.path for request, _ in httpserver.log)


def test_missing_api_key_fails_that_source_only(
    stack: PollResources, httpserver: HTTPServer
) -> None:
    boto3.client("ssm", region_name="us-east-1").delete_parameter(Name="/tw/newsapi-key")
    serve_news(httpserver)
    result = tick_and_work(event("poll_scheduled.json"))
    assert result["failures"] == {"newsapi/jp-kr": "config"}
    assert {a.source for a in stack.drain()} == {"gdelt", "wire-world"}


def test_the_api_key_never_reaches_logs_or_the_result(
    stack: PollResources, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/v2/everything").respond_with_json(
        {"status": "error", "code": "apiKeyInvalid", "message": f"Your API key {KEY} is invalid"},
        status=401,
    )
    httpserver.expect_request("/api/v2/doc/doc").respond_with_json({"articles": []})
    httpserver.expect_request("/feed.xml").respond_with_data("", status=500)
    result = tick_and_work(event("poll_scheduled.json"))
    assert result["failures"] == {
        "newsapi/jp-kr": "client_error",
        "wire-world/feed": "server_error",
    }
    logged = capsys.readouterr()
    assert "SourceFailures" in logged.out
    assert KEY not in logged.out + logged.err + json.dumps(result)
