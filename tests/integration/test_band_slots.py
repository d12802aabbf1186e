"""The band slots on DynamoDB (moto): a hand-off's new stories in one put, a cold worker
reading every slot of the TTL's window, a warm one only those written since its last read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tensionwatch.sources.syndication import signature
from tensionwatch.store import story_bands
from tensionwatch.store.articles import READ_OVERLAP, ArticleStore, Claim
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


def story(n: int) -> Claim:
    lead = " ".join(f"word{n}x{k}" for k in range(30))
    sig = signature(f"Envoys of land {n} and land {n + 1} meet in city {n}", lead,
                    f"https://e.example/a-{n}")  # fmt: skip
    return Claim(f"s{n}", f"s{n}", f"https://e.example/a-{n}", "wire", sig.to_bytes(),
                 tuple(sig.band_keys()))  # fmt: skip


def claim_and_index(store: ArticleStore, stories: list[Claim], run: str, now: float) -> None:
    """What a hand-off does: claim, then (once sent) index the stories."""
    store.index(store.claim(stories, run, now).claimed, run, now)


def store(
    res: PollResources, clock: Clock, client: Any = None, remembered: int = 60_000
) -> ArticleStore:
    return ArticleStore(
        res.articles_table, client or res.dynamodb, ttl_days=1, clock=clock, remembered=remembered
    )


def test_a_hand_offs_new_stories_are_one_put_and_a_cold_worker_finds_them(
    res: PollResources,
) -> None:
    clock = Clock(1_800_000_000.0)
    writer = store(res, clock)
    stories = [story(n) for n in range(5)]
    claim_and_index(writer, stories, "run-1", clock.now)
    slots = res.dynamodb.query(
        TableName=res.articles_table, KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "bands"}})["Items"]  # fmt: skip
    assert len(slots) == 1 and item_size(slots[0]) < 4 * 1024  # five stories, a few units
    keys = [key for s in stories for key in s.band_keys]
    cold = store(res, clock)
    assert cold.story_candidates(keys) == {key: s.id for s in stories for key in s.band_keys}
    assert cold.story_shingles(["s1", "s9"]) == {"s1": stories[1].shingles}


def test_a_warm_worker_reads_only_the_slots_written_since_its_last_read(
    res: PollResources,
) -> None:
    clock = Clock(1_800_000_000.0)
    writer, client = store(res, clock), Recording(res.dynamodb)
    reader = store(res, clock, client)
    claim_and_index(writer, [story(1)], "run-1", clock.now)
    assert reader.story_candidates(story(1).band_keys)  # the cold read
    clock.now += 60
    claim_and_index(writer, [story(2)], "run-2", clock.now)
    clock.now += 60
    claim_and_index(writer, [story(3)], "run-3", clock.now)
    found = reader.story_candidates(story(2).band_keys + story(3).band_keys)
    assert set(found.values()) == {"s2", "s3"}
    (cold, _), (warm, answer) = client.queries
    assert cold["ScanIndexForward"] is False  # a cold read: the newest slots first
    assert float(warm["ExpressionAttributeValues"][":start"]["S"]) == clock.now - 120 - READ_OVERLAP
    assert [item["ids"]["S"] for item in answer["Items"]] == ["s1", "s2", "s3"]
    clock.now += 60
    reader.story_candidates([])  # nothing new: only the overlap before the newest is read again
    assert [item["ids"]["S"] for item in client.queries[-1][1]["Items"]] == ["s3"]


def test_a_hand_off_of_many_stories_splits_into_slots_all_read_back(
    res: PollResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = story(0)
    size = len(one.id) + 2 + 9 * len(one.band_keys) + 2 + len(one.shingles)
    monkeypatch.setattr(story_bands, "SLOT_BYTES", 4 * size)  # the real one: tests/unit/store
    clock = Clock(1_800_000_000.0)
    stories = [story(n) for n in range(9)]
    claim_and_index(store(res, clock), stories, "run-1", clock.now)
    slots = res.dynamodb.query(
        TableName=res.articles_table, KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "bands"}})["Items"]  # fmt: skip
    assert [len(s["ids"]["S"].split()) for s in slots] == [4, 4, 1]
    found = store(res, clock).story_candidates(k for s in stories for k in s.band_keys)
    assert set(found.values()) == {s.id for s in stories}


def test_a_story_is_forgotten_by_a_warm_worker_when_its_slots_ttl_ends(
    res: PollResources,
) -> None:
    clock = Clock(1_800_000_000.0)
    writer, reader = store(res, clock), store(res, clock)
    claim_and_index(writer, [story(1)], "run-1", clock.now)
    assert reader.story_candidates(story(1).band_keys)
    clock.now += 86_400 + 1  # one day: the TTL of these stores
    claim_and_index(writer, [story(2)], "run-2", clock.now)
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
        claim_and_index(writer, stories[n : n + 2], f"run-{n}", clock.now)
    recording = Recording(res.dynamodb)
    cold = store(res, clock, recording, remembered=4)
    found = cold.story_candidates([key for s in stories for key in s.band_keys])
    assert set(found.values()) == {"s6", "s7", "s8", "s9"}
    assert all(request.get("ScanIndexForward") is False for request, _ in recording.queries)
