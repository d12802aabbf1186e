"""What every adapter shares: the cursor, one fetch's result, normalisation into `Article`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

from aws_lambda_powertools import Logger

from tensionwatch.http import HttpClient
from tensionwatch.models import Article
from tensionwatch.sources.budget import Budget
from tensionwatch.sources.config import QueriedSource
from tensionwatch.sources.pacer import Pacer
from tensionwatch.sources.text import (
    BODY_MAX,
    FUTURE_SKEW,
    SUMMARY_MAX,
    TITLE_MAX,
    clip,
    plain_text,
)
from tensionwatch.sources.urls import article_id, canonical_url, clean_url, domain_of

logger = Logger(child=True)


class SourceError(Exception):
    """A source could not be polled for a reason other than HTTP (e.g. its API key is missing,
    or the API answered 200 with an error body). Never carries a key."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Cursor:
    """Where one (source, query) stopped: the window end and the feed's validators."""

    source: str
    query: str
    since: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Fetched:
    """One (source, query) fetch: its articles and the cursor to store once they are queued."""

    cursor: Cursor
    articles: list[Article] = field(default_factory=list)
    rejected: int = 0  # entries without a usable link, or records that could not be read
    undated: int = 0  # entries given the poll's time because they carried none
    future: int = 0  # entries dated after the poll, given the poll's time instead
    removed: int = 0  # placeholders an API left where an article was withdrawn

    @property
    def newest(self) -> datetime | None:
        """The latest publication time among the articles."""
        return max((article.published_at for article in self.articles), default=None)


@dataclass(frozen=True)
class SourcePolicy:
    """How the poll treats a source beyond its requests: its daily budget, and how long it
    may bring nothing new before it is reported (None: learned from its own history)."""

    budget: Budget = field(default_factory=Budget)
    silence_after: timedelta | None = None


class Source(Protocol):
    name: str
    policy: SourcePolicy
    pacer: Pacer  # the gate of the source's HTTP client: spacing and request count

    def query_ids(self) -> list[str]:
        """The cursor keys this source polls."""
        ...

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        """What is new for `query_id` since `cursor`, as of `now`; raises HttpError or
        SourceError."""
        ...


def window_start(
    cursor: Cursor | None, now: datetime, lookback_minutes: int, overlap_minutes: int
) -> datetime:
    """Start of the window to fetch: the cursor minus an overlap for late-indexed articles,
    or the lookback on a first poll."""
    if cursor is None or cursor.since is None:
        return now - timedelta(minutes=lookback_minutes)
    return min(cursor.since, now) - timedelta(minutes=overlap_minutes)


def add_entry(
    fetched: Fetched,
    *,
    url: str | None,
    title: str | None,
    published_at: datetime | None,
    now: datetime,
    outlet: str | None = None,
    summary: str | None = None,
    body: str | None = None,
    language: str | None = None,
) -> None:
    """Normalise one raw entry into `fetched.articles`; entries without a usable link are
    counted and logged with the reason; entries without a date, or dated after `now` (the
    fetch time) by more than FUTURE_SKEW, get `now` and are counted."""
    source = fetched.cursor.source
    try:
        link = clean_url(url or "")
        canonical = canonical_url(link)
    except ValueError as error:  # its message never quotes the link
        fetched.rejected += 1
        logger.warning(
            "entry rejected",
            extra={"source": source, "reason": "no usable link", "detail": str(error),
                   "title": (title or "")[:120]},
        )  # fmt: skip
        return
    if published_at is None:
        fetched.undated += 1
        logger.info(
            "entry has no date; using the poll's time",
            extra={"source": source, "canonical_url": canonical},
        )
    elif published_at > now + FUTURE_SKEW:
        # One such date would carry its pairs' clocks into the future (signals are event time).
        fetched.future += 1
        logger.warning(
            "entry dated in the future; using the poll's time",
            extra={"source": source, "canonical_url": canonical, "dated": published_at},
        )
        published_at = None
    ident = article_id(canonical)
    fetched.articles.append(
        Article(
            id=ident,
            url=link,
            canonical_url=canonical,
            title=clip(plain_text(title, TITLE_MAX), TITLE_MAX) or "(untitled)",
            summary=plain_text(summary, SUMMARY_MAX),
            body=plain_text(body, BODY_MAX),
            source=source,
            outlet=(outlet or "").strip() or domain_of(canonical),
            domain=domain_of(canonical),
            published_at=published_at or now,
            language=language or None,
            story_id=ident,
        )
    )


QueriedConfig = TypeVar("QueriedConfig", bound=QueriedSource)


class QueriedApi(Generic[QueriedConfig]):
    """What every search API adapter keeps: its config, the HTTP client, its pacer, its
    queries by id."""

    def __init__(
        self,
        config: QueriedConfig,
        http: HttpClient,
        pacer: Pacer,
        policy: SourcePolicy | None = None,
    ) -> None:
        self.name = config.name
        self.policy = policy or SourcePolicy()
        self.pacer = pacer
        self._config = config
        self._http = http
        self._queries = {query.id: query for query in config.queries}

    def query_ids(self) -> list[str]:
        return list(self._queries)

    def _window(
        self, query_id: str, cursor: Cursor | None, now: datetime
    ) -> tuple[datetime, Fetched]:
        """Where this query's window starts, and an empty result whose cursor ends at `now`."""
        config = self._config
        start = window_start(cursor, now, config.lookback_minutes, config.overlap_minutes)
        return start, Fetched(Cursor(self.name, query_id, since=now))


class KeyedApi(QueriedApi[QueriedConfig]):
    """A search API that needs a key, looked up at fetch time (never logged)."""

    def __init__(
        self,
        config: QueriedConfig,
        http: HttpClient,
        api_key: Callable[[], str],
        pacer: Pacer,
        policy: SourcePolicy | None = None,
    ) -> None:
        super().__init__(config, http, pacer, policy)
        self._api_key = api_key
