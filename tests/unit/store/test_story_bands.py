"""Band slots: a story's keys and signature and every sent article's digest packed and read back
exactly, in items at most half DynamoDB's limit; a worker's index of them keeps the later story
of a shared band and forgets a slot when the table's TTL would, or past its limits."""

from __future__ import annotations

import pytest

from tensionwatch.sources.syndication import signature
from tensionwatch.store.story_bands import (
    SLOT_BYTES,
    RecentBands,
    SlotItem,
    SlotStory,
    id_digest,
    pack_keys,
    slot_items,
    unpack_keys,
)

LEAD = (
    "Japan and South Korea agreed on Tuesday to resume security talks, foreign minister "
    "Park Jin said after meeting his counterpart in Seoul."
)


def test_a_signatures_keys_page_included_pack_to_nine_bytes_each_and_read_back() -> None:
    sig = signature("Japan, South Korea agree to resume talks", LEAD, "https://x.example/a-123456")
    keys = sig.band_keys()
    assert keys[0].startswith("band#page#") and len(keys) == 16
    packed = pack_keys(keys) + pack_keys(keys[1:3])
    assert len(packed) == 1 + 9 * 16 + 1 + 9 * 2
    first, at = unpack_keys(packed)
    second, end = unpack_keys(packed, at)
    assert (list(first), list(second), end) == (keys, keys[1:3], len(packed))


@pytest.mark.parametrize("key", ["band#3#abc", "band#page#0123456789", "band#255#" + "0" * 16])
def test_a_key_of_another_form_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match="not a band key"):
        pack_keys([key])


def test_a_slot_round_trips_through_its_stored_form() -> None:
    sig = signature("Japan, South Korea agree to resume talks", LEAD).to_bytes()
    slot = SlotItem(10.0, (SlotStory("s1", ("band#0#" + "1" * 16,), sig),
                           SlotStory("s2", ("band#page#0000abcd",), b"")),
                    id_digest("s1") + id_digest("s2") + id_digest("copy"))  # fmt: skip
    assert SlotItem.unpacked(10.0, *slot.packed(), slot.sent) == slot
    assert slot.digests() == [id_digest("s1"), id_digest("s2"), id_digest("copy")]


def test_a_slot_item_stays_at_half_the_item_limit_whatever_its_stories() -> None:
    sig = signature("Japan, South Korea agree", LEAD, "https://x.example/a-1")
    story = SlotStory("0" * 32, tuple(sig.band_keys()), sig.to_bytes())
    stories = [story] * 1_000
    sent = [id_digest(str(n)) for n in range(30_000)]
    slots = slot_items(5.0, stories, sent)
    assert len(slots) > 2 and [s for slot in slots for s in slot.stories] == stories
    assert [d for slot in slots for d in slot.digests()] == sent
    for slot in slots:
        ids, packed = slot.packed()
        assert len(ids) + len(packed) + len(slot.sent) <= SLOT_BYTES <= 400 * 1024 // 2
    assert slots[-2].stories and slots[-2].sent  # digests fill the last story item's room first


def test_a_hand_off_of_copies_alone_is_one_slot_of_digests() -> None:
    (slot,) = slot_items(5.0, [], [id_digest("a"), id_digest("b")])
    assert (slot.stories, slot.digests()) == ((), [id_digest("a"), id_digest("b")])


def test_a_signature_too_long_for_its_length_field_is_refused() -> None:
    with pytest.raises(ValueError, match="too long"):
        SlotStory("s", (), b"\0" * 70_000).packed()


def _slot(at: float, story: str, *bands: int, copies: tuple[str, ...] = ()) -> SlotItem:
    keys = tuple(f"band#{b}#{b:016x}" for b in bands)
    sent = b"".join(map(id_digest, (story, *copies)))
    return SlotItem(at, (SlotStory(story, keys, story.encode()),), sent)


def test_the_articles_a_slot_sent_are_known_until_it_is_forgotten() -> None:
    index = RecentBands(ttl=10.0)
    index.merge("a", _slot(0.0, "s", 1, copies=("c1", "c2")))
    index.merge("b", _slot(4.0, "t", 2, copies=("c2",)))  # c2 sent again: the later slot's
    wanted = [id_digest(i) for i in ("s", "c1", "c2", "t", "other")]
    assert index.sent(wanted) == set(wanted[:4])
    index.expire(12.0)  # the table's TTL has deleted "a", however long since the last merge
    assert index.sent(wanted) == {id_digest("c2"), id_digest("t")}
    index.expire(15.0)
    assert index.sent(wanted) == set()


