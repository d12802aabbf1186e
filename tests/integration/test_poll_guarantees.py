"""Nothing lost, nothing queued twice but in the races named: SQS failures, concurrent polls,
crashed runs, failed slot writes, copies, and no item an article."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter

from tensionwatch.models import Article
from tensionwatch.pipeline.poll import LEASE_SECONDS, PollEvent, PollPipeline
from tensionwatch.pipeline.poll_report import PollReport
from tensionwatch.sources.base import Cursor, Fetched
from tensionwatch.store.articles import ArticleStore, Assignment
from tensionwatch.store.queue import ScoreQueue
from tensionwatch.store.source_states import RECENT_MAX, Held, SourceState, SourceStateStore
from tensionwatch.store.story_bands import id_digest
from tests.factories import make_article
from tests.integration.sources.aws import PollResources, poll_resources
from tests.integration.sources.fakes import FakeSourceBase, RecordingMetrics

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
WIRE = "Japan and South Korea agree to resume security talks suspended since 2019"
LEAD = (
    "Japan and South Korea agreed on Tuesday to resume security talks, foreign minister "
    "Park Jin said after meeting his counterpart Yoko Kamikawa in Seoul on the islets dispute."
)


def batch(n: int, prefix: str = "story") -> list[Article]:
    return [
        make_article(" ".join(f"{prefix}{i}w{k}" for k in range(8)),
                     summary=" ".join(f"{prefix}{i}s{k}" for k in range(20)),
                     url=f"https://www.news{i % 3}.example/{prefix}/{i}?utm_source=x")
        for i in range(n)
    ]  # fmt: skip


class FakeSource(FakeSourceBase):
    name = "wire"

    def __init__(self, articles: list[Article], name: str = "wire") -> None:
        super().__init__()
        self.articles = articles
        self.name = name

    def query_ids(self) -> list[str]:
        return ["all"]

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        return Fetched(Cursor(self.name, query_id, since=now), list(self.articles))


class FlakySqs:
    """The real (moto) client, refusing the entries of `refuse` (article ids) `times` times."""

    def __init__(self, real: Any, refuse: set[str], times: int) -> None:
        self._real = real
        self._refuse = refuse
        self._left = dict.fromkeys(refuse, times)

    def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, Any]]) -> Any:
        refused, kept = [], []
        for entry in Entries:
            ident = json.loads(entry["MessageBody"])["id"]
            if self._left.get(ident, 0) > 0:
                self._left[ident] -= 1
                refused.append(entry)
            else:
                kept.append(entry)
        answer = self._real.send_message_batch(QueueUrl=QueueUrl, Entries=kept) if kept else {}
        failed = [{"Id": e["Id"], "SenderFault": False, "Code": "InternalError"} for e in refused]
        return {"Successful": answer.get("Successful", []), "Failed": failed}


@pytest.fixture
def res(aws: None) -> Iterator[PollResources]:
    yield poll_resources()


def pipeline(
    res: PollResources,
    articles: list[Article],
    *,
    sqs: Any = None,
    store: ArticleStore | None = None,
    states: SourceStateStore | None = None,
    clock: float = 1_800_000_000.0,
    source: str = "wire",
) -> PollPipeline:
    overrides = {"articles": store, "states": states}
    return PollPipeline(
        {source: FakeSource(articles, source)},
        **{**res.stores(), **{key: value for key, value in overrides.items() if value}},
        queue=ScoreQueue(res.queue_url, sqs or res.sqs, sleep=lambda s: None),
        metrics=RecordingMetrics(),
        clock=lambda: clock,
    )


def cursor(res: PollResources) -> Cursor | None:
    return res.cursor("wire", "all")


def test_entries_sqs_refuses_once_are_retried_and_queued_once(res: PollResources) -> None:
    articles = batch(25)
    flaky = FlakySqs(res.sqs, {a.id for a in articles[3:7]}, times=1)
    report = pipeline(res, articles, sqs=flaky).run(PollEvent(scheduled_time=NOW))
    assert report.queued == 25 and report.unsent == 0
    assert sorted(a.id for a in res.drain()) == sorted(a.id for a in articles)
    assert cursor(res) is not None


def test_entries_sqs_keeps_refusing_are_released_and_the_next_poll_queues_them(
    res: PollResources,
) -> None:
    articles = batch(12)
    flaky = FlakySqs(res.sqs, {a.id for a in articles[:3]}, times=99)
    first = pipeline(res, articles, sqs=flaky).run(PollEvent(scheduled_time=NOW))
    assert first.unsent == 3
    assert cursor(res) is None  # the cursor stays until every article is queued
    second = pipeline(res, articles).run(PollEvent(scheduled_time=NOW + timedelta(minutes=5)))
    assert second.queued == 3
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in articles)
    assert cursor(res) is not None


def test_a_story_sqs_refused_is_not_indexed_so_no_copy_names_it(res: PollResources) -> None:
    original = make_article(WIRE, summary=LEAD, url="https://wire.example/jp-kr-talks")
    refused = FlakySqs(res.sqs, {original.id}, times=99)
    assert pipeline(res, [original], sqs=refused).run(PollEvent(scheduled_time=NOW)).unsent == 1
    copy = make_article(WIRE + " - Reuters", summary="SEOUL (Reuters) - " + LEAD,
                        url="https://reuters.example/world/asia/japan-korea-idUS123")  # fmt: skip
    later = pipeline(res, [copy]).run(PollEvent(scheduled_time=NOW + timedelta(minutes=5)))
    assert (later.queued, later.syndicated) == (1, 0)  # its own story, not a story never queued
    assert [(a.id, a.story_id) for a in res.drain()] == [(copy.id, copy.id)]


class BarrierStore(ArticleStore):
    """Both workers look their articles up before either records them: the race two Lambdas
    listing one URL at the same moment can run."""

    barrier = threading.Barrier(2)

    def queued(self, ids: Iterable[str]) -> set[str]:
        found = super().queued(ids)
        self.barrier.wait(timeout=10)
        return found


class NoLease(SourceStateStore):
    """Grants every poll the source, as if two leases overlapped (or two sources listed the
    same URLs): the band slots are the line of defence behind the lease."""

    def acquire(self, source: str, holder: str, now: float, seconds: float) -> SourceState | Held:
        return super().acquire(source, "anyone", now, seconds)

    def release(self, source: str, holder: str, state: SourceState) -> bool:
        return super().release(source, "anyone", state)


class SlowSource(FakeSource):
    """Fetches only once the test lets it: a poll still running when the next starts."""

    def __init__(self, articles: list[Article]) -> None:
        super().__init__(articles)
        self.go = threading.Event()

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        self.go.wait(timeout=10)
        return super().fetch(query_id, cursor, now)


def test_a_second_poll_of_a_source_in_flight_is_skipped_as_busy(res: PollResources) -> None:
    articles = batch(4)
    slow, metrics = SlowSource(articles), RecordingMetrics()
    first = PollPipeline({"wire": slow}, **res.stores(), queue=ScoreQueue(res.queue_url, res.sqs),
                         metrics=RecordingMetrics())  # fmt: skip
    reports: list[PollReport] = []
    thread = threading.Thread(target=lambda: reports.append(first.run(PollEvent(), "one")))
    thread.start()
    second = PollPipeline({"wire": FakeSource(articles)}, **res.stores(),
                          queue=ScoreQueue(res.queue_url, res.sqs), metrics=metrics)  # fmt: skip
    # until the first poll holds the lease: moto puts a new item by its key alone before it
    # applies the update's SETs, and an item without its lease_until is one anyone may take
    while "lease_until" not in res.dynamodb.get_item(TableName=res.cursors_table, Key={
            "pk": {"S": "source#wire"}, "sk": {"S": "state"}}).get("Item", {}):  # fmt: skip
        threading.Event().wait(0.01)
    busy = second.run(PollEvent(), "two")
    slow.go.set()
    thread.join(timeout=10)
    assert busy.skipped["wire"].startswith("busy: polled by one/wire until ")
    assert metrics.busy == ["wire"] and busy.queued == 0 and busy.failures == {}
    assert reports[0].queued == 4
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in articles)
    third = second.run(PollEvent(), "three")  # the lease was released: polled again
    assert "wire" not in third.skipped and third.duplicates == 4
    assert {item["pk"]["S"] for item in res.dynamodb.scan(TableName=res.articles_table)["Items"]
            } == {"bands"}  # no item an article: the band slots are the record  # fmt: skip


def test_a_crashed_polls_lease_lapses_and_the_source_is_polled_again(res: PollResources) -> None:
    states = SourceStateStore(res.cursors_table, res.dynamodb)
    assert isinstance(states.acquire("wire", "crashed/wire", 1_800_000_000.0, 240), SourceState)
    during = pipeline(res, batch(2), clock=1_800_000_000.0 + 239).run(PollEvent())
    assert during.skipped["wire"].startswith("busy: polled by crashed/wire")
    after = pipeline(res, batch(2), clock=1_800_000_000.0 + 241).run(PollEvent())
    assert "wire" not in after.skipped and after.queued == 2


def racing_polls(res: PollResources, articles: list[Article]) -> list[PollReport]:
    """Two workers' polls of one source, both past their lookup before either records."""
    reports: list[PollReport] = []
    runs = [
        pipeline(res, articles, store=BarrierStore(res.articles_table, res.dynamodb),
                 states=NoLease(res.cursors_table, res.dynamodb))
        for _ in range(2)
    ]  # fmt: skip
    threads = [
        threading.Thread(target=lambda p=p: reports.append(p.run(PollEvent(scheduled_time=NOW))))
        for p in runs
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return reports


def test_two_polls_racing_past_their_lookups_both_queue_then_nothing_more(
    res: PollResources,
) -> None:
    """Both polls queue every article (the score stage folds each once:
    tests/integration/score/test_racing_polls.py), and every later poll finds them queued."""
    articles = batch(30)
    reports = racing_polls(res, articles)
    assert sorted(r.queued for r in reports) == [30, 30]
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in articles * 2)
    third = pipeline(res, articles).run(PollEvent(scheduled_time=NOW + timedelta(minutes=5)))
    assert third.queued == 0 and third.duplicates == 30
    assert cursor(res) is not None


