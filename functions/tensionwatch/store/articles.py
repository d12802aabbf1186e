"""ArticlesTable: seen-records (exact dedup), stories and the LSH band index.

Items (pk, sk):
- `article#<id>`, `seen`: a claim on an article id by one poll run (`run`, `claimed_at`,
  `story_id`). The first copy of a story also holds the story: its shingle hashes (`shingles`).
  Claims are plain puts, 25 a call, after the seen-check found none of them claimed (or
  found an orphaned claim to retake): two polls listing one URL at the same moment can both
  claim and queue it, and the score stage folds it once (its buckets guard their folds).
- `bands`, `<written at>#<run>#<n>`: the stories one hand-off queued, their LSH band keys and
  signatures (`ids`, `packed`: tensionwatch.store.story_bands), one plain put a hand-off,
  after the send (a story whose send failed is released, never indexed). Each worker
  keeps what it read in memory and queries only the slots written since (eventually
  consistent, with READ_OVERLAP seconds read again for slots that became visible late);
  when two stories share a band the later one wins, and the earlier keeps its other keys.
- `run#<run id>`, `run`: written once a run's articles are safely queued; a claim whose run has
  no such item is not (yet) queued.
All carry `expires_at` (TTL).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from tensionwatch.store.batches import PutResult, batch_get, batch_write, put_items
from tensionwatch.store.ddb import query_all, query_pages
from tensionwatch.store.story_bands import (
    REMEMBERED_STORIES,
    RecentBands,
    SlotItem,
    SlotStory,
    slot_items,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

SEEN_SK, RUN_SK, BANDS_PK = "seen", "run", "bands"
# Seconds before the newest slot read that the next read starts again: a slot put a moment
# before it by another worker can become visible after it (eventually consistent reads).
READ_OVERLAP = 5.0


@dataclass(frozen=True)
class SeenRecord:
    id: str
    story_id: str
    run: str
    claimed_at: float


@dataclass(frozen=True)
class Claim:
    """One article to claim: first copies carry their story's shingles and band keys."""

    id: str
    story_id: str
    url: str
    source: str
    shingles: bytes = b""
    band_keys: tuple[str, ...] = ()
    retake_run: str | None = None  # the run of an orphaned record this claim overwrites

    @property
    def is_story(self) -> bool:
        return self.id == self.story_id


@dataclass
class ClaimResult:
    claimed: list[Claim]
    failed: list[Claim]  # could not be written (throttling): retry next poll


def _slot_time(seconds: float) -> str:
    """A slot's time as its sort key starts: fixed width, so text order is time order."""
    return f"{max(0.0, seconds):014.3f}"


def _slot_of(item: dict[str, Any]) -> tuple[str, SlotItem]:
    """A stored band slot: its name (its sort key) and its stories."""
    name = item["sk"]["S"]
    written_at = float(name.split("#", 1)[0])
    return name, SlotItem.unpacked(written_at, item["ids"]["S"], item["packed"]["B"])


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


