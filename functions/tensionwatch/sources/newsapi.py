"""NewsAPI `/v2/everything`: paged keyword search over a time window."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from tensionwatch.http import HttpError
from tensionwatch.sources.base import (
    Cursor,
    Fetched,
    KeyedApi,
    SourceError,
    add_entry,
    logger,
)
from tensionwatch.sources.config import NewsApiSource, Query
from tensionwatch.sources.text import parse_iso

UPGRADE_REQUIRED = 426  # NewsAPI's answer for pages past the plan's result cap
# NewsAPI cuts `content` at 200 chars and appends e.g. "… [+3021 chars]".
_CONTENT_TAIL = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+\d+ chars\]\s*$")
# Where an article was withdrawn NewsAPI keeps a placeholder: title, description, content and
# outlet "[Removed]", link https://removed.com, often dated 1970-01-01 (seen in many public
# captures of its answers).
REMOVED = "[Removed]"
REMOVED_LINKS = frozenset({"https://removed.com", "http://removed.com"})


class _Outlet(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str | None = None


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore")
    source: _Outlet = _Outlet()
    title: str | None = None
    description: str | None = None
    url: str | None = None
    publishedAt: str | None = None
    content: str | None = None


class _Page(BaseModel):
    model_config = ConfigDict(extra="ignore")
    status: str
    totalResults: int = 0
    articles: list[_Item] = []
    code: str | None = None
    message: str | None = None


class NewsApi(KeyedApi[NewsApiSource]):
    """One configured NewsAPI source."""

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        """Articles published in the window, newest first, up to the plan's result cap;
        raises HttpError or SourceError (an error body, a missing key)."""
        config, query = self._config, self._queries[query_id]
        start, fetched = self._window(query_id, cursor, now)
        key = self._api_key()
        for page in range(1, config.max_pages + 1):
            if (page - 1) * config.page_size >= config.max_results:
                break
            try:
                body = self._page(query, start, now, page, key)
            except HttpError as error:
                if error.status == UPGRADE_REQUIRED and page > 1:
                    logger.info("newsapi result cap reached", extra={"source": self.name})
                    break
                raise
            for item in body.articles:
                self._add(fetched, item, now, query.language)
            if page * config.page_size >= min(body.totalResults, config.max_results):
                break
        return fetched

    def _page(self, query: Query, start: datetime, end: datetime, page: int, key: str) -> _Page:
        params = {
            "q": query.q,
            "from": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "to": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sortBy": "publishedAt",
            "pageSize": str(self._config.page_size),
            "page": str(page),
        }
        if query.language:
            params["language"] = query.language
        # The key travels in a header, so it is in no URL a proxy or log could keep.
        response = self._http.get(
            f"{str(self._config.base_url).rstrip('/')}/v2/everything",
            params=params,
            headers={"X-Api-Key": key},
        )
        return _parse(response.json())

    def _add(self, fetched: Fetched, item: _Item, now: datetime, language: str | None) -> None:
        if _is_removed(item):
            fetched.removed += 1  # not news, and not an error: counted, never queued
            return
        add_entry(
            fetched,
            url=item.url,
            title=item.title,
            published_at=parse_iso(item.publishedAt),
            now=now,
            outlet=item.source.name,
            summary=item.description,
            body=_CONTENT_TAIL.sub("", item.content or ""),
            language=language,  # NewsAPI answers in the language asked for and names none
        )


def _is_removed(item: _Item) -> bool:
    link = (item.url or "").strip().rstrip("/").lower()
    return (item.title or "").strip() == REMOVED or link in REMOVED_LINKS


def _parse(data: Any) -> _Page:
    try:
        page = _Page.model_validate(data)
    except ValidationError:  # its text quotes the body, which may echo a key
        raise SourceError("malformed", "newsapi: response is not a NewsAPI page") from None
    if page.status != "ok":
        raise SourceError("client_error", f"newsapi: error {page.code or 'unknown'}")
    if "articles" not in page.model_fields_set:  # a renamed key is not "no articles"
        raise SourceError("malformed", "newsapi: an ok page without articles")
    return page