def test_a_later_story_takes_a_shared_band_and_the_earlier_keeps_its_others() -> None:
    index = RecentBands(ttl=100.0)
    index.merge("a", _slot(1.0, "old", 1, 2))
    index.merge("b", _slot(2.0, "new", 2, 3))
    found = index.stories(f"band#{b}#{b:016x}" for b in (1, 2, 3, 4))
    assert found == {"band#1#0000000000000001": "old", "band#2#0000000000000002": "new",
                     "band#3#0000000000000003": "new"}  # fmt: skip
    assert index.shingles(["old", "new", "other"]) == {"old": b"old", "new": b"new"}


def test_a_slot_read_again_is_merged_once_and_cannot_undo_a_later_story() -> None:
    index = RecentBands(ttl=100.0)
    index.read([("a", _slot(1.0, "old", 1))])
    index.merge("b", _slot(2.0, "new", 1))
    index.read([("a", _slot(1.0, "old", 1)), ("b", _slot(2.0, "new", 1))])
    assert index.stories(["band#1#0000000000000001"]) == {"band#1#0000000000000001": "new"}
    assert index.read_until == 2.0


def test_own_writes_do_not_move_the_read_mark_and_an_empty_read_starts_it() -> None:
    index = RecentBands(ttl=100.0)
    index.merge("mine", _slot(50.0, "s", 1))
    assert index.read_until is None  # others' slots before 50 are still unread
    index.read([])
    assert index.read_until == 0.0


def test_a_slot_is_forgotten_after_the_ttl_unless_a_later_story_holds_its_band() -> None:
    index = RecentBands(ttl=10.0)
    index.merge("a", _slot(0.0, "gone", 1, 2))
    index.merge("b", _slot(5.0, "kept", 2))
    index.merge("c", _slot(10.5, "later", 3))
    keys = [f"band#{b}#{b:016x}" for b in (1, 2, 3)]
    assert index.stories(keys) == {keys[1]: "kept", keys[2]: "later"}
    assert index.shingles(["gone", "kept"]) == {"kept": b"kept"}
    index.read([("a", _slot(0.0, "gone", 1, 2))])  # still listed: DynamoDB deletes late
    assert index.stories(keys[:1]) == {} and index.shingles(["gone"]) == {}


def test_a_story_indexed_again_keeps_its_signature_when_its_first_slot_ends() -> None:
    index = RecentBands(ttl=10.0)
    index.merge("a", _slot(0.0, "s", 1))
    index.merge("b", _slot(5.0, "s", 1))  # sent again by a retaken claim
    index.merge("c", _slot(12.0, "t", 2))
    assert index.shingles(["s"]) == {"s": b"s"}


def test_past_its_limit_a_worker_forgets_its_oldest_slots_first() -> None:
    """Memory stays bounded whatever the volume: the newest stories stay matchable."""
    index = RecentBands(ttl=1_000.0, limit=2)
    for at, name in enumerate("abc"):
        index.merge(name, _slot(float(at), f"story-{name}", at + 1))
    keys = [f"band#{b}#{b:016x}" for b in (1, 2, 3)]
    assert index.stories(keys) == {keys[1]: "story-b", keys[2]: "story-c"}
    assert index.shingles(["story-a", "story-b", "story-c"]).keys() == {"story-b", "story-c"}


def test_past_its_id_limit_a_worker_forgets_its_oldest_slots_first() -> None:
    index = RecentBands(ttl=1_000.0, id_limit=5)
    for at, name in enumerate("abc"):
        index.merge(name, _slot(float(at), f"story-{name}", at + 1, copies=(f"copy-{name}",)))
    wanted = [id_digest(f"{kind}-{name}") for kind in ("story", "copy") for name in "abc"]
    kept = {id_digest(f"{kind}-{name}") for kind in ("story", "copy") for name in "bc"}
    assert index.sent(wanted) == kept  # six ids are more than five: "a" went whole
    assert index.shingles(["story-a", "story-b"]).keys() == {"story-b"}
