"""The fake news server speaks each real API's shape: the real adapters parse it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from tensionwatch.http import HttpError
from tensionwatch.local.news import START, sample_copies
from tensionwatch.local.news_server import API_KEY, NewsServer
from tensionwatch.local.runner import SimClock
from tensionwatch.local.sources import demo_sources
from tensionwatch.sources.base import Cursor, Source
from tensionwatch.sources.registry import build_source

NOW = START + timedelta(days=6, hours=12)


@pytest.fixture
def sources() -> Iterator[dict[str, Source]]:
    clock = SimClock(NOW)
    server = NewsServer(sample_copies(), clock)
    config = demo_sources(server.url)
    try:
        yield {
            s.name: build_source(s, sleep=lambda _: None, keys=lambda _: lambda: API_KEY)
            for s in config.sources
        }
    finally:
        server.close()


def fetch_all(source: Source, lookback: timedelta) -> list[str]:
    urls = []
    for query in source.query_ids():
        fetched = source.fetch(query, None, NOW)
        assert fetched.rejected == 0
        urls += [a.url for a in fetched.articles if a.published_at >= NOW - lookback]
    return urls


def expected_urls() -> set[str]:
    return {c.url for c in sample_copies() if c.published_at <= NOW}


def expected(channel: str, since: timedelta) -> set[str]:
    return {
        c.url
        for c in sample_copies()
        if c.channel == channel and NOW - since <= c.published_at <= NOW
    }


@pytest.mark.parametrize(
    ("source", "channel"),
    [("newsapi", "newsapi"), ("gdelt", "gdelt"), ("guardian", "guardian")],
)
def test_search_apis_return_the_window_up_to_the_simulated_now(
    sources: dict[str, Source], source: str, channel: str
) -> None:
    # The first poll looks back one day (the sources file's default lookback).
    got = fetch_all(sources[source], timedelta(days=1))
    assert set(got) == expected(channel, timedelta(days=1))
    assert got


def test_newsapi_pages_through_small_pages(sources: dict[str, Source]) -> None:
    since = Cursor("newsapi", "gr-tr", since=START)
    fetched = sources["newsapi"].fetch("gr-tr", since, NOW)
    gr_tr = {c.url for c in sample_copies() if c.channel == "newsapi" and "Gree" in c.summary}
    assert len(fetched.articles) > 5  # more than one page of five
    assert {a.url for a in fetched.articles} == {u for u in gr_tr if u in expected_urls()}
    assert {a.outlet for a in fetched.articles} <= {"Continental Wire", "Daily Ledger"}


def test_rss_and_atom_feeds_parse_with_dates_and_outlets(sources: dict[str, Source]) -> None:
    for name, channel in (("meridian-wire", "meridian"), ("coastline-post", "coastline")):
        fetched = sources[name].fetch("feed", None, NOW)
        assert {a.url for a in fetched.articles} == expected(channel, timedelta(days=30))
        assert fetched.undated == 0
        assert fetched.cursor.etag


def test_unchanged_feed_answers_not_modified(sources: dict[str, Source]) -> None:
    first = sources["meridian-wire"].fetch("feed", None, NOW)
    again = sources["meridian-wire"].fetch("feed", first.cursor, NOW)
    assert again.articles == []


def test_broken_feed_fails_as_a_server_error(sources: dict[str, Source]) -> None:
    with pytest.raises(HttpError) as error:
        sources["northstar-daily"].fetch("feed", None, NOW)
    assert error.value.reason == "server_error"
