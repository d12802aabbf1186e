"""A pair's state and the decision that moves it: hysteresis, repeats, flashes. Pure.

The decision sees one snapshot of the pair at its event time and returns the next state with
the alerts it fires; the store writes both at once on the state's version, so two batches can
never fire the same transition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from tensionwatch.models import AlertKind, Direction, SignalState
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.windows import (
    SIDES,
    Baseline,
    Tally,
    Window,
    baseline,
    daily_window,
    hourly_window,
)

STATE_OF: dict[Direction, SignalState] = {"thaw": "thawing", "escalation": "escalating"}
DIRECTION_OF: dict[SignalState, Direction] = {"thawing": "thaw", "escalating": "escalation",
                                             "steady": "neutral"}  # fmt: skip
SIGN: dict[Direction, int] = {"thaw": 1, "escalation": -1, "neutral": 0}


@dataclass(frozen=True)
class PairState:
    """What is kept per pair between evaluations."""

    state: SignalState = "steady"
    since: datetime | None = None  # when the current state was entered (event time)
    latest: datetime | None = None  # the latest published_at folded in: the pair's "now"
    version: int = 0  # bumped by every write; writes are conditional on it
    last_sent: datetime | None = None  # last alert for the current state (repeat interval)
    thaw_flash_at: datetime | None = None
    escalation_flash_at: datetime | None = None
    pending: frozenset[str] = frozenset()  # alert ids recorded but not yet published

    def flash_at(self, direction: Direction) -> datetime | None:
        return self.thaw_flash_at if direction == "thaw" else self.escalation_flash_at


@dataclass(frozen=True)
class Snapshot:
    """The pair at `now`: the decisive window, the trend, the flash window and the baseline."""

    now: datetime
    window: Window
    trend: Window
    flash: Window
    baseline: Baseline

    @property
    def departure(self) -> float:
        return self.baseline.departure(self.window.tally.score_sum)


@dataclass(frozen=True)
class Intent:
    """An alert to fire, before evidence is attached."""

    kind: AlertKind
    direction: Direction
    state_before: SignalState
    state_after: SignalState
    window: Window
    departure: float
    since: datetime | None = None  # for resolved notices: when the ended state began


@dataclass(frozen=True)
class Decision:
    state: PairState
    intents: tuple[Intent, ...]


def target_state(current: SignalState, snap: Snapshot, config: SignalConfig) -> SignalState:
    """The state the snapshot supports: entering needs ENTER spreads and independent support,
    staying needs only EXIT spreads in the same direction."""
    z = snap.departure
    for direction in SIDES:
        stories, outlets = snap.window.tally.side(direction)
        if (SIGN[direction] * z >= config.enter_margin and stories >= config.min_stories
                and len(outlets) >= config.min_outlets):  # fmt: skip
            return STATE_OF[direction]
    if current != "steady" and SIGN[DIRECTION_OF[current]] * z >= config.exit_margin:
        return current
    return "steady"


def pair_now(latest: datetime | None, at: datetime, ceiling: datetime | None = None) -> datetime:
    """The pair's clock once an article published `at` is folded in: the later of the two,
    never past `ceiling` (the wall clock plus a skew, where there is one). Sources clamp
    future dates already; the ceiling keeps one that slipped through (an old queued article,
    a replayed archive) from carrying the pair's windows ahead of the news for good, and
    brings back a clock carried there before."""
    now = max(latest, at) if latest else at
    return min(now, ceiling) if ceiling else now


def decide(prev: PairState, snap: Snapshot, config: SignalConfig) -> Decision:
    """The next state of the pair and the alerts that fire on the way there; `snap.now` is
    the pair's clock from here on (`pair_now`)."""
    state = changed(prev, latest=snap.now)
    intents: list[Intent] = []
    target = target_state(prev.state, snap, config)
    if target != prev.state:
        state = changed(state, state=target, since=snap.now, last_sent=snap.now)
        intents.append(_change(prev, target, snap))
    elif target != "steady" and _due(prev.last_sent, snap.now, config.repeat_interval_hours):
        state = changed(state, last_sent=snap.now)
        intents.append(Intent("state_change", DIRECTION_OF[target], target, target,
                              snap.window, snap.departure))  # fmt: skip
    for intent in intents:
        if intent.kind == "state_change" and intent.state_before != intent.state_after:
            # Inhibition (Alertmanager), held for the flash cooldown: a state change into a
            # direction already says what a flash in that direction would.
            state = _flashed(state, intent.direction, snap.now)
    for direction in SIDES:
        if _flashes(state, snap, direction, config):
            state = _flashed(state, direction, snap.now)
            intents.append(Intent("flash", direction, state.state, state.state, snap.flash,
                                  snap.departure))  # fmt: skip
    return Decision(state, tuple(intents))


def _flashed(state: PairState, direction: Direction, at: datetime) -> PairState:
    if direction == "thaw":
        return changed(state, thaw_flash_at=at)
    return changed(state, escalation_flash_at=at)


_STATE_FIELDS = frozenset(f.name for f in fields(PairState))


def changed(before: PairState, /, **changes: object) -> PairState:
    """`dataclasses.replace(before, **changes)`, without its field-by-field `__init__` (a
    frozen dataclass sets each of its eight fields through `object.__setattr__`): every
    decision makes one or two. Raises TypeError for a name that is not a field, as it does."""
    if not changes.keys() <= _STATE_FIELDS:
        raise TypeError(f"PairState has no field {sorted(changes.keys() - _STATE_FIELDS)}")
    new = object.__new__(PairState)
    values = new.__dict__
    values.update(before.__dict__)
    values.update(changes)
    return new


def _change(prev: PairState, target: SignalState, snap: Snapshot) -> Intent:
    if target == "steady":
        return Intent("resolved", DIRECTION_OF[prev.state], prev.state, target, snap.window,
                      snap.departure, since=prev.since)  # fmt: skip
    return Intent("state_change", DIRECTION_OF[target], prev.state, target, snap.window,
                  snap.departure)  # fmt: skip


def _due(last: datetime | None, now: datetime, hours: int) -> bool:
    return last is None or now - last >= timedelta(hours=hours)


def _flashes(state: PairState, snap: Snapshot, direction: Direction, cfg: SignalConfig) -> bool:
    tally = snap.flash.tally
    peaks = tally.thaw_peaks if direction == "thaw" else tally.escalation_peaks
    corroborating = (tally.thaw_corroborating if direction == "thaw"
                     else tally.escalation_corroborating)  # fmt: skip
    # Inhibition (Alertmanager): a pair already in this direction says what a flash would.
    return (state.state != STATE_OF[direction] and peaks >= 1
            and len(corroborating) >= cfg.flash_min_outlets
            and _due(state.flash_at(direction), snap.now, cfg.flash_cooldown_hours))  # fmt: skip


def snapshot(
    hours: Mapping[datetime, Tally], days: Mapping[date, Tally], now: datetime, cfg: SignalConfig
) -> Snapshot:
    """The pair at `now` from its hourly and daily buckets."""
    window = hourly_window(f"{cfg.window_hours}h", hours, now, cfg.window_hours)
    return Snapshot(
        now=now,
        window=window,
        trend=daily_window(f"{cfg.trend_days}d", days, now, cfg.trend_days),
        flash=hourly_window(f"{cfg.flash_window_hours}h", hours, now, cfg.flash_window_hours),
        baseline=baseline(days, window.start, cfg),
    )
