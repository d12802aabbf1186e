"""Syndicated copies: MinHash signatures over title + lead, banded for LSH lookup. Pure.

Two articles are the same story when the containment of their word shingles (share of the
smaller set found in the other) reaches `THRESHOLD`. MinHash LSH bands turn "find similar" into
key lookups: copies share at least one band key with high probability, so candidates are found
by band key in DynamoDB and confirmed by comparing the stored shingle hashes exactly.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import struct
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from hashlib import blake2b
from importlib import resources

from tensionwatch.sources.minhash import MERSENNE, minhashes

BANDS = 16  # b: P(candidate) = 1-(1-J^r)^b ≈ 0.97 at Jaccard 0.45, where edited copies start
ROWS = 2  # r: see docs/sources.md for the S-curve and the eval that chose (16, 2)
NUM_PERM = BANDS * ROWS
THRESHOLD = 0.7  # containment at or above which two texts are one story (syndication_eval)
MIN_SHINGLES = 5  # fewer content shingles than this never match
LEAD_WORDS = 45  # the lead: wire copies keep the first paragraph, then diverge
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?")  # keeps "Korea's" one word


@cache
def _stopwords() -> frozenset[str]:
    """Read once, on first use rather than at import."""
    text = resources.files("tensionwatch.sources").joinpath("data/stopwords.txt").read_text()
    return frozenset(word for line in text.splitlines() for word in line.split("#")[0].split())


def _perms() -> tuple[tuple[int, int], ...]:
    seed = hashlib.sha256(b"tensionwatch-minhash-v1").digest()
    values = []
    for i in range(NUM_PERM):
        block = hashlib.blake2b(seed + i.to_bytes(2, "big"), digest_size=16).digest()
        a, b = struct.unpack(">QQ", block)
        values.append((a % (MERSENNE - 1) + 1, b % MERSENNE))
    return tuple(values)


_PERMS = _perms()  # deterministic: every Lambda computes the same signatures


def tokens(text: str) -> list[str]:
    """Lowercased, accent-folded content words of `text`."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    stop = _stopwords()
    return [w for w in _WORD.findall(folded) if w not in stop and len(w) > 1]


def shingles(title: str, lead: str) -> set[str]:
    """Unigrams and bigrams of the title and the first LEAD_WORDS content words of the lead."""
    words = tokens(title) + tokens(lead)[:LEAD_WORDS]
    grams = set(words)
    grams.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return grams


@dataclass(frozen=True)
class Signature:
    """The shingle hashes of one text (compared exactly) and their MinHash (for LSH keys)."""

    hashes: frozenset[int]

    def to_bytes(self) -> bytes:
        """Compact storage form: the sorted shingle hashes as big-endian uint32."""
        return struct.pack(f">{len(self.hashes)}I", *sorted(self.hashes))

    @classmethod
    def from_bytes(cls, raw: bytes) -> Signature:
        """Inverse of `to_bytes`; raises ValueError when `raw` is not whole uint32s."""
        if len(raw) % 4:
            raise ValueError("signature is not a sequence of uint32")
        return cls(frozenset(struct.unpack(f">{len(raw) // 4}I", raw)))

    def containment(self, other: Signature) -> float:
        """Share of the smaller text's shingles found in the other: robust to a copy that
        keeps only the first sentence of the lead, where Jaccard would drop by half."""
        smaller = min(len(self.hashes), len(other.hashes))
        return len(self.hashes & other.hashes) / smaller if smaller else 0.0

    def band_keys(self) -> list[str]:
        """One key per LSH band: `band#<i>#<hash of the band's MinHash rows>`."""
        return list(self._band_keys)

    @cached_property
    def _band_keys(self) -> tuple[str, ...]:
        # Once per signature: a poll asks a new story for its keys three times (the band index,
        # the poll's own index, then to store them), and the MinHash is most of its CPU.
        if not self.hashes:
            return ()
        packed = struct.pack(f">{NUM_PERM}Q", *minhashes(self.hashes, _PERMS))
        width = ROWS * 8  # a band's rows, as big-endian uint64
        return tuple(
            f"band#{i}#{blake2b(packed[i * width : (i + 1) * width], digest_size=8).hexdigest()}"
            for i in range(BANDS)
        )


def signature(title: str, lead: str) -> Signature:
    """The signature of title + lead."""
    return Signature(
        frozenset(
            int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "big")
            for g in shingles(title, lead)
        )
    )


def same_story(first: Signature, second: Signature) -> bool:
    """Whether two signatures are copies of one story."""
    if min(len(first.hashes), len(second.hashes)) < MIN_SHINGLES:
        return False  # a bare headline of three words is not evidence of a shared story
    return first.containment(second) >= THRESHOLD


class StoryIndex:
    """In-memory LSH index: the same matching the DynamoDB band items give, for one poll and
    for the evaluation script."""

    def __init__(self) -> None:
        self._bands: dict[str, list[str]] = {}
        self._sigs: dict[str, Signature] = {}

    def match(self, sig: Signature) -> str | None:
        """The id of the most similar indexed story that `sig` is a copy of, or None."""
        best: tuple[float, str] | None = None
        for key in sig.band_keys():
            for story in self._bands.get(key, ()):
                other = self._sigs[story]
                if same_story(sig, other):
                    score = sig.containment(other)
                    if best is None or score > best[0]:
                        best = (score, story)
        return best[1] if best else None

    def add(self, story_id: str, sig: Signature) -> None:
        """Index `sig` as the signature of story `story_id`."""
        self._sigs[story_id] = sig
        for key in sig.band_keys():
            self._bands.setdefault(key, []).append(story_id)
