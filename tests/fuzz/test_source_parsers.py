"""Hostile bodies through every source adapter's fetch-and-parse path: each answer is either
valid Articles or a HttpError/SourceError with a reason, never another exception."""

from __future__ import annotations

import json
import re
import socket
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tensionwatch.http import HttpClient, HttpError, HttpResponse
from tensionwatch.models import Article
from tensionwatch.sources.base import Fetched, SourceError
from tensionwatch.sources.config import GdeltSource, GuardianSource, NewsApiSource, RssSource
from tensionwatch.sources.gdelt import Gdelt
from tensionwatch.sources.guardian import Guardian
from tensionwatch.sources.keys import checked_key
from tensionwatch.sources.newsapi import NewsApi
from tensionwatch.sources.pacer import Pacer
from tensionwatch.sources.rss import Rss
from tests.fuzz import strategies as s
from tests.fuzz.strategies import FUZZ

NOW = datetime(2026, 11, 2, 12, tzinfo=UTC)
QUERIES = ({"id": "q", "q": "Greece"},)
KEY = "fuzz-key-do-not-log"


class CannedHttp:
    """Answers every GET with the same body (the recording fake the adapters are given)."""

    def __init__(self, body: bytes, headers: Mapping[str, str] | None = None) -> None:
        self.body, self.headers = body, dict(headers or {})
        self.calls = 0

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        self.calls += 1
        return HttpResponse(200, self.headers, self.body, url)


def _fetch(source: Any) -> Fetched | None:
    """None when the adapter refused the body with one of its documented errors."""
    try:
        fetched: Fetched = source.fetch(
            "q" if source.query_ids() != ["feed"] else "feed", None, NOW
        )
    except (HttpError, SourceError) as error:
        assert error.reason and KEY not in str(error)
        return None
    for article in fetched.articles:
        assert isinstance(article, Article) and article.canonical_url.startswith("https://")
        assert article.title.strip()
    return fetched


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data).encode()


@FUZZ
@given(s.newsapi_pages)
def test_newsapi_bodies_become_articles_or_a_reasoned_error(page: Any) -> None:
    config = NewsApiSource(
        name="newsapi",
        kind="newsapi",
        base_url="https://n.example",
        api_key_parameter="/k",
        queries=QUERIES,
    )
    _fetch(NewsApi(config, CannedHttp(_json_bytes(page)), lambda: KEY, Pacer(0)))  # type: ignore[arg-type]


@FUZZ
@given(s.gdelt_lists)
def test_gdelt_bodies_become_articles_or_a_reasoned_error(listing: Any) -> None:
    config = GdeltSource(
        name="gdelt",
        kind="gdelt",
        base_url="https://g.example",
        queries=QUERIES,
        min_interval_seconds=0,
    )
    _fetch(Gdelt(config, CannedHttp(_json_bytes(listing)), Pacer(0)))  # type: ignore[arg-type]


@FUZZ
@given(s.guardian_envelopes)
def test_guardian_bodies_become_articles_or_a_reasoned_error(envelope: Any) -> None:
    config = GuardianSource(
        name="guardian",
        kind="guardian",
        base_url="https://q.example",
        api_key_parameter="/k",
        queries=QUERIES,
    )
    http = CannedHttp(_json_bytes(envelope))
    _fetch(Guardian(config, http, lambda: KEY, Pacer(0)))  # type: ignore[arg-type]


@FUZZ
@given(s.feed_bytes)
def test_feed_bytes_become_articles_or_a_reasoned_error(body: bytes) -> None:
    config = RssSource(name="feed", kind="rss", url="https://f.example/rss.xml")
    http = CannedHttp(body, {"Content-Type": "application/rss+xml"})
    _fetch(Rss(config, http, Pacer(0)))  # type: ignore[arg-type]


