"""Past news from a real source, for a replay: GDELT DOC's `startdatetime`/`enddatetime` (back
to 2017) and the Guardian's `from-date`/`to-date`, fetched through the poll's own adapters and
HTTP client (`sources.registry.build_source`: same parsing, same normalisation, same pacing),
window by window, each window cached on disk once complete so a second run makes no request.

A window whose answer is full (GDELT's 250 records, the Guardian's pages) may be missing
articles: it is split in two and both halves fetched instead, down to a smallest window, where
what is missing is said rather than guessed.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from tensionwatch.config import BacktestSettings
from tensionwatch.models import Article
from tensionwatch.sources.base import Cursor, Source
from tensionwatch.sources.config import GdeltSource, GuardianSource, Query
from tensionwatch.sources.keys import checked_key
from tensionwatch.sources.registry import build_source

Kind = Literal["gdelt", "guardian"]
QUERY_ID = "history"


@dataclass(frozen=True)
class Plan:
    """How one source is read back in time: first window, smallest window, answer's capacity."""

    window: timedelta
    smallest: timedelta
    capacity: int


# GDELT: at most 250 records an answer (its ArtList maximum); seendate has 15-minute steps.
# The Guardian: whole days (from-date and to-date are dates), up to 10 pages of 200 a window.
GDELT = Plan(window=timedelta(days=7), smallest=timedelta(minutes=15), capacity=250)
GUARDIAN_PAGES, GUARDIAN_PAGE_SIZE = 10, 200
GUARDIAN = Plan(window=timedelta(days=28), smallest=timedelta(days=1),
                capacity=GUARDIAN_PAGES * GUARDIAN_PAGE_SIZE)  # fmt: skip
SETTLED = timedelta(days=1)  # a window ending later than this before now may still grow


@dataclass(frozen=True)
class HistoryQuery:
    kind: Kind
    query: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Window:
    """One fetched (or cached) window: its articles and whether the source's cap cut it."""

    start: datetime
    end: datetime
    articles: tuple[Article, ...]
    cached: bool
    capped: bool = False


class History:
    """Fetches a `HistoryQuery` window by window, splitting full answers, caching complete ones.
    `sleep` paces the requests (GDELT asks for one every 5 s) on `clock`; `now` says which
    windows are settled enough to cache."""

    def __init__(
        self,
        settings: BacktestSettings,
        cache: Path,
        *,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._cache = cache
        self._sleep = sleep
        self._now = now
        self._clock = clock  # the pacing clock, which `sleep` advances

    def windows(self, query: HistoryQuery) -> Iterator[Window]:
        """Every window of `query` in time order; raises HttpError or SourceError when a fetch
        fails (the windows cached so far stay cached: a rerun resumes)."""
        plan = GDELT if query.kind == "gdelt" else GUARDIAN
        source = self._source(query)
        start = _floor(query.start, plan)
        while start < query.end:
            end = min(start + plan.window, query.end)
            yield from self._window(source, query, plan, start, end)
            start = end

    def _window(
        self, source: Source, query: HistoryQuery, plan: Plan, start: datetime, end: datetime
    ) -> Iterator[Window]:
        path = self._cache / f"{query.kind}-{self._key(query, start, end)}.jsonl"
        split = path.with_suffix(".split")  # a full answer, fetched again as two halves
        if path.exists():
            lines = path.read_bytes().splitlines()
            yield Window(start, end, tuple(Article.model_validate_json(b) for b in lines), True)
            return
        if split.exists():
            yield from self._halves(source, query, plan, start, end)
            return
        # The request's end is inclusive: the second before `end`, so adjacent windows never
        # ask for the same articles twice.
        last = end - timedelta(seconds=1)
        fetched = source.fetch(QUERY_ID, Cursor(source.name, QUERY_ID, since=start), last)
        full = len(fetched.articles) + fetched.rejected >= plan.capacity
        settled = end <= self._now() - SETTLED
        if full and end - start > plan.smallest:
            if settled:
                _write_atomically(split, b"")
            yield from self._halves(source, query, plan, start, end)
            return
        # Stories are the poll's to find (add_entry makes each article its own): left open.
        articles = tuple(sorted((a.model_copy(update={"story_id": None})
                                 for a in fetched.articles if start <= a.published_at < end),
                                key=lambda a: (a.published_at, a.id)))  # fmt: skip
        if settled:
            _write_atomically(path, b"".join(a.model_dump_json().encode() + b"\n"
                                             for a in articles))  # fmt: skip
        yield Window(start, end, articles, False, capped=full)

    def _halves(
        self, source: Source, query: HistoryQuery, plan: Plan, start: datetime, end: datetime
    ) -> Iterator[Window]:
        middle = _floor(start + (end - start) / 2, plan)
        middle = middle if middle > start else start + plan.smallest
        yield from self._window(source, query, plan, start, middle)
        yield from self._window(source, query, plan, middle, end)

    def _source(self, query: HistoryQuery) -> Source:
        name, queries = f"{query.kind}-history", (Query(id=QUERY_ID, q=query.query),)
        if query.kind == "gdelt":
            gdelt = GdeltSource.model_validate(
                {"kind": "gdelt", "name": name, "queries": queries, "overlap_minutes": 0,
                 "base_url": self._settings.GDELT_URL, "max_records": GDELT.capacity}
            )  # fmt: skip
            return build_source(gdelt, sleep=self._sleep, clock=self._clock)
        key = checked_key("GUARDIAN_API_KEY", self._settings.GUARDIAN_API_KEY)
        guardian = GuardianSource.model_validate(
            {"kind": "guardian", "name": name, "queries": queries, "overlap_minutes": 0,
             "base_url": self._settings.GUARDIAN_URL, "api_key_parameter": "GUARDIAN_API_KEY",
             "max_pages": GUARDIAN_PAGES, "page_size": GUARDIAN_PAGE_SIZE}
        )  # fmt: skip
        return build_source(guardian, sleep=self._sleep, clock=self._clock,
                            keys=lambda _: lambda: key)  # fmt: skip

    def _key(self, query: HistoryQuery, start: datetime, end: datetime) -> str:
        base = self._settings.GDELT_URL if query.kind == "gdelt" else self._settings.GUARDIAN_URL
        text = f"{query.kind}|{base}|{query.query}|{start.isoformat()}|{end.isoformat()}"
        return hashlib.sha256(text.encode()).hexdigest()[:24]


def cache_dir(settings: BacktestSettings) -> Path:
    """TENSIONWATCH_CACHE, or tensionwatch/history under XDG_CACHE_HOME or ~/.cache."""
    if settings.TENSIONWATCH_CACHE:
        return Path(settings.TENSIONWATCH_CACHE)
    base = Path(settings.XDG_CACHE_HOME) if settings.XDG_CACHE_HOME else Path.home() / ".cache"
    return base / "tensionwatch" / "history"


def _floor(at: datetime, plan: Plan) -> datetime:
    """`at` on the plan's grid: GDELT's 15 minutes, the Guardian's days."""
    step = int(plan.smallest.total_seconds())
    epoch = int(at.timestamp())
    return datetime.fromtimestamp(epoch - epoch % step, UTC)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_bytes(data)
    partial.replace(path)
