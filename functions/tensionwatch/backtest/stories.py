"""The poll's exact dedup and syndication, in memory: `sources.stories.plan_claims` itself on
an index of seen articles and story bands that forgets what the ArticlesTable's TTL forgets.

An article that arrives with a `story_id` (an export of what the poll queued) keeps it and is
only deduplicated; the others are claimed as the poll claims them, a batch at a time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tensionwatch.backtest.archive import with_story
from tensionwatch.config import PollSettings
from tensionwatch.models import Article
from tensionwatch.sources.stories import plan_claims
from tensionwatch.store.articles import Claim, SeenRecord

# Seen-records and band slots live as long in memory as the poll's TTL keeps them.
SEEN_DAYS: int = PollSettings.model_fields["SEEN_TTL_DAYS"].default
RUN = "backtest"  # the one poll run: every claim is committed the moment it is made


@dataclass
class _Claimed:
    """One batch's claims and the band slots it wrote, with their TTL (event time)."""

    expires: datetime
    ids: list[str] = field(default_factory=list)
    bands: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # story, its keys


class SeenIndex:
    """`sources.stories.SeenReader` in memory, plus what ArticleStore.claim writes."""

    def __init__(self, days: int = SEEN_DAYS) -> None:
        self._ttl = timedelta(days=days)
        self._seen: dict[str, str] = {}  # article id -> its story
        self._shingles: dict[str, bytes] = {}
        self._bands: dict[str, str] = {}
        self._claimed: deque[_Claimed] = deque()

    def seen(self, ids: Iterable[str]) -> dict[str, SeenRecord]:
        return {i: SeenRecord(i, self._seen[i], RUN, 0.0) for i in ids if i in self._seen}

    def committed(self, runs: Iterable[str]) -> set[str]:
        return set(runs)

    def story_candidates(self, band_keys: Iterable[str]) -> dict[str, str]:
        bands = self._bands
        return {k: bands[k] for k in bands.keys() & band_keys}

    def story_shingles(self, story_ids: Iterable[str]) -> dict[str, bytes]:
        shingles = self._shingles
        return {s: shingles[s] for s in shingles.keys() & story_ids}

    def remember(self, claims: Sequence[Claim], at: datetime) -> None:
        """Record `claims` as claimed at `at` (event time). Stories are indexed by their
        bands, a later story taking a shared band (as the band slots do)."""
        claimed = _Claimed(at + self._ttl)
        for claim in claims:
            self._seen[claim.id] = claim.story_id
            claimed.ids.append(claim.id)
            if claim.is_story:
                if claim.shingles:
                    self._shingles[claim.id] = claim.shingles
                self._bands.update(dict.fromkeys(claim.band_keys, claim.id))
                claimed.bands.append((claim.id, claim.band_keys))
        self._claimed.append(claimed)

    def expire(self, at: datetime) -> None:
        """What DynamoDB's TTL removes by `at`: items whose `expires_at` has passed."""
        while self._claimed and self._claimed[0].expires < at:
            gone = self._claimed.popleft()
            for ident in gone.ids:
                self._seen.pop(ident, None)
                self._shingles.pop(ident, None)
            for story, keys in gone.bands:
                for key in keys:
                    if self._bands.get(key) == story:  # not taken over by a later story
                        del self._bands[key]


class StoryFolding:
    """Assigns each new article its story, as the poll does, and drops exact duplicates."""

    def __init__(self, index: SeenIndex | None = None) -> None:
        self._index = index or SeenIndex()
        self.duplicates = 0
        self.syndicated = 0

    def claim(self, batch: Sequence[Article]) -> list[Article]:
        """The new articles of `batch` with their story ids, earliest first; duplicates of
        anything seen (or of each other) are counted and left out."""
        now = max(a.published_at for a in batch)  # the poll's clock: its newest article
        self._index.expire(now)
        given = [a for a in batch if a.story_id]
        fresh = [a for a in batch if not a.story_id]
        plan = plan_claims(fresh, self._index, stale_before=0.0)
        self.duplicates += plan.duplicates
        known = self._index.seen(a.id for a in given)
        kept = list({a.id: a for a in given if a.id not in known}.values())
        self.duplicates += len(given) - len(kept)
        claims = [Claim(a.id, a.story_id or a.id, a.canonical_url, a.source) for a in kept]
        claims += plan.claims
        if not claims:
            return []
        by_id = {a.id: a for a in batch}
        queued = [_in_story(by_id[c.id], c.story_id) for c in claims]
        self._index.remember(claims, now)
        self.syndicated += sum(1 for a in queued if a.story_id != a.id)
        if kept:  # the poll's claims come earliest first already; given ones join them
            queued.sort(key=lambda a: (a.published_at, a.id))
        return queued


def _in_story(article: Article, story_id: str) -> Article:
    if article.story_id == story_id:
        return article
    return with_story(article, story_id)