class ArticleStore:
    """The poll's dedup and story memory."""

    def __init__(
        self,
        table_name: str,
        client: DynamoDBClient | None = None,
        ttl_days: int = 30,
        clock: Callable[[], float] = time.time,
        remembered: int = REMEMBERED_STORIES,
    ) -> None:
        self._table = table_name
        if client is None:
            import boto3  # imported here, not at module load: the handler's cold start stays short

            client = boto3.client("dynamodb")
        self._client: Any = client
        self._ttl = ttl_days * 86_400
        self._clock = clock
        # The warm worker's band index; one lock, as the offline stack's workers share a store.
        self._bands = RecentBands(self._ttl, remembered)
        self._bands_lock = threading.Lock()

    def seen(self, ids: Iterable[str]) -> dict[str, SeenRecord]:
        """Seen-records of `ids`, keyed by article id. Eventually consistent (half a strong
        read's units): a claim put a moment ago may be missed, and the article claimed and
        queued again, which the score stage folds once (the race of two polls at one moment,
        `claim`); a record seen without its run's commit holds the cursor for a poll."""
        found = {}
        for item in batch_get(
            self._client,
            self._table,
            [_key(f"article#{i}", SEEN_SK) for i in ids],
            "pk, story_id, #run, claimed_at",
            consistent=False,
        ):
            ident = item["pk"]["S"].removeprefix("article#")
            found[ident] = SeenRecord(
                ident, item["story_id"]["S"], item["run"]["S"], float(item["claimed_at"]["N"])
            )
        return found

    def committed(self, runs: Iterable[str]) -> set[str]:
        """Which of `runs` finished queueing their articles (eventually consistent: a commit
        put a moment ago may read as in flight, which holds the cursor for a poll)."""
        keys = [_key(f"run#{r}", RUN_SK) for r in set(runs)]
        items = batch_get(self._client, self._table, keys, "pk", consistent=False)
        return {item["pk"]["S"].removeprefix("run#") for item in items}

    def story_candidates(self, band_keys: Iterable[str]) -> dict[str, str]:
        """The story indexed under each of `band_keys` that has one, after reading the slots
        written since the last read (all of them in the TTL's window on a cold start).
        Eventually consistent: a slot another worker wrote a moment ago may be missed, which
        costs one late match (the copy becomes a story of its own), never a lost or doubled
        article; within a worker its own slots match at once."""
        with self._bands_lock:
            self._read_slots()
            return self._bands.stories(set(band_keys))

    def _read_slots(self) -> None:
        since = self._bands.read_until
        if since is None:  # a cold worker: the newest slots, as many stories as it remembers
            self._bands.read(reversed(self._newest_slots()))
            return
        items = query_all(self._client, {
            "TableName": self._table, "ConsistentRead": False,
            "KeyConditionExpression": "pk = :pk AND sk > :start",
            "ExpressionAttributeValues": {
                ":pk": {"S": BANDS_PK}, ":start": {"S": _slot_time(since - READ_OVERLAP)}
            },
        })  # fmt: skip
        self._bands.read(_slot_of(item) for item in items)

    def _newest_slots(self) -> list[tuple[str, SlotItem]]:
        """The slots in the TTL's window, newest first, until they hold as many stories as the
        worker remembers: a cold start reads a bounded window whatever the day's volume."""
        slots: list[tuple[str, SlotItem]] = []
        stories = 0
        for page in query_pages(self._client, {
            "TableName": self._table, "ConsistentRead": False, "ScanIndexForward": False,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": BANDS_PK}},
        }):  # fmt: skip
            for item in page:
                slots.append(_slot_of(item))
                stories += len(slots[-1][1].stories)
            if stories >= self._bands.limit:
                break
        return slots

    def story_shingles(self, story_ids: Iterable[str]) -> dict[str, bytes]:
        """The signatures of the stories this worker has read or written in the band slots
        (`story_candidates` reads the new slots first): no read of its own."""
        with self._bands_lock:
            return self._bands.shingles(set(story_ids))

    def claim(self, claims: list[Claim], run: str, now: float) -> ClaimResult:
        """Claim articles for `run` with plain puts (stories first, so copies can reference
        them). A copy whose story, claimed in this call, could not be written becomes a story
        itself (unindexed, as a copy computes no band keys). Raises nothing; the result says
        which claims were written."""
        expires = int(now) + self._ttl
        stories = [c for c in claims if c.is_story]
        result = self._put_claims(stories, run, now, expires)
        unwritten = {c.id for c in result.failed}
        copies = [
            replace(c, story_id=c.id) if c.story_id in unwritten else c
            for c in claims
            if not c.is_story
        ]
        copy_result = self._put_claims(copies, run, now, expires)
        return ClaimResult(result.done + copy_result.done, result.failed + copy_result.failed)

    def _put_claims(
        self, claims: list[Claim], run: str, now: float, expires: int
    ) -> PutResult[Claim]:
        items = [(c, self._seen_item(c, run, now, expires)) for c in claims]
        return put_items(self._client, self._table, items)

    def release(self, ids: Iterable[str]) -> None:
        """Delete claims (their articles could not be queued) so a later poll retries them."""
        batch_write(
            self._client,
            self._table,
            [{"DeleteRequest": {"Key": _key(f"article#{i}", SEEN_SK)}} for i in ids],
        )

    def index(self, stories: Iterable[Claim], run: str, now: float) -> None:
        """One slot item (more past SLOT_BYTES) for the queued stories' band keys and
        signatures, known to this worker at once and to the others once they read it."""
        written, expires = self._clock(), int(now) + self._ttl
        indexed = [SlotStory(s.id, s.band_keys, s.shingles) for s in stories if s.band_keys]
        for n, slot in enumerate(slot_items(written, indexed)):
            name = f"{_slot_time(written)}#{run}#{n}"
            with self._bands_lock:
                self._bands.merge(name, slot)
            ids, packed = slot.packed()
            item = _key(BANDS_PK, name) | {
                "ids": {"S": ids},
                "packed": {"B": packed},
                "expires_at": {"N": str(expires)},
            }
            self._client.put_item(TableName=self._table, Item=item)

    def commit(self, run: str, now: float) -> None:
        """Record that every claim of `run` is queued."""
        item = _key(f"run#{run}", RUN_SK) | {"expires_at": {"N": str(int(now) + self._ttl)}}
        self._client.put_item(TableName=self._table, Item=item)

    def _seen_item(self, claim: Claim, run: str, now: float, expires: int) -> dict[str, Any]:
        item = _key(f"article#{claim.id}", SEEN_SK) | {
            "story_id": {"S": claim.story_id},
            "run": {"S": run},
            "claimed_at": {"N": f"{now:.3f}"},
            "expires_at": {"N": str(expires)},
            "url": {"S": claim.url},
            "source": {"S": claim.source},
        }
        if claim.is_story and claim.shingles:
            item["shingles"] = {"B": claim.shingles}
        return item
