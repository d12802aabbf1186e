"""Which fetched articles to queue, and under which story: exact dedup against what was queued
before, then syndication."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
from tensionwatch.store.articles import Assignment

LEAD_CHARS = 600  # the lead paragraph, when a source gives body but no summary


class StoryMemory(Protocol):
    """What was queued before and its stories: the poll's band slots (`ArticleStore`), the
    backtest's index in memory. `queued` comes first: it brings the memory up to date."""

    def queued(self, ids: Iterable[str]) -> set[str]: ...
    def story_candidates(self, band_keys: Iterable[str]) -> dict[str, str]: ...
    def story_shingles(self, story_ids: Iterable[str]) -> dict[str, bytes]: ...


@dataclass
class Plan:
    assigned: list[Assignment]  # the articles to queue, earliest first, each with its story
    known: list[str]  # ids queued before: duplicates


def plan_queue(articles: Sequence[Article], memory: StoryMemory) -> Plan:
    """The articles not queued before, each tied to its story (an earlier story found through
    the LSH band index, one new in this batch, or itself)."""
    unique = list({article.id: article for article in articles}.values())
    known = memory.queued(a.id for a in unique)
    fresh = [article for article in unique if article.id not in known]
    return Plan(_assign_stories(fresh, memory), [a.id for a in unique if a.id in known])


def _assign_stories(fresh: list[Article], memory: StoryMemory) -> list[Assignment]:
    # Earliest first, so the first copy published becomes the story whatever the feed order.
    fresh = sorted(fresh, key=lambda article: (article.published_at, article.id))
    sigs = [article_signature(a) for a in fresh]
    prime_band_keys(sigs)
    bands = [sig.band_keys() for sig in sigs]
    # each distinct key asked once: a batch's headlines share many bands
    indexed = memory.story_candidates({key for keys in bands for key in keys})
    stored = {
        story: parsed_signature(raw)
        for story, raw in memory.story_shingles(set(indexed.values())).items()
    }
    in_poll = StoryIndex()
    assigned = []
    for article, sig, found in zip(fresh, sigs, bands, strict=True):
        earlier = set(map(indexed.get, found))  # one C loop, not a lookup and a get a key
        earlier.discard(None)
        earlier.discard(article.id)
        story = _best(sig, {s: stored[s] for s in earlier if s in stored}) or in_poll.match(sig)
        if story is None:
            in_poll.add(article.id, sig)
            assigned.append(Assignment(article.id, article.id, sig.to_bytes(), tuple(found)))
        else:  # only a story's first copy is indexed and stored
            assigned.append(Assignment(article.id, story))
    return assigned


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
