"""Real-shaped API responses (our own invented articles) and adapter builders for the tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

from tensionwatch.sources.base import Source
from tensionwatch.sources.config import (
    GdeltSource,
    GuardianSource,
    NewsApiSource,
    RssSource,
    SourcesFile,
)
from tensionwatch.sources.gdelt import Gdelt
from tensionwatch.sources.guardian import Guardian
from tensionwatch.sources.newsapi import NewsApi
from tensionwatch.sources.registry import build_source
from tensionwatch.sources.rss import Rss

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
KEY = "test-key-0f3c9a"


class RecordingSleep:
    """A sleep that records its waits and moves its own monotonic clock by them (handed to
    an adapter as both its sleep and its clock: time passes only when it sleeps)."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 1_000.0

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def _keys(parameter: str) -> Callable[[], str]:
    return lambda: KEY


def newsapi(base_url: str, sleep: RecordingSleep, **overrides: Any) -> NewsApi:
    config = NewsApiSource.model_validate(
        {"name": "newsapi", "kind": "newsapi", "base_url": base_url,
         "api_key_parameter": "/k", "queries": [{"id": "jp-kr", "q": "Japan AND Korea"}],
         **overrides}
    )  # fmt: skip
    return cast(NewsApi, build_source(config, sleep=sleep, clock=sleep.clock, keys=_keys))


def gdelt(base_url: str, sleep: RecordingSleep, **overrides: Any) -> Gdelt:
    config = GdeltSource.model_validate(
        {"name": "gdelt", "kind": "gdelt", "base_url": base_url,
         "queries": [{"id": "jp-kr", "q": "(Japan Korea)"}, {"id": "us-cn", "q": "(US China)"}],
         **overrides}
    )  # fmt: skip
    return cast(Gdelt, build_source(config, sleep=sleep, clock=sleep.clock))


def guardian(base_url: str, sleep: RecordingSleep, **overrides: Any) -> Guardian:
    config = GuardianSource.model_validate(
        {"name": "guardian", "kind": "guardian", "base_url": base_url,
         "api_key_parameter": "/g", "queries": [{"id": "world", "q": "sanctions"}], **overrides}
    )  # fmt: skip
    return cast(Guardian, build_source(config, sleep=sleep, clock=sleep.clock, keys=_keys))


def rss(url: str, sleep: RecordingSleep, **overrides: Any) -> Rss:
    config = RssSource.model_validate(
        {"name": "wire-world", "kind": "rss", "url": url, **overrides}
    )
    return cast(Rss, build_source(config, sleep=sleep, clock=sleep.clock))


def local_source(base: str, kind: str, time: RecordingSleep | None, **fields: Any) -> Source:
    """A real adapter of `kind` on the local server at `base` (a feed at /feed.xml, one query
    "q"), no retries unless `fields` say so; `time` fakes its clock and sleep (None: real)."""
    spec: dict[str, Any] = {"name": kind, "kind": kind, "max_retries": 0}
    if kind == "rss":
        spec |= {"url": f"{base}/feed.xml"}
    else:
        spec |= {"base_url": base, "queries": [{"id": "q", "q": "Peru Chile"}]}
    if kind in ("newsapi", "guardian"):
        spec |= {"api_key_parameter": "/k"}
    config = SourcesFile.model_validate({"sources": [spec | fields]}).sources[0]
    if time is None:
        return build_source(config, keys=_keys)
    return build_source(config, sleep=time, clock=time.clock, keys=_keys)


def newsapi_article(n: int, **overrides: Any) -> dict[str, Any]:
    return {
        "source": {"id": None, "name": "Harbour Times"},
        "author": "Staff",
        "title": f"Japan and South Korea hold talks on fisheries, round {n}",
        "description": f"<p>Officials met in Busan for round {n} of fisheries talks.</p>",
        "url": f"https://www.harbourtimes.example/world/fisheries-{n}?utm_source=newsapi",
        "urlToImage": None,
        "publishedAt": f"2026-11-02T08:{n % 60:02d}:00Z",
        "content": f"Negotiators from both sides met for round {n}… [+2114 chars]",
        **overrides,
    }


def newsapi_page(articles: list[dict[str, Any]], total: int) -> dict[str, Any]:
    return {"status": "ok", "totalResults": total, "articles": articles}


def gdelt_article(n: int, **overrides: Any) -> dict[str, Any]:
    return {
        "url": f"https://www.northwire.example/asia/{n}",
        "url_mobile": "",
        "title": f"Seoul and Tokyo trade barbs over islets {n}",
        "seendate": "20261102T081500Z",
        "socialimage": "",
        "domain": "northwire.example",
        "language": "English",
        "sourcecountry": "Japan",
        **overrides,
    }


def guardian_result(n: int, **overrides: Any) -> dict[str, Any]:
    return {
        "id": f"world/2026/nov/02/story-{n}",
        "type": "article",
        "sectionId": "world",
        "sectionName": "World news",
        "webPublicationDate": "2026-11-02T07:30:00Z",
        "webTitle": f"EU weighs new sanctions package {n}",
        "webUrl": f"https://www.theguardian.com/world/2026/nov/02/story-{n}",
        "apiUrl": f"https://content.guardianapis.com/world/2026/nov/02/story-{n}",
        "fields": {"trailText": "Ministers <strong>split</strong> on timing", "bodyText": "Body."},
        **overrides,
    }


def guardian_page(results: list[dict[str, Any]], page: int, pages: int) -> dict[str, Any]:
    return {
        "response": {"status": "ok", "userTier": "developer", "total": 3 * pages,
                     "startIndex": 1, "pageSize": len(results), "currentPage": page,
                     "pages": pages, "orderBy": "newest", "results": results}
    }  # fmt: skip


RSS_FEED = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0"><channel>
<title>Wire World</title><link>https://wire.example/</link><language>en-gb</language>
<item><title>{first_title}</title><link>https://wire.example/a?utm_medium=rss</link>
<description>&lt;p&gt;Leaders &lt;b&gt;met&lt;/b&gt; in Ankara.&lt;/p&gt;</description>
<pubDate>Mon, 02 Nov 2026 08:00:00 +0100</pubDate></item>
<item><title>No date on this one</title><link>https://wire.example/b</link></item>
<item><title>No link on this one</title><pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item>
</channel></rss>"""