class CrashingSqs:
    def send_message_batch(self, **kwargs: Any) -> Any:
        raise RuntimeError("Lambda killed mid-send")


def test_a_send_that_fails_records_nothing_and_the_next_poll_queues_it_all(
    res: PollResources,
) -> None:
    articles = batch(5)
    crashed = pipeline(res, articles, sqs=CrashingSqs()).run(PollEvent(scheduled_time=NOW))
    assert crashed.failures == {"wire/all": "unexpected"}
    assert cursor(res) is None
    assert res.dynamodb.scan(TableName=res.articles_table)["Items"] == []  # nothing recorded
    soon = pipeline(res, articles, clock=1_800_000_060.0).run(PollEvent(scheduled_time=NOW))
    assert (soon.queued, soon.failures) == (5, {})
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in articles)
    assert cursor(res) is not None


class UnrecordedStore(ArticleStore):
    """Every slot put fails after its send (throttled past the SDK's retries)."""

    def record(self, sent: Sequence[Assignment], run: str, now: float) -> None:
        raise RuntimeError("ProvisionedThroughputExceededException")


def test_a_slot_put_that_fails_after_the_send_keeps_the_cursor_and_doubles_nothing(
    res: PollResources,
) -> None:
    """The sent articles are in the source's recent ids (stored as its lease is released), so
    the re-read from the cursor that stayed drops them: no slot, no double."""
    articles = batch(5)
    store = UnrecordedStore(res.articles_table, res.dynamodb)
    first = pipeline(res, articles, store=store).run(PollEvent(scheduled_time=NOW))
    assert (first.queued, first.failures) == (5, {"wire/all": "unexpected"})
    assert cursor(res) is None
    again = pipeline(res, articles, clock=1_800_000_060.0).run(PollEvent(scheduled_time=NOW))
    assert (again.queued, again.duplicates, again.failures) == (0, 5, {})
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in articles)
    assert cursor(res) is not None


