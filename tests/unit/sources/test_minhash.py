"""The numpy MinHash kernel gives the pure-Python numbers exactly, so the command line and the
tests (numpy installed) match stories as Lambda does (no numpy)."""

from __future__ import annotations

import hashlib
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tensionwatch.sources import minhash
from tensionwatch.sources.minhash import MERSENNE, minhashes, packed_minhashes, pure_minhashes
from tensionwatch.sources.syndication import _PERMS, BANDS, ROWS, prime_band_keys, signature

HASHES = st.frozensets(st.integers(min_value=0, max_value=2**32 - 1), min_size=1, max_size=80)
EXTREMES = frozenset({0, 1, 2**31, 2**32 - 1, 2**32 - 2})


@given(HASHES)
@settings(max_examples=300, deadline=None)  # the first example imports numpy
def test_the_fast_minhashes_equal_the_pure_ones(hashes: frozenset[int]) -> None:
    assert minhashes(hashes, _PERMS) == pure_minhashes(hashes, _PERMS)


def test_the_largest_multipliers_and_offsets_reduce_exactly() -> None:
    perms = ((MERSENNE - 1, MERSENNE - 1), (1, 0), (2**61 - 2, 0), (2**32 + 1, MERSENNE - 2))
    assert minhashes(EXTREMES, perms) == pure_minhashes(EXTREMES, perms)


def test_band_keys_are_those_of_the_pure_minhashes() -> None:
    sig = signature("Japan and South Korea agree to restore ties", "Talks in Tokyo went well.")
    mins = pure_minhashes(sig.lookup, _PERMS)
    rows = [struct.pack(f">{ROWS}Q", *mins[ROWS * i : ROWS * (i + 1)]) for i in range(BANDS)]
    digests = [hashlib.blake2b(row, digest_size=8).hexdigest() for row in rows]
    assert sig.band_keys() == [f"band#{i}#{digest}" for i, digest in enumerate(digests)]


@given(st.lists(HASHES, min_size=1, max_size=12))
@settings(max_examples=100, deadline=None)
def test_a_batch_of_minhashes_is_each_set_s_own(sets: list[frozenset[int]]) -> None:
    sets += sets[:2]  # sets sharing shingles, as a batch's copies do
    packed = packed_minhashes(sets, _PERMS)
    values = list(struct.unpack(f">{len(packed) // 8}Q", packed))
    assert values == [value for hashes in sets for value in pure_minhashes(hashes, _PERMS)]


def test_band_keys_primed_in_a_batch_are_those_computed_one_at_a_time() -> None:
    texts = [("Japan and South Korea agree to restore ties", "Talks in Tokyo went well."),
             ("Japan, South Korea restore ties", ""), ("", "")]  # fmt: skip
    alone = [signature(title, lead).band_keys() for title, lead in texts]
    batch = [signature(title, lead) for title, lead in texts]
    prime_band_keys(batch)
    assert [sig.band_keys() for sig in batch] == alone
    # copies of those, later (their MinHashes remembered), on another page: keys of their own
    later = [signature(title, lead, "https://example.org/news/1234567") for title, lead in texts]
    prime_band_keys(later)
    fresh = [signature(title, lead, "https://example.org/news/1234567") for title, lead in texts]
    assert [sig.band_keys() for sig in later] == [list(sig._keys(
        minhashes(sig.lookup, _PERMS) if sig.lookup else ())) for sig in fresh]  # fmt: skip
    assert later[0].band_keys()[1:] == alone[0] and later[0].band_keys()[0].startswith("band#page")


def test_without_numpy_a_batch_is_packed_from_the_pure_minhashes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sets = [frozenset({1, 2, 3}), frozenset({5}), frozenset({2, 3})]
    with_numpy = packed_minhashes(sets, _PERMS)
    monkeypatch.setattr(minhash, "_numpy_kernel", lambda perms: None)  # as Lambda runs it
    assert packed_minhashes(sets, _PERMS) == with_numpy
