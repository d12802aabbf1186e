"""ArticlesTable: the band slots, the one record of what the poll queued (no item an article).

Items (pk, sk):
- `bands`, `<written at>#<run>#<n>`: what one hand-off sent, written after its send (an
  article not sent is never recorded): the stories among them, their LSH band keys and
  signatures (`ids`, `packed`), and the `id_digest` of every article it sent, stories and
  copies (`sent`) (tensionwatch.store.story_bands). One plain put a hand-off (more past
  SLOT_BYTES), merged into the worker's memory before it. Each worker keeps what it read or
  wrote in memory (`RecentBands`, bounded: it forgets a slot with the TTL or past its limits,
  oldest first) and queries only the slots written since (eventually consistent, with
  READ_OVERLAP seconds read again for slots that became visible late), so its seen-check
  (`queued`) and its story candidates are lookups in memory: no read an article, no claim,
  no commit. When two stories share a band the later one wins, and the earlier keeps its
  other keys.
  What this leaves possible: two workers listing one URL at the same moment, a slot another
  worker wrote not yet visible, or a slot put that fails after its send, queue one article
  twice; the score stage folds it once (each bucket keeps the digests of the articles it
  folded: tests/integration/score/test_racing_polls.py). Re-reads of one source are dropped
  before this by its recent ids (tensionwatch.store.source_states), which the lease keeps to
  one poll at a time.
All carry `expires_at` (TTL).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tensionwatch.store.ddb import query_all, query_pages
from tensionwatch.store.story_bands import (
    ID_DIGEST,
    REMEMBERED_IDS,
    REMEMBERED_STORIES,
    RecentBands,
    SlotItem,
    SlotStory,
    id_digest,
    slot_items,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

BANDS_PK = "bands"
# Seconds before the newest slot read that the next read starts again: a slot put a moment
# before it by another worker can become visible after it (eventually consistent reads).
READ_OVERLAP = 5.0


@dataclass(frozen=True)
class Assignment:
    """A fetched article to queue and its story: a story's first copy carries its signature
    and band keys."""

    id: str
    story_id: str
    shingles: bytes = b""
    band_keys: tuple[str, ...] = ()

    @property
    def is_story(self) -> bool:
        return self.id == self.story_id


def _slot_time(seconds: float) -> str:
    """A slot's time as its sort key starts: fixed width, so text order is time order."""
    return f"{max(0.0, seconds):014.3f}"


def _slot_of(item: dict[str, Any]) -> tuple[str, SlotItem]:
    """A stored band slot: its name (its sort key) and its stories."""
    name = item["sk"]["S"]
    written_at = float(name.split("#", 1)[0])
    sent = item.get("sent", {}).get("B", b"")  # none in a slot written before they were
    return name, SlotItem.unpacked(written_at, item["ids"]["S"], item["packed"]["B"], sent)


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


class ArticleStore:
    """The poll's memory of what was queued and of its stories."""

    def __init__(
        self,
        table_name: str,
        client: DynamoDBClient | None = None,
        ttl_days: int = 30,
        clock: Callable[[], float] = time.time,
        *,
        remembered: int = REMEMBERED_STORIES,
        remembered_ids: int = REMEMBERED_IDS,
    ) -> None:
        self._table = table_name
        if client is None:
            import boto3  # imported here, not at module load: the handler's cold start stays short

            client = boto3.client("dynamodb")
        self._client: Any = client
        self._ttl = ttl_days * 86_400
        self._clock = clock
        # The warm worker's memory; one lock, as the offline stack's workers share a store.
        self._bands = RecentBands(self._ttl, remembered, remembered_ids)
        self._bands_lock = threading.Lock()

    def queued(self, ids: Iterable[str]) -> set[str]:
        """Which of `ids` a hand-off sent, as far as this worker knows, after reading the slots
        written since its last read (every slot of the TTL's window it can remember on a cold
        start); `story_candidates` and `story_shingles` then answer from what it read.
        Eventually consistent: a slot another worker wrote a moment ago may be missed, which
        costs an article queued twice (folded once) or a late match, never a lost article;
        within a worker its own slots count at once."""
        digests = {id_digest(i): i for i in ids}
        with self._bands_lock:
            self._read_slots()
            self._bands.expire(self._clock())
            return {digests[d] for d in self._bands.sent(digests)}

    def story_candidates(self, band_keys: Iterable[str]) -> dict[str, str]:
        """The story indexed under each of `band_keys` that has one, in the slots this worker
        has read (`queued` reads the new ones) or written."""
        with self._bands_lock:
            return self._bands.stories(set(band_keys))

    def _read_slots(self) -> None:
        since = self._bands.read_until
        if since is None:  # a cold worker: the newest slots, as many as it remembers
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
        """The slots in the TTL's window, newest first, until they hold as many stories or
        article ids as the worker remembers: a cold start reads a bounded window whatever the
        day's volume."""
        slots: list[tuple[str, SlotItem]] = []
        stories = ids = 0
        for page in query_pages(self._client, {
            "TableName": self._table, "ConsistentRead": False, "ScanIndexForward": False,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": BANDS_PK}},
        }):  # fmt: skip
            for item in page:
                slots.append(_slot_of(item))
                stories += len(slots[-1][1].stories)
                ids += len(slots[-1][1].sent) // ID_DIGEST
            if stories >= self._bands.limit or ids >= self._bands.id_limit:
                break
        return slots

    def story_shingles(self, story_ids: Iterable[str]) -> dict[str, bytes]:
        """The signatures of the stories this worker has read (`queued` reads the new slots)
        or written in the band slots: no read of its own."""
        with self._bands_lock:
            return self._bands.shingles(set(story_ids))

    def record(self, sent: Sequence[Assignment], run: str, now: float) -> None:
        """One slot item (more past SLOT_BYTES) for the articles of `sent` (all of them sent):
        the stories' band keys and signatures and every article's digest, known to this worker
        at once and to the others once they read it."""
        written, expires = self._clock(), int(now) + self._ttl
        stories = [SlotStory(a.id, a.band_keys, a.shingles) for a in sent if a.band_keys]
        digests = [id_digest(a.id) for a in sent]
        for n, slot in enumerate(slot_items(written, stories, digests)):
            name = f"{_slot_time(written)}#{run}#{n}"
            with self._bands_lock:
                self._bands.merge(name, slot)
            ids, packed = slot.packed()
            item = _key(BANDS_PK, name) | {
                "ids": {"S": ids},
                "packed": {"B": packed},
                "sent": {"B": slot.sent},
                "expires_at": {"N": str(expires)},
            }
            self._client.put_item(TableName=self._table, Item=item)
