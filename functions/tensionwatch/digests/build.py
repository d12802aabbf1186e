"""From what the store read of a period to the `Digest` a subscriber receives. Pure.

The numbers are the signal's own (`tensionwatch.signals.windows`): a pair's baseline is the
mean and spread of its daily net score over the `baseline_days` before the period, and a
period of n days is expected to sum to n times the mean, with a spread of sqrt(n) times the
daily one (independent days). A pair has *moved* when its period lies `exit_margin` spreads or
more from that: inside it, the signal itself calls a pair steady.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tensionwatch.digests.model import (
    DAILY_POINTS,
    MAX_ALERTS,
    MAX_PAIRS,
    MAX_STORIES,
    MAX_STORY_EVIDENCE,
    Digest,
    DigestAlert,
    DigestPair,
    DigestStory,
)
from tensionwatch.models import Alert
from tensionwatch.signals.alerts import ArticleRef
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.state import PairState
from tensionwatch.signals.windows import Tally, baseline
from tensionwatch.subscriptions import Subscription

MAX_MOVERS = 5  # the brief's "biggest movers": a handful is what a reader compares
MAX_STORY_PAIRS = 10  # pairs whose articles one digest reads for its top stories


@dataclass(frozen=True)
class PairHistory:
    """What the store read of one pair for a period: its state, the period's hourly buckets
    summed, and its daily buckets from the baseline's first day to the period's last."""

    dyad: str
    state: PairState
    period: Tally
    days: Mapping[date, Tally]


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    @property
    def days(self) -> float:
        return (self.end - self.start) / timedelta(days=1)


def digest_id(subscription_id: str, end: datetime) -> str:
    """The same subscription and period end always give the same id: the notification log's
    key, and the webhook's idempotency key."""
    return "dg_" + hashlib.sha256(f"{subscription_id}|{end.isoformat()}".encode()).hexdigest()[:24]


def summarise(history: PairHistory, period: Period, config: SignalConfig) -> DigestPair:
    """One pair's line of the brief: state, net score against its baseline, daily series."""
    base = baseline(history.days, period.start, config)
    expected = base.mean * period.days
    spread = base.spread * math.sqrt(max(period.days, 1.0))
    net = history.period.score_sum
    last = period.end.date()
    daily = tuple(
        round(history.days[d].score_sum, 2) if d in history.days else 0.0
        for d in (last - timedelta(days=i) for i in range(DAILY_POINTS - 1, -1, -1))
    )
    return DigestPair(
        dyad=history.dyad, state=history.state.state, since=history.state.since,
        net_score=round(net, 2), expected=round(expected, 2),
        departure=round((net - expected) / spread, 2), stories=history.period.stories,
        outlets=len(history.period.outlets), daily=daily,
    )  # fmt: skip


def movers(pairs: Iterable[DigestPair], config: SignalConfig) -> list[str]:
    """The pairs that moved most against their baseline, biggest first."""
    moved = [p for p in pairs if abs(p.departure) >= config.exit_margin]
    moved.sort(key=lambda p: (-abs(p.departure), p.dyad))
    return [p.dyad for p in moved[:MAX_MOVERS]]


def top_stories(refs: Mapping[str, Sequence[ArticleRef]]) -> list[DigestStory]:
    """The strongest stories among the pairs' `refs`, each once (a story about several pairs
    is cited by each): by the size of its act, then by how many outlets carried it."""
    outlets: dict[str, set[str]] = {}
    first: dict[str, tuple[str, ArticleRef]] = {}
    for dyad, found in refs.items():
        for ref in found:
            outlets.setdefault(ref.story_id, set()).add(ref.outlet)
            if not ref.is_copy and ref.direction != "neutral":
                first.setdefault(ref.story_id, (dyad, ref))
    ranked = sorted(first.values(), key=lambda item: (
        -abs(item[1].score), -len(outlets[item[1].story_id]), item[1].published_at))  # fmt: skip
    return [
        DigestStory(dyad=dyad, title=ref.title, url=ref.url, outlet=ref.outlet,
                    published_at=ref.published_at, direction=ref.direction, score=ref.score,
                    outlets=len(outlets[ref.story_id]), evidence=ref.evidence[:MAX_STORY_EVIDENCE])
        for dyad, ref in ranked[:MAX_STORIES]
    ]  # fmt: skip


def story_pairs(
    pairs: Sequence[DigestPair], alerts: Sequence[Alert], config: SignalConfig
) -> list[str]:
    """The pairs whose articles the brief reads for its top stories: the movers and the pairs
    that alerted (the others' stories moved nothing)."""
    wanted = [*movers(pairs, config), *(a.dyad for a in alerts)]
    return list(dict.fromkeys(wanted))[:MAX_STORY_PAIRS]


def build_digest(
    subscription: Subscription,
    period: Period,
    *,
    pairs: Sequence[DigestPair],
    alerts: Sequence[Alert],
    stories: Sequence[DigestStory],
    config: SignalConfig,
) -> Digest:
    """The brief for `subscription` over `period`, within the digest's caps (the rest
    counted). `alerts` are the period's alerts the subscription's filter passes."""
    schedule = subscription.delivery.digest
    if schedule is None:
        raise ValueError(f"subscription {subscription.id} takes no digest")
    moved = movers(pairs, config)
    rank = {dyad: i for i, dyad in enumerate(moved)}
    ordered = sorted(pairs, key=lambda p: (p.state == "steady", rank.get(p.dyad, MAX_PAIRS),
                                           -abs(p.departure), p.dyad))  # fmt: skip
    listed = sorted(alerts, key=lambda a: (a.fired_at, a.id))
    return Digest(
        id=digest_id(subscription.id, period.end), subscription_id=subscription.id,
        cadence=schedule.cadence, timezone=schedule.timezone, period_start=period.start,
        period_end=period.end, quiet=not alerts and not moved,
        pairs=tuple(ordered[:MAX_PAIRS]), more_pairs=max(0, len(ordered) - MAX_PAIRS),
        movers=tuple(moved),
        alerts=tuple(_listed(a, subscription) for a in listed[:MAX_ALERTS]),
        more_alerts=max(0, len(listed) - MAX_ALERTS), stories=tuple(stories[:MAX_STORIES]),
    )  # fmt: skip


def _listed(alert: Alert, subscription: Subscription) -> DigestAlert:
    return DigestAlert(
        id=alert.id, dyad=alert.dyad, kind=alert.kind, direction=alert.direction,
        state_after=alert.state_after, severity=alert.severity, score=alert.score,
        rationale=alert.rationale, fired_at=alert.fired_at,
        sent_at_once=subscription.delivery.at_once(alert.severity),
    )  # fmt: skip


def shrunk(digest: Digest) -> Digest | None:
    """`digest` with a quarter of one list less, the rest counted: the stories first (the
    largest items), then the pairs past the movers, then the alerts; None when nothing is left
    to drop. For channels with a size limit (SNS: 256 KB), called until the message fits."""
    if digest.stories:
        keep = len(digest.stories) * 3 // 4
        return digest.model_copy(update={"stories": digest.stories[:keep]})
    if len(digest.pairs) > MAX_MOVERS:
        keep = max(MAX_MOVERS, len(digest.pairs) * 3 // 4)
        more = digest.more_pairs + len(digest.pairs) - keep
        return digest.model_copy(update={"pairs": digest.pairs[:keep], "more_pairs": more})
    if digest.alerts:
        keep = len(digest.alerts) * 3 // 4
        more = digest.more_alerts + len(digest.alerts) - keep
        return digest.model_copy(update={"alerts": digest.alerts[:keep], "more_alerts": more})
    return None
