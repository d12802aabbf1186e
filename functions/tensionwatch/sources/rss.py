"""RSS and Atom feeds: fetched by our HTTP client with conditional GET, parsed by feedparser."""

from __future__ import annotations

import io
from calendar import timegm
from datetime import UTC, datetime
from typing import Any

import feedparser

from tensionwatch.http import HttpClient, HttpError, HttpResponse
from tensionwatch.sources.base import Cursor, Fetched, SourcePolicy, add_entry, logger
from tensionwatch.sources.config import RssSource
from tensionwatch.sources.pacer import Pacer

NOT_MODIFIED = 304
FEED_QUERY = "feed"  # a feed has one "query": itself


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
        """The feed's entries, or none on 304; raises HttpError, with reason "malformed" only
        when the body holds no feed at all (a bozo feed's good entries are kept)."""
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
        # Content-Type charset) itself and never treats the input as a URL or a path.
        try:
            parsed = feedparser.parse(
                io.BytesIO(response.body),
                response_headers={"content-type": response.headers.get("Content-Type", "")},
                sanitize_html=True,
            )
        except UnicodeError as error:
            # feedparser turns most broken input into `bozo`, but a surrogate character
            # reference (&#xD800;) escapes it as an encoding error: still a malformed feed.
            problem = type(error).__name__
            raise HttpError("malformed", f"{self.name}: unreadable feed ({problem})") from None
        if parsed.bozo:
            problem = type(parsed.get("bozo_exception")).__name__
            if not parsed.entries and not parsed.feed:
                raise HttpError("malformed", f"{self.name}: not a feed ({problem})")
            logger.warning("feed is malformed; keeping its readable entries",
                           extra={"source": self.name, "problem": problem,
                                  "entries": len(parsed.entries)})  # fmt: skip
        return parsed


def _entry_time(entry: Any) -> datetime | None:
    # feedparser normalises every date format it knows into a UTC struct_time.
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
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
