"""When a pair was escalating or thawing, read off its alerts. Pure.

Every change of state fires an alert (a state change into escalating or thawing, a resolved
notice back to steady), so the alerts alone say the periods; a chart and a summary need
nothing else from the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from tensionwatch.models import SignalState


class Change(Protocol):
    """What a period needs of an alert (an `Alert`, or a backtest's row of one)."""

    @property
    def fired_at(self) -> datetime: ...
    @property
    def state_before(self) -> SignalState: ...
    @property
    def state_after(self) -> SignalState: ...


@dataclass(frozen=True)
class Period:
    state: SignalState
    start: datetime
    end: datetime  # the change that ended it, or the end of the replay

    @property
    def length(self) -> timedelta:
        return self.end - self.start


def state_periods(alerts: Sequence[Change], end: datetime) -> list[Period]:
    """The periods one pair's `alerts` spent escalating or thawing, in time order, up to
    `end`."""
    periods: list[Period] = []
    state: SignalState = "steady"
    since: datetime | None = None
    for alert in sorted(alerts, key=lambda a: a.fired_at):
        if alert.state_before == alert.state_after:
            continue  # repeats and flashes move no state
        if state != "steady" and since is not None:
            periods.append(Period(state, since, alert.fired_at))
        state, since = alert.state_after, alert.fired_at
    if state != "steady" and since is not None:
        periods.append(Period(state, since, max(end, since)))
    return periods


def time_in(periods: Sequence[Period], state: SignalState) -> timedelta:
    """How long the periods spent in `state`."""
    return sum((p.length for p in periods if p.state == state), timedelta())
