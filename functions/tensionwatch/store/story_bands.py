"""What a poll's hand-off queued, as slot items, and a worker's memory of them. Pure: no AWS here.

A hand-off writes, after its send, one item (`SlotItem`) for everything it sent: the stories
among them, their band keys and their signatures (the shingle hashes a candidate is confirmed
by), and the digest (`id_digest`, 8 bytes) of every article it sent, stories and copies. The
keys are packed 9 bytes each, so a story costs ~600 bytes of a write unit instead of 16 units,
and an article 8 bytes instead of an item of its own. A worker keeps every slot it has read or
written (`RecentBands`) and reads only the slots written since, so its seen-check and its
story candidates are lookups in memory: a story is read once a warm worker, not once for each
article it is a candidate of, and an article's id is read once, not once each time a source
lists it.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PAGE_TAG = 0xFF  # a band number no signature reaches: the page's key
_KEY = re.compile(r"band#(?:page#([0-9a-f]{8})|(\d{1,3})#([0-9a-f]{16}))")
_PACKED = 9  # a key: its band number (PAGE_TAG for the page) and its 8-byte hash
# Bytes of stories a slot item holds at most (ids, keys and signatures): half DynamoDB's 400 KB
# item limit, whatever a signature's size.
SLOT_BYTES = 200 * 1024
_SIG_LENGTH = 2  # a signature's length before it, big-endian
# Bytes of an article id's digest (a slot's sent articles, a source's recent ids): 64 bits, so
# a new article is taken for a queued one (and dropped) only when its digest equals one of the
# REMEMBERED_IDS a worker holds: about once in 4 x 10^13 articles.
ID_DIGEST = 8


def id_digest(article_id: str) -> bytes:
    """The digest that stands for an article id in a slot's sent set and a source's recent
    ids."""
    return hashlib.blake2b(article_id.encode(), digest_size=ID_DIGEST).digest()


def pack_keys(keys: Iterable[str]) -> bytes:
    """A story's band keys (`band#<i>#<16 hex>`, `band#page#<8 hex>`) as a count byte and 9
    bytes a key; raises ValueError for a key of another form."""
    packed = bytearray()
    count = 0
    for key in keys:
        found = _KEY.fullmatch(key)
        if found is None or (found.group(2) and int(found.group(2)) >= PAGE_TAG):
            raise ValueError(f"not a band key: {key!r}")
        page, band, digest = found.groups()
        tag = PAGE_TAG if page else int(band)
        packed += bytes([tag]) + bytes.fromhex(page or digest).rjust(8, b"\0")
        count += 1
    return bytes([count]) + bytes(packed)


def unpack_keys(raw: bytes, at: int = 0) -> tuple[tuple[str, ...], int]:
    """The keys `pack_keys` packed at offset `at` of `raw`, and the offset after them."""
    count = raw[at]
    keys = []
    for start in range(at + 1, at + 1 + count * _PACKED, _PACKED):
        tag, digest = raw[start], raw[start + 1 : start + _PACKED]
        keys.append(f"band#page#{digest[4:].hex()}" if tag == PAGE_TAG
                    else f"band#{tag}#{digest.hex()}")  # fmt: skip
    return tuple(keys), at + 1 + count * _PACKED


@dataclass(frozen=True)
class SlotStory:
    """A queued story: its id, its band keys and its signature's stored form."""

    id: str
    keys: tuple[str, ...]
    shingles: bytes

    def packed(self) -> bytes:
        if len(self.shingles) >= 1 << (8 * _SIG_LENGTH):
            raise ValueError(f"signature of {len(self.shingles)} bytes: too long for a slot")
        return pack_keys(self.keys) + len(self.shingles).to_bytes(_SIG_LENGTH) + self.shingles

    @property
    def size(self) -> int:
        """Bytes it takes of a slot item: its id and a space, its packed form."""
        return len(self.id) + 1 + 1 + _PACKED * len(self.keys) + _SIG_LENGTH + len(self.shingles)


@dataclass(frozen=True)
class SlotItem:
    """One write's stories, in the order they were assigned, and the digests of the articles
    it sent."""

    written_at: float  # the writer's clock, seconds: orders slots and ends them with the TTL
    stories: tuple[SlotStory, ...]
    sent: bytes = b""  # `id_digest`s, ID_DIGEST bytes each

    def digests(self) -> list[bytes]:
        sent = self.sent
        return [sent[i : i + ID_DIGEST] for i in range(0, len(sent), ID_DIGEST)]

    def packed(self) -> tuple[str, bytes]:
        """The story ids (space-separated: ids are URL hashes) and their packed keys and
        signatures."""
        return " ".join(s.id for s in self.stories), b"".join(s.packed() for s in self.stories)

    @classmethod
    def unpacked(cls, written_at: float, ids: str, packed: bytes, sent: bytes = b"") -> SlotItem:
        stories, at = [], 0
        for story in ids.split():
            keys, at = unpack_keys(packed, at)
            length = int.from_bytes(packed[at : at + _SIG_LENGTH])
            at += _SIG_LENGTH + length
            stories.append(SlotStory(story, keys, packed[at - length : at]))
        return cls(written_at, tuple(stories), sent)


