"""Which pairs an article's reading folds into, and how many. Pure.

A reading names every pair its evidence supports (`Score.pairs`, strongest first); each folds
into its own signal with its own direction, score and gravity. An off-topic reading folds into
no pair, whatever countries it names: a match or a market move is not relations between states.
"""

from __future__ import annotations

from dataclasses import dataclass

from tensionwatch.models import PairReading, Score

# Pairs folded per article: each pair costs its own buckets, citation and evaluation (a state
# read, the window's queries, maybe a write) in the same Lambda record. "A, B, C and D cut ties
# with E" is 4 pairs; a story naming more than 6 is a multilateral one (a summit, a bloc's
# statement) whose 7th pair carries a sliver of its evidence. The ones dropped are counted
# (metric `PairsDropped`).
MAX_PAIRS_PER_ARTICLE = 6


@dataclass(frozen=True)
class FoldPlan:
    """The pairs an article folds into (strongest first) and how many were left out."""

    pairs: tuple[PairReading, ...]
    dropped: int = 0
    off_topic: bool = False

    @property
    def dyads(self) -> tuple[str, ...]:
        return tuple(p.dyad for p in self.pairs)


def pair_readings(score: Score) -> tuple[PairReading, ...]:
    """Every pair `score` names, strongest first: none when off-topic; a reading from before
    `pairs` existed (only `dyad`) is its one pair with the article's own direction and score."""
    if not score.relevance.on_topic:
        return ()
    if score.pairs:
        return score.pairs
    if score.dyad is None:
        return ()
    return (
        PairReading(
            dyad=score.dyad,
            direction=score.direction,
            score=score.score,
            share=1.0,
            grave=score.grave,
        ),
    )


def fold_plan(score: Score, limit: int = MAX_PAIRS_PER_ARTICLE) -> FoldPlan:
    """The pairs an article folds into: `pair_readings`, at most `limit`, each pair once."""
    unique: dict[str, PairReading] = {}
    for pair in pair_readings(score):
        unique.setdefault(pair.dyad, pair)  # strongest first: a repeat is the weaker reading
    found = tuple(unique.values())
    return FoldPlan(found[:limit], max(0, len(found) - limit), not score.relevance.on_topic)
