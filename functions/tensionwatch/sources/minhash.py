"""MinHash values of a set of 32-bit shingle hashes under the universal hash family
h(x) = (a*x + b) mod (2**61 - 1). Pure.

`minhashes` gives the same numbers two ways: Python integers everywhere (what Lambda runs: its
package has no numpy), and a numpy kernel where numpy is installed (the command line, the
offline stack, the tests), about 5x faster because a story's MinHash is most of the poll's and
the backtest's CPU. tests/unit/sources/test_minhash.py holds the two equal.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Sequence
from functools import cache
from typing import Any

MERSENNE = (1 << 61) - 1  # prime modulus of the universal hash family (Carter-Wegman)
_LOW_32 = (1 << 32) - 1


def pure_minhashes(hashes: frozenset[int], perms: Sequence[tuple[int, int]]) -> list[int]:
    """The minimum of (a*x + b) mod MERSENNE over `hashes`, for each (a, b) of `perms`."""
    return [min((a * x + b) % MERSENNE for x in hashes) for a, b in perms]


def minhashes(hashes: frozenset[int], perms: tuple[tuple[int, int], ...]) -> list[int]:
    """`pure_minhashes`, computed by numpy when it is installed. `hashes` must be 32-bit
    (the shingle hashes are 4-byte digests): that is what keeps every product in 64 bits."""
    kernel = _numpy_kernel(perms)
    return kernel(hashes) if kernel is not None else pure_minhashes(hashes, perms)


def packed_minhashes(sets: Sequence[frozenset[int]], perms: tuple[tuple[int, int], ...]) -> bytes:
    """`minhashes` of each of `sets` (none empty) as big-endian uint64s, set after set, in one
    numpy pass where numpy is installed: a poll's or a backtest batch's articles at once, not a
    kernel call (and its fixed cost) each."""
    kernel = _numpy_kernel(perms)
    if kernel is None or not sets:
        values = [value for hashes in sets for value in minhashes(hashes, perms)]
        return struct.pack(f">{len(values)}Q", *values)
    return kernel.packed(sets)  # type: ignore[no-any-return]


@cache
def _numpy_kernel(perms: tuple[tuple[int, int], ...]) -> Any:
    try:
        import numpy as np
    except ImportError:
        return None
    return _NumpyKernel(np, perms)


class _NumpyKernel:
    """The universal hashes of 32-bit values, modulo the Mersenne prime, in uint64 arithmetic."""

    def __init__(self, np: Any, perms: tuple[tuple[int, int], ...]) -> None:
        self._np = np
        u64 = np.uint64
        a = np.array([a for a, _ in perms], dtype=u64)[:, None]
        self._b = np.array([b for _, b in perms], dtype=u64)[:, None]
        self._a_high, self._a_low = a >> u64(32), a & u64(_LOW_32)
        self._modulus = u64(MERSENNE)

    def _fold(self, value: Any) -> Any:
        # x mod (2**61 - 1) as (low 61 bits) + (the rest): 2**61 is 1 modulo the prime.
        return (value & self._modulus) + (value >> self._np.uint64(61))

    def _values(self, x: Any) -> Any:
        u64, modulus = self._np.uint64, self._modulus
        high = self._a_high * x  # < 2**61: a's top 29 bits times a 32-bit x
        # high * 2**32 modulo the prime: its top 29 bits wrap around to the bottom.
        shifted = ((high << u64(32)) & modulus) + (high >> u64(29))
        value = self._fold(shifted + self._fold(self._a_low * x) + self._b)  # < 2**61 + 4
        return self._np.where(value >= modulus, value - modulus, value)  # one subtraction left

    def __call__(self, hashes: frozenset[int]) -> list[int]:
        x = self._np.fromiter(hashes, dtype=self._np.uint64, count=len(hashes))
        return list(self._values(x).min(axis=1).tolist())

    def packed(self, sets: Sequence[frozenset[int]]) -> bytes:
        np = self._np
        sizes = [len(hashes) for hashes in sets]
        x = np.fromiter(itertools.chain.from_iterable(sets), dtype=np.uint64, count=sum(sizes))
        starts = np.cumsum([0, *sizes[:-1]])
        # a batch's headlines share many words: each distinct shingle's hashes computed once
        distinct, where = np.unique(x, return_inverse=True)
        mins = np.minimum.reduceat(self._values(distinct)[:, where], starts, axis=1)
        return bytes(mins.T.astype(">u8").tobytes())