def test_an_article_another_source_queued_is_dropped_by_any_worker(res: PollResources) -> None:
    """Dedup across sources comes from the band slots: the worker that wrote them knows at
    once, a cold one once it reads them."""
    shared, own = batch(4), batch(2, "own")
    store = ArticleStore(res.articles_table, res.dynamodb)
    assert pipeline(res, shared, store=store).run(PollEvent(scheduled_time=NOW)).queued == 4
    same = pipeline(res, shared + own, store=store, source="other").run(
        PollEvent(scheduled_time=NOW))  # fmt: skip
    cold = pipeline(res, [*shared, *own], source="third").run(PollEvent(scheduled_time=NOW))
    assert [(r.queued, r.duplicates) for r in (same, cold)] == [(2, 4), (0, 6)]
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in shared + own)


class AskedStore(ArticleStore):
    """Records which article ids each poll looks up in the worker's memory of the slots."""

    asked: list[str]

    def queued(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        self.asked.extend(ids)
        return super().queued(ids)


class LapsingLease(SourceStateStore):
    """Every lease lapses before its poll ends: the poll's state (its recent ids) is lost."""

    def release(self, source: str, holder: str, state: SourceState) -> bool:
        return False


def test_a_relisted_article_is_dropped_by_the_sources_recent_ids_without_a_lookup(
    res: PollResources,
) -> None:
    listed, store = batch(6), AskedStore(res.articles_table, res.dynamodb)
    store.asked = []
    assert pipeline(res, listed, store=store).run(PollEvent(scheduled_time=NOW)).queued == 6
    store.asked = []
    later = NOW + timedelta(minutes=5)
    relisted = pipeline(res, listed[2:] + batch(2, "new"), store=store,
                        clock=1_800_000_300.0).run(PollEvent(scheduled_time=later))  # fmt: skip
    assert (relisted.queued, relisted.duplicates) == (2, 4)
    assert sorted(store.asked) == sorted(a.id for a in batch(2, "new"))  # no lookup for the 4
    store.asked = []
    again = pipeline(res, listed[2:], store=store, clock=1_800_000_600.0).run(
        PollEvent(scheduled_time=later + timedelta(minutes=5))
    )
    assert (again.queued, again.duplicates, store.asked) == (0, 4, [])  # still remembered
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in listed + batch(2, "new"))


