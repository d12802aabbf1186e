"""Band slots: a story's keys packed and read back exactly; a worker's index of them keeps the
later story of a shared band and forgets a slot when the table's TTL would."""

from __future__ import annotations

import pytest

from tensionwatch.sources.syndication import signature
from tensionwatch.store.story_bands import (
    SLOT_STORIES,
    RecentBands,
    SlotItem,
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
    slot = SlotItem(10.0, (("s1", ("band#0#" + "1" * 16,)), ("s2", ("band#page#0000abcd",))))
    assert SlotItem.unpacked(10.0, *slot.packed()) == slot


def test_many_stories_split_into_slots_of_at_most_slot_stories() -> None:
    stories = [(f"s{n}", (f"band#1#{n:016x}",)) for n in range(2 * SLOT_STORIES + 1)]
    slots = slot_items(5.0, stories)
    assert [len(s.stories) for s in slots] == [SLOT_STORIES, SLOT_STORIES, 1]
    assert [story for slot in slots for story in slot.stories] == stories


def test_a_full_slot_stays_at_half_the_item_limit() -> None:
    keys = signature(
        "Japan, South Korea agree to resume talks", LEAD, "https://x.example/a-1"
    ).band_keys()
    ids, packed = slot_items(0.0, [(f"{n:064x}", tuple(keys)) for n in range(SLOT_STORIES)])[
        0
    ].packed()
    assert len(ids) + len(packed) < 400 * 1024 // 2


def _slot(at: float, story: str, *bands: int) -> SlotItem:
    return SlotItem(at, ((story, tuple(f"band#{b}#{b:016x}" for b in bands)),))


def test_a_later_story_takes_a_shared_band_and_the_earlier_keeps_its_others() -> None:
    index = RecentBands(ttl=100.0)
    index.merge("a", _slot(1.0, "old", 1, 2))
    index.merge("b", _slot(2.0, "new", 2, 3))
    found = index.stories(f"band#{b}#{b:016x}" for b in (1, 2, 3, 4))
    assert found == {"band#1#0000000000000001": "old", "band#2#0000000000000002": "new",
                     "band#3#0000000000000003": "new"}  # fmt: skip


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
    index.read([("a", _slot(0.0, "gone", 1, 2))])  # still listed: DynamoDB deletes late
    assert index.stories(keys[:1]) == {}
