"""The poll's exact dedup and syndication, in memory: `sources.stories.plan_queue` itself on
an index of queued articles and story bands that forgets what the ArticlesTable's TTL forgets.

An article that arrives with a `story_id` (an export of what the poll queued) keeps it and is
only deduplicated; the others are assigned their stories as the poll assigns them, a batch at a
time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tensionwatch.backtest.archive import with_story
from tensionwatch.config import PollSettings
from tensionwatch.models import Article
from tensionwatch.sources.stories import plan_queue
from tensionwatch.store.articles import Assignment

# Queued ids and band slots live as long in memory as the poll's TTL keeps them.
SEEN_DAYS: int = PollSettings.model_fields["SEEN_TTL_DAYS"].default


@dataclass
class _Queued:
    """One batch's queued ids and the band slots it wrote, with their TTL (event time)."""

    expires: datetime
    ids: list[str] = field(default_factory=list)
    bands: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # story, its keys


class SeenIndex:
    """`sources.stories.StoryMemory` in memory, plus what ArticleStore.record writes."""

    def __init__(self, days: int = SEEN_DAYS) -> None:
        self._ttl = timedelta(days=days)
        self._seen: dict[str, str] = {}  # article id -> its story
        self._shingles: dict[str, bytes] = {}
        self._bands: dict[str, str] = {}
        self._queued: deque[_Queued] = deque()

    def queued(self, ids: Iterable[str]) -> set[str]:
        return self._seen.keys() & ids

    def story_candidates(self, band_keys: Iterable[str]) -> dict[str, str]:
        bands = self._bands
        return {k: bands[k] for k in bands.keys() & band_keys}

    def story_shingles(self, story_ids: Iterable[str]) -> dict[str, bytes]:
        shingles = self._shingles
        return {s: shingles[s] for s in shingles.keys() & story_ids}

    def remember(self, sent: Sequence[Assignment], at: datetime) -> None:
        """Record `sent` as queued at `at` (event time). Stories are indexed by their bands, a
        later story taking a shared band (as the band slots do)."""
        queued = _Queued(at + self._ttl)
        for article in sent:
            self._seen[article.id] = article.story_id
            queued.ids.append(article.id)
            if article.is_story:
                if article.shingles:
                    self._shingles[article.id] = article.shingles
                self._bands.update(dict.fromkeys(article.band_keys, article.id))
                queued.bands.append((article.id, article.band_keys))
        self._queued.append(queued)

    def expire(self, at: datetime) -> None:
        """What DynamoDB's TTL removes by `at`: items whose `expires_at` has passed."""
        while self._queued and self._queued[0].expires < at:
            gone = self._queued.popleft()
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

    def assign(self, batch: Sequence[Article]) -> list[Article]:
        """The new articles of `batch` with their story ids, earliest first; duplicates of
        anything seen (or of each other) are counted and left out."""
        now = max(a.published_at for a in batch)  # the poll's clock: its newest article
        self._index.expire(now)
        given = [a for a in batch if a.story_id]
        fresh = [a for a in batch if not a.story_id]
        plan = plan_queue(fresh, self._index)
        self.duplicates += len(plan.known)
        known = self._index.queued(a.id for a in given)
        kept = list({a.id: a for a in given if a.id not in known}.values())
        self.duplicates += len(given) - len(kept)
        assigned = [Assignment(a.id, a.story_id or a.id) for a in kept] + plan.assigned
        if not assigned:
            return []
        by_id = {a.id: a for a in batch}
        queued = [_in_story(by_id[a.id], a.story_id) for a in assigned]
        self._index.remember(assigned, now)
        self.syndicated += sum(1 for a in queued if a.story_id != a.id)
        if kept:  # the poll's assignments come earliest first already; given ones join them
            queued.sort(key=lambda a: (a.published_at, a.id))
        return queued


def _in_story(article: Article, story_id: str) -> Article:
    if article.story_id == story_id:
        return article
    return with_story(article, story_id)
