"""Past news for a backtest, fetched from the local fake news server through the poll's own
adapters: GDELT's windows split until no answer is full, requests paced as the source asks, the
Guardian paged with its key, and every complete window cached so that a second run asks for
nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tensionwatch.backtest.history import GDELT, History, HistoryQuery
from tensionwatch.config import BacktestSettings
from tensionwatch.local.news import Copy
from tensionwatch.local.news_server import API_KEY, NewsServer
from tests.integration.sources.fixtures import RecordingSleep

JULY = datetime(2019, 7, 1, tzinfo=UTC)
GDELT_PATH, GUARDIAN_PATH = "/api/v2/doc/doc", "/search"
LATER = datetime(2030, 1, 1, tzinfo=UTC)  # the server's clock: everything is published


def copies(
    channel: str, count: int, start: datetime, span: timedelta, first: int = 0
) -> list[Copy]:
    step = span / count
    return [Copy(story=n, channel=channel, outlet=f"outlet{n % 9}.example",
                 url=f"https://outlet{n % 9}.example/{channel}/{n}",
                 title=f"Japan and South Korea trade row, report {n}", summary="Japan said so.",
                 body="", published_at=start + step * (n - first))
            for n in range(first, first + count)]  # fmt: skip


@pytest.fixture
def server() -> Iterator[NewsServer]:
    news = copies("gdelt", 600, JULY, timedelta(days=7))
    news += copies("gdelt", 100, JULY + timedelta(days=7), timedelta(days=7), first=600)
    news += copies("guardian", 450, JULY, timedelta(days=14))
    running = NewsServer(news, lambda: LATER)
    yield running
    running.close()


def fetch(server: NewsServer, cache: Path, kind: str, slept: list[float]) -> list[str]:
    settings = BacktestSettings(GDELT_URL=server.url, GUARDIAN_URL=server.url,
                                GUARDIAN_API_KEY=API_KEY)  # fmt: skip
    # a pacing clock only the sleeps move: each wait is what the pacer asked, however long the
    # machine takes between requests
    sleep = RecordingSleep()
    history = History(settings, cache, sleep=sleep, now=lambda: LATER, clock=sleep.clock)
    query = HistoryQuery(kind, "Japan", JULY, JULY + timedelta(days=14))  # type: ignore[arg-type]
    urls = [a.url for w in history.windows(query) for a in w.articles]
    slept.extend(sleep.waits)
    return urls


def test_gdelt_windows_split_until_no_answer_is_full_and_requests_are_paced(
    server: NewsServer, tmp_path: Path
) -> None:
    slept: list[float] = []
    urls = fetch(server, tmp_path, "gdelt", slept)
    assert len(urls) == len(set(urls)) == 700  # nothing lost to the 250-record cap
    requests = server.hits[GDELT_PATH]
    assert requests > 3  # the full first week was split
    # One request every 5 s, as GDELT asks: every request after the first waited its turn.
    assert len(slept) == requests - 1 and min(slept) > 4.9


def test_a_second_run_is_offline(server: NewsServer, tmp_path: Path) -> None:
    first = fetch(server, tmp_path, "gdelt", [])
    asked = server.hits[GDELT_PATH]
    slept: list[float] = []
    assert fetch(server, tmp_path, "gdelt", slept) == first
    assert server.hits[GDELT_PATH] == asked and slept == []


def test_guardian_pages_with_its_key_and_is_cached(server: NewsServer, tmp_path: Path) -> None:
    slept: list[float] = []
    urls = fetch(server, tmp_path, "guardian", slept)
    assert len(set(urls)) == 450
    asked = server.hits[GUARDIAN_PATH]
    assert asked >= 3  # 450 results over pages of 200
    assert slept and all(0 < pause <= 0.1 for pause in slept)  # 12 a second allowed; 10 asked
    assert fetch(server, tmp_path, "guardian", []) == urls
    assert server.hits[GUARDIAN_PATH] == asked


def test_a_window_still_full_at_the_smallest_size_is_said_not_guessed(tmp_path: Path) -> None:
    burst = copies("gdelt", GDELT.capacity + 20, JULY, timedelta(minutes=10))
    server = NewsServer(burst, lambda: LATER)
    try:
        settings = BacktestSettings(GDELT_URL=server.url)
        history = History(settings, tmp_path, sleep=lambda _: None, now=lambda: LATER)
        windows = list(history.windows(HistoryQuery("gdelt", "Japan", JULY,
                                                    JULY + timedelta(hours=1))))  # fmt: skip
    finally:
        server.close()
    capped = [w for w in windows if w.capped]
    assert len(capped) == 1 and capped[0].end - capped[0].start == GDELT.smallest
    assert sum(len(w.articles) for w in windows) == GDELT.capacity


def test_a_window_not_yet_settled_is_fetched_but_not_cached(
    server: NewsServer, tmp_path: Path
) -> None:
    settings = BacktestSettings(GDELT_URL=server.url)
    recent = History(settings, tmp_path, sleep=lambda _: None, now=lambda: JULY)
    list(recent.windows(HistoryQuery("gdelt", "Japan", JULY, JULY + timedelta(days=7))))
    assert list(tmp_path.iterdir()) == []
