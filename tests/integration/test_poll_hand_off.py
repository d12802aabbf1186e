"""One hand-off a source's poll: its queries' articles are looked up, sent and recorded together
(one send, one band slot), and each query's cursor moves only once every article it listed is
known queued."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tensionwatch.http import HttpError
from tensionwatch.models import Article
from tensionwatch.pipeline.poll import PollEvent, PollPipeline
from tensionwatch.pipeline.poll_report import PollReport
from tensionwatch.sources.base import Cursor, Fetched
from tensionwatch.sources.pacer import Pacer
from tensionwatch.store.articles import ArticleStore
from tensionwatch.store.queue import ScoreQueue
from tests.integration.sources.aws import PollResources, poll_resources
from tests.integration.sources.fakes import FakeSourceBase, RecordingMetrics
from tests.integration.test_poll_guarantees import FlakySqs, UnrecordedStore, batch

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)
CLOCK = 1_800_000_000.0


class QueriedSource(FakeSourceBase):
    """A source of several queries: each lists its articles, or raises its error."""

    name = "multi"

    def __init__(self, listings: dict[str, list[Article] | Exception]) -> None:
        super().__init__()
        self.listings = listings

    def query_ids(self) -> list[str]:
        return list(self.listings)

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        listing = self.listings[query_id]
        if isinstance(listing, Exception):
            raise listing
        return Fetched(Cursor(self.name, query_id, since=now), list(listing))


class CountingSqs:
    """The real (moto) client, counting its SendMessageBatch calls."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.batches = 0

    def send_message_batch(self, **kwargs: Any) -> Any:
        self.batches += 1
        return self._real.send_message_batch(**kwargs)


@pytest.fixture
def res(aws: None) -> Iterator[PollResources]:
    yield poll_resources()


def poll(
    res: PollResources,
    listings: dict[str, list[Article] | Exception],
    *,
    at: datetime = NOW,
    sqs: Any = None,
    store: ArticleStore | None = None,
    source: QueriedSource | None = None,
) -> PollReport:
    stores = res.stores() | ({"articles": store} if store else {})
    clock = CLOCK + (at - NOW).total_seconds()
    pipeline = PollPipeline(
        {"multi": source or QueriedSource(listings)},
        **stores,
        queue=ScoreQueue(res.queue_url, sqs or res.sqs, sleep=lambda s: None),
        metrics=RecordingMetrics(),
        clock=lambda: clock,
    )
    return pipeline.run(PollEvent(scheduled_time=at))


def since(res: PollResources, query: str) -> datetime | None:
    """Where the stored cursor of `query` stands (None: never moved)."""
    cursor = res.cursor("multi", query)
    return cursor.since if cursor else None


def slots(res: PollResources) -> list[dict[str, Any]]:
    items = res.dynamodb.scan(TableName=res.articles_table)["Items"]
    return [item for item in items if item["pk"]["S"] == "bands"]


def test_a_sources_queries_are_one_send_and_one_slot(res: PollResources) -> None:
    first, second = batch(12, "a"), batch(13, "b")
    counting = CountingSqs(res.sqs)
    report = poll(res, {"a": first, "b": second}, sqs=counting)
    assert (report.queued, report.duplicates) == (25, 0)
    assert counting.batches == 3  # ten a call over both queries: not 2 + 2
    assert len(slots(res)) == 1
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in first + second)
    assert (since(res, "a"), since(res, "b")) == (NOW, NOW)


def test_an_article_two_queries_list_is_queued_once_and_counted_for_both(
    res: PollResources,
) -> None:
    shared, own = batch(1, "shared"), batch(2, "own")
    report = poll(res, {"a": shared + own[:1], "b": shared + own[1:]})
    assert (report.fetched, report.queued, report.duplicates) == (4, 3, 1)
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in shared + own)


def test_an_unsent_article_keeps_the_cursor_of_each_query_that_listed_it(
    res: PollResources,
) -> None:
    refused, a_only, b_only, c_only = (batch(1, p) for p in ("refused", "a", "b", "c"))
    flaky = FlakySqs(res.sqs, {refused[0].id}, times=99)
    listings: dict[str, list[Article] | Exception] = {
        "a": refused + a_only,
        "b": b_only + refused,
        "c": c_only,
    }
    first = poll(res, listings, sqs=flaky)
    assert (first.queued, first.unsent, first.failures) == (3, 1, {})
    assert (since(res, "a"), since(res, "b"), since(res, "c")) == (None, None, NOW)
    again = poll(res, listings, at=LATER)
    assert (again.queued, again.duplicates) == (1, 4)  # the refused one, once; the rest known
    assert (since(res, "a"), since(res, "b"), since(res, "c")) == (LATER, LATER, LATER)
    assert Counter(a.id for a in res.drain()) == Counter(
        a.id for a in refused + a_only + b_only + c_only
    )