def test_recent_ids_lost_with_a_lapsed_lease_cost_lookups_never_an_article(
    res: PollResources,
) -> None:
    listed, store = batch(5), AskedStore(res.articles_table, res.dynamodb)
    store.asked = []
    lapsing = LapsingLease(res.cursors_table, res.dynamodb)
    first = pipeline(res, listed, store=store, states=lapsing).run(PollEvent(scheduled_time=NOW))
    assert first.queued == 5 and first.failures == {"wire/lease": "lease_lost"}
    store.asked = []
    after_lease = 1_800_000_000.0 + LEASE_SECONDS + 1
    second = pipeline(res, listed + batch(1, "new"), store=store, clock=after_lease).run(
        PollEvent(scheduled_time=NOW)
    )
    assert (second.queued, second.duplicates) == (1, 5)
    assert len(store.asked) == 6  # nothing remembered: every id looked up in the slots
    assert Counter(a.id for a in res.drain()) == Counter(a.id for a in listed + batch(1, "new"))


def test_a_sources_recent_ids_are_stored_with_its_state_newest_kept(res: PollResources) -> None:
    states = SourceStateStore(res.cursors_table, res.dynamodb)
    state = states.acquire("wire", "one", 1_800_000_000.0, 60)
    assert isinstance(state, SourceState) and state.recent == frozenset()
    ids = [f"id-{n}" for n in range(RECENT_MAX + 5)]
    assert states.release("wire", "one", state.with_recent(id_digest(i) for i in ids))
    stored = states.acquire("wire", "two", 1_800_000_000.0, 60)
    assert isinstance(stored, SourceState)
    assert stored.recent == {id_digest(i) for i in ids[5:]}  # the oldest five dropped


def test_a_state_stored_plain_before_compression_is_read_and_then_stored_compressed(
    res: PollResources,
) -> None:
    states = SourceStateStore(res.cursors_table, res.dynamodb)
    plain = SourceState(next_request_at=1_800_000_123.5)
    key = {"pk": {"S": "source#wire"}, "sk": {"S": "state"}}
    text = TypeAdapter(SourceState).dump_json(plain, exclude={"recent"}).decode()
    res.dynamodb.put_item(TableName=res.cursors_table, Item=key | {"state": {"S": text}})
    state = states.acquire("wire", "one", 1_800_000_000.0, 60)
    assert state == plain
    assert states.release("wire", "one", replace(plain, next_request_at=1_800_000_200.0))
    item = res.dynamodb.get_item(TableName=res.cursors_table, Key=key)["Item"]
    assert "B" in item["state"]  # compressed JSON now
    assert states.read("wire").next_request_at == 1_800_000_200.0


def test_syndicated_copy_in_a_later_poll_joins_the_first_story(res: PollResources) -> None:
    original = make_article(WIRE, summary=LEAD, url="https://wire.example/jp-kr-talks")
    pipeline(res, [original, *batch(3)]).run(PollEvent(scheduled_time=NOW))
    copy = make_article(
        "UPDATE 1-Japan, South Korea agree to resume security talks - Reuters",
        summary="SEOUL (Reuters) - " + LEAD[:120],
        url="https://reuters.example/world/asia/japan-korea-idUS123",
    )
    report = pipeline(res, [copy, *batch(2, "other")]).run(
        PollEvent(scheduled_time=NOW + timedelta(minutes=5))
    )
    assert report.syndicated == 1
    story_ids = {a.id: a.story_id for a in res.drain()}
    assert story_ids[copy.id] == original.id
    assert story_ids[original.id] == original.id
    later = res.dynamodb.query(
        TableName=res.articles_table, KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "bands"}})["Items"][-1]  # fmt: skip
    assert id_digest(copy.id) in later["sent"]["B"] and copy.id not in later["ids"]["S"]


def test_copies_within_one_poll_share_the_earliest_copy_story(res: PollResources) -> None:
    copies = [
        make_article(WIRE + suffix, summary=LEAD, url=f"https://o{i}.example/a",
                     published_at=NOW - timedelta(minutes=i))
        for i, suffix in enumerate(["", " | DW", " - AP"])
    ]  # fmt: skip
    report = pipeline(res, copies).run(PollEvent(scheduled_time=NOW))
    assert report.syndicated == 2
    queued = res.drain()
    assert {a.story_id for a in queued} == {copies[2].id}


def test_an_unknown_source_in_the_event_fails_loudly_before_any_fetch(
    res: PollResources,
) -> None:
    with pytest.raises(ValueError, match="nosuch"):
        pipeline(res, batch(2)).run(PollEvent(sources=["wire", "nosuch"], scheduled_time=NOW))
    assert res.drain() == []
    assert cursor(res) is None
