"""The Guardian content API `/search`, with trail text and body through `show-fields`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from tensionwatch.sources.base import (
    Cursor,
    Fetched,
    KeyedApi,
    SourceError,
    add_entry,
)
from tensionwatch.sources.config import GuardianSource, Query
from tensionwatch.sources.text import parse_iso

OUTLET = "The Guardian"
FIELDS = "trailText,bodyText"  # summary and plain-text body; `body` would be HTML


class _Fields(BaseModel):
    model_config = ConfigDict(extra="ignore")
    trailText: str | None = None
    bodyText: str | None = None


class _Result(BaseModel):
    model_config = ConfigDict(extra="ignore")
    webTitle: str | None = None
    webUrl: str | None = None
    webPublicationDate: str | None = None
    fields: _Fields = _Fields()


class _Response(BaseModel):
    model_config = ConfigDict(extra="ignore")
    status: str
    pages: int = 0
    currentPage: int = 1
    results: list[_Result] = []
    message: str | None = None


class _Envelope(BaseModel):
    model_config = ConfigDict(extra="ignore")
    response: _Response


class Guardian(KeyedApi[GuardianSource]):
    """One configured Guardian source."""

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        """Results in the window, newest first, up to `max_pages` pages; raises HttpError or
        SourceError."""
        config, query = self._config, self._queries[query_id]
        start, fetched = self._window(query_id, cursor, now)
        key = self._api_key()
        for page in range(1, config.max_pages + 1):
            response = self._page(query, start, now, page, key)
            for result in response.results:
                add_entry(
                    fetched,
                    url=result.webUrl,
                    title=result.webTitle,
                    published_at=parse_iso(result.webPublicationDate),
                    now=now,
                    outlet=OUTLET,
                    summary=result.fields.trailText,
                    body=result.fields.bodyText,
                    language="en",
                )
            if page >= response.pages:
                break
        return fetched

    def _page(self, query: Query, start: datetime, end: datetime, page: int, key: str) -> _Response:
        params = {
            "q": query.q,
            # The documented format is a date; the day-wide window re-reads earlier results of
            # the day, which dedup drops, rather than risk a format the API might reject.
            "from-date": start.date().isoformat(),
            "to-date": end.date().isoformat(),
            "order-by": "newest",
            "show-fields": FIELDS,
            "page-size": str(self._config.page_size),
            "page": str(page),
            "api-key": key,  # the API wants it in the query; HttpError never repeats queries
        }
        url = f"{str(self._config.base_url).rstrip('/')}/search"
        return _parse(self._http.get(url, params=params).json())


def _parse(data: Any) -> _Response:
    try:
        response = _Envelope.model_validate(data).response
    except ValidationError:  # its text quotes the body, which may echo a key
        raise SourceError("malformed", "guardian: response is not a search envelope") from None
    if response.status != "ok":
        raise SourceError("client_error", "guardian: the API answered status error")
    if "results" not in response.model_fields_set:  # a renamed key is not "no results"
        raise SourceError("malformed", "guardian: an ok envelope without results")
    return response