def slot_items(
    written_at: float, stories: Sequence[SlotStory], sent: Sequence[bytes] = ()
) -> list[SlotItem]:
    """`stories` and the `sent` digests in items of at most SLOT_BYTES each (the digests fill
    the last story item's room first)."""
    items: list[tuple[list[SlotStory], list[bytes]]] = []
    size = SLOT_BYTES
    for story in stories:
        if size + story.size > SLOT_BYTES:
            items.append(([], []))
            size = 0
        items[-1][0].append(story)
        size += story.size
    for digest in sent:
        if size + len(digest) > SLOT_BYTES:
            items.append(([], []))
            size = 0
        items[-1][1].append(digest)
        size += len(digest)
    return [SlotItem(written_at, tuple(item), b"".join(ids)) for item, ids in items]


# The most stories a worker remembers (~2.4 KB each in memory: ~150 MB of the poll function's
# 512 MB), and the most article ids (~100 bytes each: ~50 MB). Past either the oldest slots go
# first, so at high volume the matching window shortens to the newest stories (a copy of an
# older story becomes a story of its own: a late match, never a lost article) and an article
# another source queued longer ago is queued again (the score stage folds it once), and the
# worker's memory stays bounded whatever the day's volume.
REMEMBERED_STORIES = 60_000
REMEMBERED_IDS = 500_000


class RecentBands:
    """A worker's index of the slots it read or wrote: each band key's latest story (a later
    story takes a shared band), each story's signature and the articles sent, forgetting a
    slot `ttl` seconds after it was written, as the table's TTL forgets it, or once more than
    `limit` stories or `id_limit` articles are remembered, oldest first. A slot is merged once
    by its name, however often it is read."""

    def __init__(
        self, ttl: float, limit: int = REMEMBERED_STORIES, id_limit: int = REMEMBERED_IDS
    ) -> None:
        self._ttl = ttl
        self.limit = limit
        self.id_limit = id_limit
        self._story: dict[str, str] = {}
        self._shingles: dict[str, tuple[float, bytes]] = {}  # and the slot's time
        self._sent: dict[bytes, float] = {}  # an article's digest: its newest slot's time
        self._slots: deque[SlotItem] = deque()  # oldest first, as merged
        self._names: dict[str, float] = {}  # the slots merged, to skip when read again
        self.newest = 0.0  # the newest slot's time merged so far
        # The newest slot time a read has reached (None before the first read): a worker's
        # own writes do not move it, as slots of others' may lie before them.
        self.read_until: float | None = None

    def read(self, named: Iterable[tuple[str, SlotItem]]) -> None:
        """Merge the slots a read returned (oldest first)."""
        until = self.read_until
        for name, slot in named:
            self.merge(name, slot)
            until = max(until or 0.0, slot.written_at)
        self.read_until = until if until is not None else 0.0

    def merge(self, name: str, slot: SlotItem) -> None:
        """Index `slot` (a slot merged before under `name` is skipped)."""
        if name in self._names or slot.written_at < self.newest - self._ttl:
            return  # merged already, or past the TTL (DynamoDB deletes expired items late)
        self._names[name] = slot.written_at
        for story in slot.stories:
            self._shingles[story.id] = (slot.written_at, story.shingles)
            for key in story.keys:
                self._story[key] = story.id
        self._sent.update(dict.fromkeys(slot.digests(), slot.written_at))
        self._slots.append(slot)
        self.newest = max(self.newest, slot.written_at)
        self._forget(self.newest - self._ttl)
        while self.full(len(self._shingles), len(self._sent)) and len(self._slots) > 1:
            self._forget(math.nextafter(self._slots[0].written_at, math.inf))  # the oldest

    def expire(self, now: float) -> None:
        """Forget the slots the table's TTL has deleted by `now`, merged since or not."""
        self._forget(now - self._ttl)

    def full(self, stories: int, ids: int) -> bool:
        """Whether `stories` stories and `ids` article ids are more than it remembers."""
        return stories > self.limit or ids > self.id_limit

    def sent(self, digests: Iterable[bytes]) -> set[bytes]:
        """Those of `digests` a slot it remembers sent."""
        return self._sent.keys() & digests

    def stories(self, keys: Iterable[str]) -> dict[str, str]:
        """The story indexed under each of `keys` that has one."""
        known = self._story
        return {key: known[key] for key in keys if key in known}

    def shingles(self, stories: Iterable[str]) -> dict[str, bytes]:
        """The signature of each of `stories` this worker knows."""
        known = self._shingles
        return {story: known[story][1] for story in stories if story in known}

    def _forget(self, before: float) -> None:
        if not self._slots or self._slots[0].written_at >= before:
            return
        while self._slots and self._slots[0].written_at < before:
            slot = self._slots.popleft()
            for story in slot.stories:
                if self._shingles.get(story.id, (None,))[0] == slot.written_at:  # not re-sent
                    del self._shingles[story.id]
                for key in story.keys:
                    if self._story.get(key) == story.id:  # not taken over by a later story
                        del self._story[key]
            for digest in slot.digests():
                if self._sent.get(digest) == slot.written_at:  # not sent again since
                    del self._sent[digest]
        self._names = {name: at for name, at in self._names.items() if at >= before}
