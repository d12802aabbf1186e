"""The band slots on DynamoDB (moto): what a hand-off sent (its stories, every article's digest)
in one put, a cold worker reading every slot of the TTL's window, a warm one only those written
since its last read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tensionwatch.sources.syndication import signature
from tensionwatch.store import story_bands
from tensionwatch.store.articles import READ_OVERLAP, ArticleStore, Assignment
from tests.integration.sources.aws import PollResources, poll_resources
from tests.reliability.capacity import item_size


class Recording:
    """The moto client, keeping each Query's request and answer."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.queries: list[tuple[dict[str, Any], dict[str, Any]]] = []

    def query(self, **request: Any) -> Any:
        answer = self._real.query(**request)
        self.queries.append((request, answer))
        return answer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def res(aws: None) -> Iterator[PollResources]:
    yield poll_resources()


def story(n: int) -> Assignment:
    lead = " ".join(f"word{n}x{k}" for k in range(30))
    sig = signature(f"Envoys of land {n} and land {n + 1} meet in city {n}", lead,
                    f"https://e.example/a-{n}")  # fmt: skip
    return Assignment(f"s{n}", f"s{n}", sig.to_bytes(), tuple(sig.band_keys()))


def store(res: PollResources, clock: Clock, client: Any = None, **limits: int) -> ArticleStore:
    return ArticleStore(res.articles_table, client or res.dynamodb, ttl_days=1, clock=clock,
                        **limits)  # fmt: skip


def slots(res: PollResources) -> list[dict[str, Any]]:
    return res.dynamodb.query(
        TableName=res.articles_table, KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "bands"}})["Items"]  # fmt: skip


def test_a_hand_offs_new_stories_are_one_put_and_a_cold_worker_finds_them(
    res: PollResources,
) -> None:
    clock = Clock(1_800_000_000.0)
    writer = store(res, clock)
    stories = [story(n) for n in range(5)]
    copies = [Assignment(f"c{n}", "s0") for n in range(20)]
    writer.record(stories + copies, "run-1", clock.now)
    written = slots(res)
    assert len(written) == 1 and item_size(written[0]) < 4 * 1024  # five stories, a few units
    keys = [key for s in stories for key in s.band_keys]
    cold = store(res, clock)
    assert cold.queued(["s1", "c7", "c20", "other"]) == {"s1", "c7"}  # copies' ids too
    assert cold.story_candidates(keys) == {key: s.id for s in stories for key in s.band_keys}
    assert cold.story_shingles(["s1", "s9"]) == {"s1": stories[1].shingles}
    assert writer.queued(["c19"]) == {"c19"}  # the writer's own slot, known at once


def test_a_slot_written_before_slots_named_their_articles_is_read_for_its_stories(
    res: PollResources,
) -> None:
    """On deploy: the slots already in the table carry stories but no `sent` set."""
    clock = Clock(1_800_000_000.0)
    store(res, clock).record([story(1)], "run-1", clock.now)
    (item,) = slots(res)
    del item["sent"]
    res.dynamodb.put_item(TableName=res.articles_table, Item=item)
    cold = store(res, clock)
    assert cold.queued(["s1"]) == set()
    assert set(cold.story_candidates(story(1).band_keys).values()) == {"s1"}


def test_a_warm_worker_reads_only_the_slots_written_since_its_last_read(
    res: PollResources,
) -> None:
    clock = Clock(1_800_000_000.0)
    writer, client = store(res, clock), Recording(res.dynamodb)
    reader = store(res, clock, client)
    writer.record([story(1)], "run-1", clock.now)
    assert reader.queued(["s1"]) == {"s1"}  # the cold read
    clock.now += 60
    writer.record([story(2)], "run-2", clock.now)
    clock.now += 60
    writer.record([story(3), Assignment("c3", "s3")], "run-3", clock.now)
    assert reader.queued(["s2", "c3", "c4"]) == {"s2", "c3"}
    found = reader.story_candidates(story(2).band_keys + story(3).band_keys)
    assert set(found.values()) == {"s2", "s3"}
    (cold, _), (warm, answer) = client.queries
    assert cold["ScanIndexForward"] is False  # a cold read: the newest slots first
    assert float(warm["ExpressionAttributeValues"][":start"]["S"]) == clock.now - 120 - READ_OVERLAP
    assert [item["ids"]["S"] for item in answer["Items"]] == ["s1", "s2", "s3"]
    clock.now += 60
    reader.queued([])  # nothing new: only the overlap before the newest is read again
    assert [item["ids"]["S"] for item in client.queries[-1][1]["Items"]] == ["s3"]


def test_a_hand_off_of_many_stories_splits_into_slots_all_read_back(
    res: PollResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = story(0)
    size = len(one.id) + 2 + 9 * len(one.band_keys) + 2 + len(one.shingles)
    monkeypatch.setattr(story_bands, "SLOT_BYTES", 4 * size)  # the real one: tests/unit/store
    clock = Clock(1_800_000_000.0)
    stories = [story(n) for n in range(9)]
    copies = [Assignment(f"c{n}", "s0") for n in range(size // 8 * 3)]  # three stories' room
    store(res, clock).record(stories + copies, "run-1", clock.now)
    written = slots(res)
    assert [len(s["ids"]["S"].split()) for s in written] == [4, 4, 1, 0]
    assert sum(len(s["sent"]["B"]) for s in written) == 8 * (9 + len(copies))
    reader = store(res, clock)
    assert reader.queued(a.id for a in stories + copies) == {a.id for a in stories + copies}
    found = reader.story_candidates(k for s in stories for k in s.band_keys)
    assert set(found.values()) == {s.id for s in stories}


def test_a_story_is_forgotten_by_a_warm_worker_when_its_slots_ttl_ends(
    res: PollResources,
) -> None:
    clock = Clock(1_800_000_000.0)
    writer, reader = store(res, clock), store(res, clock)
    writer.record([story(1)], "run-1", clock.now)
    assert reader.queued(["s1"]) == {"s1"}
    clock.now += 86_400 + 1  # one day: the TTL of these stores
    assert reader.queued(["s1"]) == set()  # nothing new read: the worker's clock forgets it
    writer.record([story(2)], "run-2", clock.now)
    assert reader.queued(["s1", "s2"]) == {"s2"}
    found = reader.story_candidates(story(1).band_keys + story(2).band_keys)
    assert set(found.values()) == {"s2"}


def test_a_cold_worker_reads_only_the_newest_slots_it_can_remember(res: PollResources) -> None:
    """A cold start's read is bounded by the worker's memory, not by the day's volume: newest
    slots first, until they hold as many stories as it remembers."""
    clock = Clock(1_800_000_000.0)
    writer = store(res, clock)
    stories = [story(n) for n in range(10)]
    for n in range(0, 10, 2):  # five hand-offs of two stories, a minute apart
        clock.now += 60
        writer.record(stories[n : n + 2], f"run-{n}", clock.now)
    recording = Recording(res.dynamodb)
    cold = store(res, clock, recording, remembered=4)
    assert cold.queued(s.id for s in stories) == {"s6", "s7", "s8", "s9"}
    found = cold.story_candidates([key for s in stories for key in s.band_keys])
    assert set(found.values()) == {"s6", "s7", "s8", "s9"}
    assert all(request.get("ScanIndexForward") is False for request, _ in recording.queries)
    by_ids = store(res, clock, remembered_ids=6)  # or as many article ids
    assert by_ids.queued(s.id for s in stories) == {"s4", "s5", "s6", "s7", "s8", "s9"}
