"""Two configurations' alerts side by side, per pair: which alerts one gained, lost or moved.

An alert of A and one of B are the same alert when they are of one pair, kind and direction,
both a change or both a repeat ("still escalating"), and fired within a day of each other (a
lower threshold fires the same state change a few hours earlier: that is a move, not a loss
and a gain). Matched in time order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

SAME_ALERT_WITHIN = timedelta(hours=24)


class Fired(Protocol):
    """What a comparison needs of an alert (an `Alert`, or a backtest's row of one)."""

    @property
    def id(self) -> str: ...
    @property
    def dyad(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def state_before(self) -> str: ...
    @property
    def state_after(self) -> str: ...
    @property
    def fired_at(self) -> datetime: ...


A = TypeVar("A", bound=Fired)


@dataclass
class PairDiff(Generic[A]):
    dyad: str
    before: int = 0  # alerts under A
    after: int = 0  # alerts under B
    gained: list[A] = field(default_factory=list)  # in B only
    lost: list[A] = field(default_factory=list)  # in A only
    moved: list[tuple[A, A]] = field(default_factory=list)  # (A's, B's), times differ

    @property
    def changed(self) -> bool:
        return bool(self.gained or self.lost or self.moved)


def compare(before: Sequence[A], after: Sequence[A]) -> list[PairDiff[A]]:
    """Per pair (sorted), how `after` differs from `before`."""
    diffs: dict[str, PairDiff[A]] = {}
    groups: dict[tuple[str, str, str, bool], tuple[list[A], list[A]]] = defaultdict(
        lambda: ([], [])
    )
    for side, alerts in enumerate((before, after)):
        for alert in alerts:
            repeat = alert.state_before == alert.state_after
            groups[(alert.dyad, alert.kind, alert.direction, repeat)][side].append(alert)
            diff = diffs.setdefault(alert.dyad, PairDiff(alert.dyad))
            if side:
                diff.after += 1
            else:
                diff.before += 1
    for (dyad, *_), (olds, news) in groups.items():
        _match(diffs[dyad], sorted(olds, key=_when), sorted(news, key=_when))
    return [diffs[dyad] for dyad in sorted(diffs)]


def _match(diff: PairDiff[A], olds: list[A], news: list[A]) -> None:
    unmatched = list(news)
    for old in olds:
        near = [n for n in unmatched if abs(n.fired_at - old.fired_at) <= SAME_ALERT_WITHIN]
        if not near:
            diff.lost.append(old)
            continue
        new = min(near, key=lambda n: abs(n.fired_at - old.fired_at))
        unmatched.remove(new)
        if new.fired_at != old.fired_at:
            diff.moved.append((old, new))
    diff.gained.extend(unmatched)


def _when(alert: Fired) -> tuple[datetime, str]:
    return alert.fired_at, alert.id
