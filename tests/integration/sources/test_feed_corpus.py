"""Every feed of the project's corpus (tests/integration/sources/feeds/corpus.toml) through the
RSS adapter, served by a real local HTTP server and parsed by the real feedparser: a feed gives
exactly its entries (relative links resolved, dates in UTC, problems counted); a body that is
no feed fails with a reason; and nothing else ever escapes, whatever the Content-Type."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from tensionwatch.http import HttpError
from tensionwatch.sources.base import Fetched, SourceError
from tests.integration.sources.fixtures import NOW, RecordingSleep, rss

FEEDS = Path(__file__).parent / "feeds"
CORPUS: list[dict[str, Any]] = tomllib.loads((FEEDS / "corpus.toml").read_text())["feed"]
# Content-Types a feed URL is seen answering with; whether a body is a feed must not depend
# on them (a feed served as text/html is still a feed, a page served as RSS is still a page).
CONTENT_TYPES = ["", "text/html", "application/octet-stream", "text/xml", "application/rss+xml"]


def serve(httpserver: HTTPServer, spec: dict[str, Any], content_type: str) -> str:
    """The fixture at /news/world/<file>, with `content_type` ("" for none) and its headers."""
    answer = Response((FEEDS / spec["file"]).read_bytes(), headers=spec.get("headers", {}))
    del answer.headers["Content-Type"]
    if content_type:
        answer.headers["Content-Type"] = content_type
    path = f"/news/world/{spec['file']}"
    httpserver.expect_request(path).respond_with_response(answer)
    return httpserver.url_for(path)


def fetch(httpserver: HTTPServer, spec: dict[str, Any], content_type: str) -> Fetched:
    return rss(serve(httpserver, spec, content_type), RecordingSleep()).fetch("feed", None, NOW)


def expected_entry(entry: dict[str, Any], base: str) -> dict[str, Any]:
    published = NOW if entry["published"] == "poll" else datetime.fromisoformat(entry["published"])
    return {"title": entry["title"], "url": entry["url"].replace("{base}", base),
            "published_at": published, "summary": entry.get("summary", ""),
            "body": entry.get("body", "")}  # fmt: skip


def test_every_fixture_is_in_the_corpus() -> None:
    files = {path.name for path in FEEDS.iterdir() if path.name != "corpus.toml"}
    assert files == {spec["file"] for spec in CORPUS}


@pytest.mark.parametrize("spec", [s for s in CORPUS if "error" not in s], ids=lambda s: s["file"])
def test_a_feed_gives_exactly_its_entries(httpserver: HTTPServer, spec: dict[str, Any]) -> None:
    fetched = fetch(httpserver, spec, spec["content_type"])
    base = httpserver.url_for("").rstrip("/")
    got = [{"title": a.title, "url": a.url, "published_at": a.published_at,
            "summary": a.summary, "body": a.body} for a in fetched.articles]  # fmt: skip
    assert got == [expected_entry(entry, base) for entry in spec["entries"]]
    counts = (fetched.undated, fetched.future, fetched.rejected)
    assert counts == (spec.get("undated", 0), spec.get("future", 0), spec.get("rejected", 0))
    assert {a.outlet for a in fetched.articles} <= {spec["outlet"]}
    assert {a.language for a in fetched.articles} <= {spec.get("language")}


@pytest.mark.parametrize("spec", [s for s in CORPUS if "error" in s], ids=lambda s: s["file"])
def test_a_body_that_is_no_feed_is_an_error_saying_what_it_was(
    httpserver: HTTPServer, spec: dict[str, Any]
) -> None:
    with pytest.raises(HttpError) as caught:
        fetch(httpserver, spec, spec["content_type"])
    assert caught.value.reason == "malformed"
    assert "not a feed" in str(caught.value) and spec["error"] in str(caught.value)


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_only_the_projects_errors_escape_and_the_content_type_decides_nothing(
    httpserver: HTTPServer, content_type: str
) -> None:
    for spec in CORPUS:
        try:
            fetched = fetch(httpserver, spec, content_type)
        except (HttpError, SourceError) as error:
            assert "error" in spec, f"{spec['file']} as {content_type!r}: {error}"
            continue
        assert "error" not in spec, f"{spec['file']} as {content_type!r} read as a feed"
        titles = [a.title for a in fetched.articles]
        if spec.get("http_charset"):  # without its charset the bytes cannot be decoded right
            assert len(titles) == len(spec["entries"])
        else:
            assert titles == [entry["title"] for entry in spec["entries"]], spec["file"]
