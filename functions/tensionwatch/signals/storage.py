"""What the score service needs of the places a signal lives, and nothing more. Pure.

One decision, two homes: `tensionwatch.pipeline.score.ScorePipeline` folds, decides, records
and publishes through these protocols. In Lambda they are the DynamoDB and SNS adapters
(`tensionwatch.store`); in a backtest they are dicts in memory
(`tensionwatch.backtest.memory`). Neither home decides anything: a contract test runs one
stream through both and asserts identical alerts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Literal, Protocol

from tensionwatch.models import Alert, Article, Score, Silence
from tensionwatch.signals.alerts import ArticleRef
from tensionwatch.signals.pairs import FoldPlan
from tensionwatch.signals.state import PairState, Snapshot

Status = Literal["recorded", "publishing", "published", "silenced"]
# Conditional writes of a pair's state, or of one of its days, lost to concurrent runs before
# the record fails (and SQS retries it).
MAX_ATTEMPTS = 5


class StateConflict(Exception):
    """The pair's state, or one of its days, kept moving under this record; SQS will retry
    it."""


class Commit(Enum):
    DONE = "done"
    CONFLICT = "conflict"  # another batch moved the state first: read again, decide again
    DUPLICATE = "duplicate"  # one of the alerts is already recorded under its id


@dataclass(frozen=True)
class AlertRecord:
    alert: Alert
    status: Status
    silenced_by: str | None = None
    message_id: str | None = None


class PairStore(Protocol):
    """Each pair's buckets, citations and state."""

    def fold(self, article: Article, score: Score, plan: FoldPlan) -> bool:
        """Fold an article (a syndicated copy as a copy: `fold.article_folds`) into the pairs
        of `plan`, once; False for a redelivery of one that folds into a pair."""
        ...

    def state(self, dyad: str) -> PairState:
        """The pair's state; the initial state for a pair never seen."""
        ...

    def snapshot(self, dyad: str, now: datetime) -> Snapshot:
        """The pair's windows and baseline ending at `now`."""
        ...

    def articles(self, dyad: str, start: datetime, end: datetime) -> list[ArticleRef]:
        """The citations of the pair's articles published in [start, end]."""
        ...

    def commit(
        self, dyad: str, prev: PairState, new: PairState, alerts: Sequence[Alert] = ()
    ) -> Commit:
        """Write `new` over `prev` and record `alerts` (their ids pending) all at once."""
        ...

    def clear_pending(self, dyad: str, alert_id: str) -> None:
        """Forget a pending alert id once it is published or silenced."""
        ...


class AlertLedger(Protocol):
    """The alert log: each alert recorded once, published or silenced once."""

    def get(self, alert_id: str) -> AlertRecord | None: ...

    def claim(self, alert_id: str, now: float, lease_seconds: float) -> Alert | None:
        """The alert when this run may publish it; None when another holds it or it is done."""
        ...

    def release(self, alert_id: str) -> None: ...

    def mark_published(self, alert_id: str, message_id: str) -> None: ...

    def mark_silenced(self, alert_id: str, silence_id: str) -> None: ...


class SilenceList(Protocol):
    def active(self, at: datetime) -> list[Silence]:
        """The silences in force at `at` (event time)."""
        ...


class AlertPublisher(Protocol):
    def publish(self, alert: Alert) -> str:
        """Send `alert` to its subscribers; the message id."""
        ...
