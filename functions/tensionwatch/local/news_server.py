"""A local fake news server: the bundled sample news in the real APIs' shapes (NewsAPI
`/v2/everything`, GDELT DOC ArtList JSON, Guardian `/search`, an RSS 2.0 and an Atom feed),
showing only what is published by the simulated clock's now, plus one feed that always fails."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from tensionwatch.local import feeds
from tensionwatch.local.news import Copy

API_KEY = "local-demo-key"  # what the demo stores in (moto) SSM for NewsAPI and the Guardian
NEWSAPI_RESULT_CAP = 100  # developer plan: HTTP 426 past 100 results
FEED_ITEMS = 20  # entries a feed keeps, as real feeds keep the latest few dozen
POLL_INTERVAL = 0.05  # seconds: how soon close() is answered (the default 0.5 s adds up)
Clock = Callable[[], datetime]


class NewsServer:
    """Serves `copies` on 127.0.0.1 (a free port) until `close()`; counts requests by route."""

    def __init__(self, copies: Sequence[Copy], clock: Clock) -> None:
        hits: Counter[str] = Counter()

        class Handler(_Handler):
            pass

        Handler.copies, Handler.clock, Handler.hits = tuple(copies), clock, hits
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.hits = hits
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(POLL_INTERVAL,), daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    copies: ClassVar[tuple[Copy, ...]]
    clock: ClassVar[Clock]
    hits: ClassVar[Counter[str]]

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the demo prints its own report."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        route = _ROUTES.get(parts.path)
        self.hits[parts.path] += 1
        if route is None:
            self._send(404, "text/plain", b"not found")
            return
        status, content_type, body, headers = route(self, query)
        if "ETag" in headers and self.headers.get("If-None-Match") == headers["ETag"]:
            self._send(304, content_type, b"", headers)
            return
        self._send(status, content_type, body, headers)

    def visible(self, channel: str) -> list[Copy]:
        now = type(self).clock()
        return [c for c in self.copies if c.channel == channel and c.published_at <= now]

    def _send(
        self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


Response = tuple[int, str, bytes, dict[str, str]]


def _newsapi(handler: _Handler, query: dict[str, str]) -> Response:
    if handler.headers.get("X-Api-Key") != API_KEY:
        return feeds.json_response(401, feeds.newsapi_error("apiKeyInvalid"))
    size, page = int(query.get("pageSize", "100")), int(query.get("page", "1"))
    if (page - 1) * size >= NEWSAPI_RESULT_CAP:
        return feeds.json_response(426, feeds.newsapi_error("maximumResultsReached"))
    found = _window(handler.visible("newsapi"), query, "from", "to", "q")
    return feeds.json_response(200, feeds.newsapi_page(found, size, page))


def _gdelt(handler: _Handler, query: dict[str, str]) -> Response:
    if len(query.get("query", "").strip()) < 3:  # GDELT's error pages come with status 200
        return 200, "text/html", feeds.GDELT_ERROR_PAGE, {}
    found = _window(handler.visible("gdelt"), query, "startdatetime", "enddatetime", "query")
    return feeds.json_response(200, feeds.gdelt_list(found, int(query.get("maxrecords", "75"))))


def _guardian(handler: _Handler, query: dict[str, str]) -> Response:
    if query.get("api-key") != API_KEY:
        return feeds.json_response(401, {"message": "Unauthorized"})
    found = _window(handler.visible("guardian"), query, "from-date", "to-date", "q")
    size, page = int(query.get("page-size", "10")), int(query.get("page", "1"))
    return feeds.json_response(200, feeds.guardian_envelope(found, size, page))


def _rss(handler: _Handler, query: dict[str, str]) -> Response:
    return feeds.feed_response(feeds.rss(handler.visible("meridian")[-FEED_ITEMS:]), "rss")


def _atom(handler: _Handler, query: dict[str, str]) -> Response:
    now = type(handler).clock()
    return feeds.feed_response(feeds.atom(handler.visible("coastline")[-FEED_ITEMS:], now), "atom")


def _broken(handler: _Handler, query: dict[str, str]) -> Response:
    return 503, "text/html", feeds.BROKEN_PAGE, {}


_ROUTES: dict[str, Callable[[_Handler, dict[str, str]], Response]] = {
    "/v2/everything": _newsapi,
    "/api/v2/doc/doc": _gdelt,
    "/search": _guardian,
    "/feeds/meridian.xml": _rss,
    "/feeds/coastline.atom": _atom,
    "/feeds/northstar.xml": _broken,
}


def _window(
    copies: list[Copy], query: dict[str, str], start: str, end: str, terms: str
) -> list[Copy]:
    """Newest first, inside [start, end], matching any word of the query (the fake server's
    stand-in for each API's query language)."""
    low, high = _when(query.get(start)), _when(query.get(end), end_of_day=True)
    words = feeds.query_words(query.get(terms, ""))
    found = [
        copy
        for copy in copies
        if (low is None or copy.published_at >= low)
        and (high is None or copy.published_at <= high)
        and feeds.matches(copy, words)
    ]
    return sorted(found, key=lambda copy: copy.published_at, reverse=True)


def _when(value: str | None, *, end_of_day: bool = False) -> datetime | None:
    """An API's window bound; a bare date as an end bound covers that whole day (Guardian)."""
    if not value:
        return None
    for layout in ("%Y-%m-%dT%H:%M:%SZ", "%Y%m%d%H%M%S"):
        try:
            return datetime.strptime(value, layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None
    return day + timedelta(days=1) - timedelta(microseconds=1) if end_of_day else day