@FUZZ
@given(s.any_json.map(_json_bytes) | s.feed_bytes)
def test_any_bytes_to_any_json_source_never_escape(body: bytes) -> None:
    gdelt = GdeltSource(
        name="gdelt",
        kind="gdelt",
        base_url="https://g.example",
        queries=QUERIES,
        min_interval_seconds=0,
    )
    _fetch(Gdelt(gdelt, CannedHttp(body), Pacer(0)))  # type: ignore[arg-type]
    newsapi = NewsApiSource(
        name="newsapi",
        kind="newsapi",
        base_url="https://n.example",
        api_key_parameter="/k",
        queries=QUERIES,
    )
    _fetch(NewsApi(newsapi, CannedHttp(body), lambda: KEY, Pacer(0)))  # type: ignore[arg-type]


def test_a_feed_with_one_good_and_one_linkless_entry_keeps_the_good_one() -> None:
    feed = s._feed(
        [
            ("Good", "https://a.example/1", "Mon, 02 Nov 2026 09:00:00 GMT"),
            ("No link", "javascript:alert(1)", ""),
        ],
        atom=False,
    )
    config = RssSource(name="feed", kind="rss", url="https://f.example/rss.xml")
    fetched = _fetch(Rss(config, CannedHttp(feed.encode()), Pacer(0)))  # type: ignore[arg-type]
    assert fetched is not None
    assert [a.title for a in fetched.articles] == ["Good"] and fetched.rejected == 1


def test_a_surrogate_character_reference_is_a_malformed_feed_not_a_crash() -> None:
    # Found by this suite: feedparser raised UnicodeEncodeError past the adapter (fixed in a907d1c).
    config = RssSource(name="feed", kind="rss", url="https://f.example/rss.xml")
    body = s._feed([("A &#xD800; B", "https://a.example/1", "")], atom=False).encode()
    with pytest.raises(HttpError) as caught:
        Rss(config, CannedHttp(body), Pacer(0)).fetch("feed", None, NOW)  # type: ignore[arg-type]
    assert caught.value.reason == "malformed"


def _invisible_in(text: str) -> bool:
    return any(c.isspace() or unicodedata.category(c) in {"Cc", "Cf"} for c in text)


@FUZZ
@given(st.lists(s.hostile_url, min_size=1, max_size=4))
def test_hostile_links_are_refused_at_the_source_never_stored(urls: list[str]) -> None:
    items = [{"url": url, "title": "t", "publishedAt": "2026-11-02T09:00:00Z"} for url in urls]
    page = {"status": "ok", "totalResults": len(items), "articles": items}
    config = NewsApiSource(name="newsapi", kind="newsapi", base_url="https://n.example",
                           api_key_parameter="/k", queries=QUERIES)  # fmt: skip
    fetched = _fetch(NewsApi(config, CannedHttp(_json_bytes(page)), lambda: KEY, Pacer(0)))  # type: ignore[arg-type]
    assert fetched is not None
    assert len(fetched.articles) + fetched.rejected == len(urls)
    for article in fetched.articles:
        assert not _invisible_in(article.url) and not _invisible_in(article.canonical_url)


@FUZZ
@given(s.hostile_key)
def test_a_stored_key_is_fit_for_a_header_or_refused_without_its_value(stored: str) -> None:
    try:
        key = checked_key("/tw/newsapi-key", stored)
    except SourceError as error:
        assert error.reason == "config"
        assert str(error) == "SSM parameter /tw/newsapi-key holds whitespace or control characters"
        return
    assert key == stored.strip() and key.isascii() and not _invisible_in(key)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


CLOSED = _closed_port()  # nothing listens: a header http.client accepts fails to connect
_OWN_ERROR = re.compile(
    r"GET http://127\.0\.0\.1/v2: (request refused \(\w+\)|\w+)"
)  # redact(): no port


@FUZZ
@given(s.hostile_key)
def test_any_header_value_becomes_the_clients_own_error_without_its_text(key: str) -> None:
    with pytest.raises(HttpError) as caught:
        HttpClient(max_retries=0, timeout=1.0).get(
            f"http://127.0.0.1:{CLOSED}/v2", headers={"X-Api-Key": key}
        )
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert _OWN_ERROR.fullmatch(str(caught.value)), str(caught.value)