def test_a_query_that_fails_to_fetch_keeps_its_cursor_while_the_others_hand_off(
    res: PollResources,
) -> None:
    first, third = batch(2, "a"), batch(3, "c")
    down = HttpError("server_error", "503 from the API", status=503)
    report = poll(res, {"a": first, "b": down, "c": third})
    assert report.failures == {"multi/b": "server_error"}
    assert (report.queued, len(slots(res))) == (5, 1)
    assert (since(res, "a"), since(res, "b"), since(res, "c")) == (NOW, None, NOW)
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in first + third)


def test_a_rate_limited_query_ends_the_fetches_and_the_earlier_ones_are_handed_off(
    res: PollResources,
) -> None:
    first = batch(2, "a")
    limited = HttpError("rate_limited", "429 from the API", status=429)
    report = poll(res, {"a": first, "b": limited, "c": batch(1, "c")})
    assert (report.failures, report.skipped) == (
        {"multi/b": "rate_limited"},
        {"multi/c": "rate_limited earlier in this poll"},
    )
    assert report.queued == 2 and (since(res, "a"), since(res, "b"), since(res, "c")) == (
        NOW, None, None
    )  # fmt: skip


def test_a_failed_hand_off_fails_the_queries_it_held_and_not_one_all_known(
    res: PollResources,
) -> None:
    """A slot put that fails after its send: each query with an article in the hand-off is
    reported and keeps its cursor; one whose articles the last poll listed moves. The next
    poll finds the sent articles in the source's recent ids: nothing queued twice."""
    known, fresh = batch(2, "known"), batch(2, "fresh")
    assert poll(res, {"a": known, "b": [], "c": []}).queued == 2
    listings: dict[str, list[Article] | Exception] = {"a": known, "b": fresh[:1], "c": fresh}
    failed = poll(res, listings, at=LATER,
                  store=UnrecordedStore(res.articles_table, res.dynamodb))  # fmt: skip
    assert failed.failures == {"multi/b": "unexpected", "multi/c": "unexpected"}
    assert (failed.queued, failed.duplicates) == (2, 3)
    assert (since(res, "a"), since(res, "b"), since(res, "c")) == (LATER, NOW, NOW)
    again = poll(res, listings, at=LATER + timedelta(minutes=5))
    assert (again.queued, again.failures) == (0, {})
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in known + fresh)


class PacedSource(QueriedSource):
    """A QueriedSource whose requests pass its pacer, `interval` seconds apart on a fake clock
    its sleeps move."""

    def __init__(self, listings: dict[str, list[Article] | Exception], interval: float) -> None:
        super().__init__(listings)
        self.now = CLOCK
        self.slept: list[float] = []
        self.pacer = Pacer(interval, sleep=self._sleep, clock=lambda: self.now)

    def _sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        self.pacer.before()
        return super().fetch(query_id, cursor, now)


@pytest.mark.parametrize(("interval", "hand_offs"), [(1.0, 1), (5.0, 2)])
def test_a_paced_source_hands_off_before_a_long_wait_and_not_before_a_short_one(
    res: PollResources, interval: float, hand_offs: int
) -> None:
    """A story's slot is what another poll matches its copies against: it is not held back
    through a spacing longer than HAND_OFF_BEFORE_WAIT (GDELT's 5 s), while a short one
    (NewsAPI's 1 s) costs less than a slot put and a send more."""
    first, second = batch(3, "a"), batch(3, "b")
    source = PacedSource({"a": first, "b": second}, interval)
    counting = CountingSqs(res.sqs)
    pipeline = PollPipeline({"multi": source}, **res.stores(),
                            queue=ScoreQueue(res.queue_url, counting, sleep=lambda s: None),
                            metrics=RecordingMetrics(), clock=lambda: CLOCK)  # fmt: skip
    report = pipeline.run(PollEvent(scheduled_time=NOW))
    assert (report.queued, len(slots(res)), counting.batches) == (6, hand_offs, hand_offs)
    assert source.slept == [interval]  # the second request waited the spacing either way
    assert (since(res, "a"), since(res, "b")) == (NOW, NOW)


