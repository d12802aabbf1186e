"""MinHash values of a set of 32-bit shingle hashes under the universal hash family
h(x) = (a*x + b) mod (2**61 - 1). Pure.

`minhashes` gives the same numbers two ways: Python integers everywhere (what Lambda runs: its
package has no numpy), and a numpy kernel where numpy is installed (the command line, the
offline stack, the tests), about 5x faster because a story's MinHash is most of the poll's and
the backtest's CPU. tests/unit/sources/test_minhash.py holds the two equal.
"""

from __future__ import annotations

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


@cache
def _numpy_kernel(perms: tuple[tuple[int, int], ...]) -> Any:
    try:
        import numpy as np
    except ImportError:
        return None
    u64 = np.uint64
    a = np.array([a for a, _ in perms], dtype=u64)[:, None]
    b = np.array([b for _, b in perms], dtype=u64)[:, None]
    a_high, a_low = a >> u64(32), a & u64(_LOW_32)
    modulus = u64(MERSENNE)

    def fold(value: Any) -> Any:
        # x mod (2**61 - 1) as (low 61 bits) + (the rest): 2**61 is 1 modulo the prime.
        return (value & modulus) + (value >> u64(61))

    def kernel(hashes: frozenset[int]) -> list[int]:
        x = np.fromiter(hashes, dtype=u64, count=len(hashes))
        high = a_high * x  # < 2**61: a's top 29 bits times a 32-bit x
        # high * 2**32 modulo the prime: its top 29 bits wrap around to the bottom.
        shifted = ((high << u64(32)) & modulus) + (high >> u64(29))
        value = fold(shifted + fold(a_low * x) + b)  # < 2**61 + 4: one subtraction left
        value = np.where(value >= modulus, value - modulus, value)
        return list(value.min(axis=1).tolist())

    return kernel
