"""Which fetched articles to claim, and under which story: exact dedup, then syndication."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from tensionwatch.models import Article
from tensionwatch.sources.syndication import (
    Signature,
    StoryIndex,
    likenesses,
    parsed_signature,
    prime_band_keys,
    signature,
)
from tensionwatch.store.articles import Claim, SeenRecord

LEAD_CHARS = 600  # the lead paragraph, when a source gives body but no summary


class SeenReader(Protocol):
    def seen(self, ids: Iterable[str]) -> dict[str, SeenRecord]: ...
    def committed(self, runs: Iterable[str]) -> set[str]: ...
    def story_candidates(self, band_keys: Iterable[str]) -> dict[str, str]: ...
    def story_shingles(self, story_ids: Iterable[str]) -> dict[str, bytes]: ...


@dataclass
class Plan:
    claims: list[Claim] = field(default_factory=list)
    duplicates: int = 0
    pending: int = 0
    committed: list[str] = field(default_factory=list)  # ids of the duplicates: queued before


def plan_claims(articles: Sequence[Article], store: SeenReader, stale_before: float) -> Plan:
    """Claims for the articles not queued yet, each tied to its story (an earlier story found
    through the LSH band index, one new in this batch, or itself). A record claimed by an
    unfinished run after `stale_before` (epoch seconds) counts as pending; older, it is retaken."""
    unique = list({article.id: article for article in articles}.values())
    records = store.seen(a.id for a in unique)
    committed = store.committed(r.run for r in records.values())
    plan = Plan()
    fresh: list[tuple[Article, str | None]] = []
    for article in unique:
        record = records.get(article.id)
        if record is None:
            fresh.append((article, None))
        elif record.run in committed:
            plan.duplicates += 1
            plan.committed.append(article.id)
        elif record.claimed_at > stale_before:
            plan.pending += 1
        else:
            fresh.append((article, record.run))
    plan.claims = _assign_stories(fresh, store)
    return plan


def _assign_stories(fresh: list[tuple[Article, str | None]], store: SeenReader) -> list[Claim]:
    # Earliest first, so the first copy published becomes the story whatever the feed order.
    fresh = sorted(fresh, key=lambda pair: (pair[0].published_at, pair[0].id))
    sigs = [article_signature(a) for a, _ in fresh]
    prime_band_keys(sigs)
    bands = [sig.band_keys() for sig in sigs]
    # each distinct key asked once: a batch's headlines share many bands
    indexed = store.story_candidates({key for keys in bands for key in keys})
    stored = {
        story: parsed_signature(raw)
        for story, raw in store.story_shingles(set(indexed.values())).items()
    }
    in_poll = StoryIndex()
    claims = []
    for (article, retake), sig, found in zip(fresh, sigs, bands, strict=True):
        earlier = set(map(indexed.get, found))  # one C loop, not a lookup and a get a key
        earlier.discard(None)
        earlier.discard(article.id)
        story = _best(sig, {s: stored[s] for s in earlier if s in stored}) or in_poll.match(sig)
        if story is None:
            in_poll.add(article.id, sig)
            story, shingles, keys = article.id, sig.to_bytes(), tuple(found)
        else:
            shingles, keys = b"", ()  # only a story's first copy is indexed and stored
        claims.append(
            Claim(article.id, story, article.canonical_url, article.source, shingles, keys,
                  retake)
        )  # fmt: skip
    return claims


def article_signature(article: Article) -> Signature:
    """The syndication signature of `article`: headline, lead (summary, else the body's first
    paragraph) and the outlet's id of its page."""
    lead = article.summary or article.body[:LEAD_CHARS]
    return signature(article.title, lead, article.canonical_url)


def _best(sig: Signature, candidates: dict[str, Signature]) -> str | None:
    """The candidate story `sig` is most surely a copy of, if any."""
    scores = likenesses(sig, candidates.values())
    best = max(scores, default=0.0)
    if best <= 0.0:
        return None
    return max(story for story, score in zip(candidates, scores, strict=True) if score == best)
