"""Two batches racing on one pair: the state's version lets only one fire the transition."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tensionwatch.handlers.score import pipeline
from tensionwatch.signals.state import PairState
from tests.integration.score.stack import ScoreStack
from tests.integration.score.test_score_handler import ESCALATION, stories


class RacingDyads:
    """A DyadStore whose next state read lets another batch run before it returns, so the
    reader decides on a state that is stale by the time it writes."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.meanwhile: Callable[[], None] | None = None

    def state(self, dyad: str) -> PairState:
        found = self.inner.state(dyad)
        if self.meanwhile is not None:
            run, self.meanwhile = self.meanwhile, None
            run()
        return found  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class RecordingMetrics:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def count(self, name: str, value: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + value


def test_racing_batches_fire_one_state_change(stack: ScoreStack) -> None:
    first = pipeline()
    racing = RacingDyads(first.dyads)
    second = replace(first, metrics=RecordingMetrics())  # the other batch, same tables
    first.dyads = racing  # type: ignore[assignment]
    first.metrics = metrics = RecordingMetrics()
    articles = stories(ESCALATION)
    for article in articles[:2]:
        second.handle(article)
    # Both batches now fold an article that crosses the threshold, interleaved.
    racing.meanwhile = lambda: second.handle(articles[3])
    first.handle(articles[2])
    received = stack.received(stack.all_url)
    assert [(r.alert.kind, r.alert.state_after) for r in received] == [
        ("state_change", "escalating")
    ]
    assert metrics.counts["StateConflicts"] == 1  # the stale write lost, then re-decided
    assert "AlertsFired" not in metrics.counts
    state = first.dyads.state("JP-KR")
    assert state.state == "escalating" and state.pending == frozenset()
