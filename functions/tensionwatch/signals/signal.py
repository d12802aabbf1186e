"""`DyadSignal`: a pair's current state and window aggregates, as the API shows them. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from tensionwatch.models import AlertEvidence, Frozen, SignalState, UtcDateTime
from tensionwatch.signals.alerts import MAX_EVIDENCE, ArticleRef
from tensionwatch.signals.state import PairState, Snapshot
from tensionwatch.signals.windows import Window


class WindowAggregate(Frozen):
    name: str = Field(description="'24h', '7d' or the flash window '6h'")
    start: UtcDateTime
    end: UtcDateTime
    articles: int = Field(description="every copy, syndicated ones included")
    stories: int = Field(description="syndicated copies count once")
    outlets: int
    score_sum: float = Field(description="net Goldstein-like score of the stories")
    mean_score: float
    thaw_stories: int
    escalation_stories: int


class DyadSignal(Frozen):
    """A country pair's signal at its latest event time."""

    dyad: str
    state: SignalState
    since: UtcDateTime | None = None
    latest: UtcDateTime | None = Field(default=None, description="latest article folded in")
    departure: float = Field(description="spreads of the decisive window from the baseline")
    baseline_mean: float = Field(description="mean daily net score, 30 days before the window")
    baseline_spread: float = Field(description="its standard deviation, floored")
    windows: tuple[WindowAggregate, ...]
    evidence: tuple[AlertEvidence, ...] = Field(
        default=(), description="the strongest phrases of the decisive window, either way"
    )


def signal_of(
    dyad: str, state: PairState, snap: Snapshot, refs: Sequence[ArticleRef] = ()
) -> DyadSignal:
    """The API's view of a pair from its stored state, a snapshot at its latest time and
    the articles of the decisive window."""
    found = [e for r in refs if not r.is_copy for e in r.evidence]
    found.sort(key=lambda e: -abs(e.weight))
    return DyadSignal(
        dyad=dyad,
        state=state.state,
        since=state.since,
        latest=state.latest,
        departure=round(snap.departure, 3),
        baseline_mean=round(snap.baseline.mean, 3),
        baseline_spread=round(snap.baseline.spread, 3),
        windows=tuple(_aggregate(w) for w in (snap.window, snap.trend, snap.flash)),
        evidence=tuple(found[:MAX_EVIDENCE]),
    )


def _aggregate(window: Window) -> WindowAggregate:
    tally = window.tally
    return WindowAggregate(
        name=window.name,
        start=window.start,
        end=window.end,
        articles=tally.articles,
        stories=tally.stories,
        outlets=len(tally.outlets),
        score_sum=round(tally.score_sum, 3),
        mean_score=round(tally.mean_score, 3),
        thaw_stories=tally.thaw_stories,
        escalation_stories=tally.escalation_stories,
    )
