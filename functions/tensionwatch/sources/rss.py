"""RSS and Atom feeds: fetched by our HTTP client with conditional GET, parsed by feedparser."""

from __future__ import annotations

import io
from calendar import timegm
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from tensionwatch.http import HttpClient, HttpError, HttpResponse
from tensionwatch.sources.base import Cursor, Fetched, SourcePolicy, add_entry, logger
from tensionwatch.sources.config import RssSource
from tensionwatch.sources.pacer import Pacer

NOT_MODIFIED = 304
FEED_QUERY = "feed"  # a feed has one "query": itself
# feedparser's dates, most telling first: Atom 0.3 names the first publication `created`
# (`issued` is its `published`), and some feeds only say when an entry last changed.
_DATE_KEYS = ("published_parsed", "created_parsed", "updated_parsed")
# What a body that is no feed starts with, to say what it was (the first bytes, lowercased).
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")


class Rss:
    """One configured feed."""

    def __init__(
        self, config: RssSource, http: HttpClient, pacer: Pacer, policy: SourcePolicy | None = None
    ) -> None:
        self.name = config.name
        self.policy = policy or SourcePolicy()
        self.pacer = pacer
        self._config = config
        self._http = http

    def query_ids(self) -> list[str]:
        return [FEED_QUERY]

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        """The feed's entries, or none on 304; raises HttpError, with reason "malformed" when
        the body is not a feed feedparser recognises (an HTML page, an empty body, other XML);
        a malformed feed's readable entries are kept."""
        headers = {}
        if cursor and cursor.etag:
            headers["If-None-Match"] = cursor.etag
        if cursor and cursor.last_modified:
            headers["If-Modified-Since"] = cursor.last_modified
        response = self._http.get(str(self._config.url), headers=headers)
        if response.status == NOT_MODIFIED:
            return Fetched(cursor or Cursor(self.name, query_id))
        fetched = Fetched(
            Cursor(
                self.name,
                query_id,
                since=now,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )
        )
        parsed = self._parse(response)
        outlet = self._config.outlet or parsed.feed.get("title") or None
        language = _language(parsed.feed.get("language"))
        for entry in parsed.entries:
            add_entry(
                fetched,
                url=entry.get("link"),
                title=entry.get("title"),
                published_at=_entry_time(entry),
                now=now,
                outlet=outlet,
                summary=entry.get("summary"),
                body=_content(entry),
                language=language,
            )
        return fetched

    def _parse(self, response: HttpResponse) -> Any:
        # Bytes in a stream: feedparser reads the declared encoding (XML prolog or the
        # Content-Type charset) itself and never treats the input as a URL or a path. The
        # feed's own URL is its base, so relative links resolve as a browser would.
        headers = {"content-type": response.headers.get("Content-Type", ""),
                   "content-location": _base_url(response)}  # fmt: skip
        try:
            parsed = feedparser.parse(
                io.BytesIO(response.body), response_headers=headers, sanitize_html=True
            )
        except UnicodeError as error:
            # feedparser turns most broken input into `bozo`, but a surrogate character
            # reference (&#xD800;) escapes it as an encoding error: still a malformed feed.
            problem = type(error).__name__
            raise HttpError("malformed", f"{self.name}: unreadable feed ({problem})") from None
        if not parsed.get("version"):
            # Whatever the Content-Type says: a feed URL that now redirects to a home page, or
            # answers an empty 200, must fail loudly rather than read as a feed with no news.
            raise HttpError("malformed", f"{self.name}: not a feed: {_what(response.body)}")
        if parsed.bozo:
            problem = type(parsed.get("bozo_exception")).__name__
            logger.warning("feed is malformed; keeping its readable entries",
                           extra={"source": self.name, "problem": problem,
                                  "entries": len(parsed.entries)})  # fmt: skip
        return parsed


def _base_url(response: HttpResponse) -> str:
    """The feed's base URL: its Content-Location resolved against where it came from."""
    return urljoin(response.url, response.headers.get("Content-Location", "").strip())


def _what(body: bytes) -> str:
    """What a body that is not a feed looks like, for the error (never its content)."""
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not start:
        return "an empty body"
    if start.startswith(_HTML_STARTS):
        return "an HTML page"
    if start.startswith(b"<"):
        return "XML or markup without an RSS or Atom root element"
    return "a body that is not XML"


def _entry_time(entry: Any) -> datetime | None:
    # feedparser normalises every date format it knows into a UTC struct_time.
    parsed = next((entry[key] for key in _DATE_KEYS if entry.get(key)), None)
    if not parsed:
        return None
    return datetime.fromtimestamp(timegm(parsed), UTC)


def _content(entry: Any) -> str:
    contents = entry.get("content") or []
    return str(contents[0].get("value", "")) if contents else ""


def _language(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return value.split("-")[0].lower()[:8]
