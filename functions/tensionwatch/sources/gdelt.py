"""GDELT DOC 2.0 API, `mode=ArtList&format=json`: titles and links, no body."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from tensionwatch.http import HttpError, HttpResponse
from tensionwatch.sources.base import Cursor, Fetched, QueriedApi, add_entry
from tensionwatch.sources.config import GdeltSource
from tensionwatch.sources.text import plain_text

SEENDATE_FORMAT = "%Y%m%dT%H%M%SZ"  # e.g. 20230918T031500Z
WINDOW_FORMAT = "%Y%m%d%H%M%S"  # startdatetime / enddatetime
# GDELT names languages in English; the ones our queries ask for, as ISO 639-1.
_LANGUAGES = {"english": "en", "french": "fr", "spanish": "es", "german": "de", "arabic": "ar",
              "russian": "ru", "chinese": "zh", "japanese": "ja", "korean": "ko",
              "turkish": "tr", "portuguese": "pt", "italian": "it"}  # fmt: skip


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore")
    url: str | None = None
    title: str | None = None
    seendate: str | None = None
    domain: str | None = None
    language: str | None = None


class _List(BaseModel):
    model_config = ConfigDict(extra="ignore")
    # Required: a renamed key must fail the source, not read as "no articles" and move the
    # cursor past a window whose articles were never seen.
    articles: list[_Item]


class Gdelt(QueriedApi[GdeltSource]):
    """One configured GDELT DOC source."""

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        """Up to `max_records` articles seen in the window; raises HttpError, including
        reason "malformed" for the HTML error pages GDELT serves with status 200."""
        config = self._config
        start, fetched = self._window(query_id, cursor, now)
        params = {
            "query": self._queries[query_id].q,
            "mode": "ArtList",
            "format": "json",
            "maxrecords": str(config.max_records),
            "sort": "DateDesc",
            "startdatetime": start.strftime(WINDOW_FORMAT),
            "enddatetime": now.strftime(WINDOW_FORMAT),
        }
        url = f"{str(config.base_url).rstrip('/')}/api/v2/doc/doc"
        listing = _parse(self._http.get(url, params=params))
        for item in listing.articles:
            add_entry(
                fetched,
                url=item.url,
                title=item.title,
                published_at=_seendate(item.seendate),
                now=now,
                outlet=item.domain,
                language=_LANGUAGES.get((item.language or "").lower()),
            )
        return fetched


def _parse(response: HttpResponse) -> _List:
    body = response.body.lstrip()
    if not body:
        return _List(articles=[])  # GDELT answers an empty body when nothing matched
    if not body.startswith(b"{"):
        # Query errors ("Your search contained a phrase that was too short") come back as a
        # text/html page with status 200; say what it said, without markup.
        said = plain_text(body[:300].decode("utf-8", "replace"), 120)
        raise HttpError("malformed", f"gdelt: answered with a page instead of JSON: {said}")
    data: Any = response.json()
    if data == {}:
        return _List(articles=[])  # an empty object is GDELT's other way of saying "none"
    try:
        return _List.model_validate(data)
    except ValidationError:  # its text quotes the body, which may echo a key
        raise HttpError("malformed", "gdelt: JSON is not an article list") from None


def _seendate(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, SEENDATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