def test_each_hand_off_of_a_poll_puts_its_own_slot_whatever_the_stores_clock(
    res: PollResources,
) -> None:
    """A slot's name is `<written at>#<run>#<n>` and a poll's hand-offs share its run: two in
    one clock tick (a store clock that does not move, or one hand-off a size limit splits in
    future) must not put the second over the first, or the first's articles are known to no
    other worker (review8: fails on 5f54776, one slot, 0 of the first 3 known)."""
    first, second = batch(3, "a"), batch(3, "b")
    frozen = ArticleStore(res.articles_table, res.dynamodb, clock=lambda: CLOCK)
    pipeline = PollPipeline({"multi": PacedSource({"a": first, "b": second}, 5.0)},
                            **(res.stores() | {"articles": frozen}),
                            queue=ScoreQueue(res.queue_url, res.sqs, sleep=lambda s: None),
                            metrics=RecordingMetrics(), clock=lambda: CLOCK)  # fmt: skip
    assert pipeline.run(PollEvent(scheduled_time=NOW)).queued == 6
    another_worker = ArticleStore(res.articles_table, res.dynamodb)
    assert len(slots(res)) == 2
    assert another_worker.queued(a.id for a in first + second) == {a.id for a in first + second}


def paced_poll(
    res: PollResources,
    listings: dict[str, list[Article] | Exception],
    *,
    at: datetime = NOW,
    sqs: Any = None,
    store: ArticleStore | None = None,
) -> PollReport:
    """One poll of a source paced 5 s apart (past HAND_OFF_BEFORE_WAIT): a hand-off a query."""
    source = PacedSource(listings, 5.0)
    return poll(res, listings, at=at, sqs=sqs, store=store, source=source)


def balanced(report: PollReport) -> bool:
    """Every fetched article counted once: queued, a duplicate or unsent."""
    return report.fetched == report.queued + report.duplicates + report.unsent


def test_an_article_two_paced_hand_offs_list_is_queued_by_the_first_only(
    res: PollResources,
) -> None:
    shared, a_only, b_only = batch(1, "shared"), batch(2, "a"), batch(2, "b")
    report = paced_poll(res, {"a": shared + a_only, "b": b_only + shared})
    assert (report.fetched, report.queued, report.duplicates) == (6, 5, 1) and balanced(report)
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in shared + a_only + b_only)


def test_an_article_the_first_paced_hand_off_left_unsent_the_second_sends(
    res: PollResources,
) -> None:
    """The first query's cursor stays (its article was unsent there), the second's moves; the
    next poll drops the re-read by the source's recent ids: nothing lost, nothing twice."""
    shared, a_only, b_only = batch(1, "shared"), batch(2, "a"), batch(2, "b")
    listings: dict[str, list[Article] | Exception] = {"a": shared + a_only, "b": shared + b_only}
    first = paced_poll(res, listings, sqs=FlakySqs(res.sqs, {shared[0].id}, times=3))
    assert (first.queued, first.unsent, first.failures) == (5, 1, {}) and balanced(first)
    assert (since(res, "a"), since(res, "b")) == (None, NOW)
    again = paced_poll(res, listings, at=LATER)
    assert (again.queued, again.duplicates) == (0, 6)
    assert (since(res, "a"), since(res, "b")) == (LATER, LATER)
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in shared + a_only + b_only)


class SlotReadFailsOnce:
    """The real (moto) DynamoDB client, its first Query throttled past the SDK's retries."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.failed = False

    def query(self, **kwargs: Any) -> Any:
        if not self.failed:
            self.failed = True
            raise RuntimeError("ThrottlingException")
        return self._real.query(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def test_a_failed_first_paced_hand_off_fails_its_query_and_the_second_hands_off(
    res: PollResources,
) -> None:
    shared, a_only, b_only = batch(1, "shared"), batch(2, "a"), batch(2, "b")
    listings: dict[str, list[Article] | Exception] = {"a": shared + a_only, "b": b_only + shared}
    store = ArticleStore(res.articles_table, SlotReadFailsOnce(res.dynamodb))
    first = paced_poll(res, listings, store=store)
    assert (first.failures, first.queued) == ({"multi/a": "unexpected"}, 3)
    assert (since(res, "a"), since(res, "b")) == (None, NOW)
    again = paced_poll(res, listings, at=LATER)
    assert (again.queued, again.duplicates, again.failures) == (2, 4, {})
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in shared + a_only + b_only)
