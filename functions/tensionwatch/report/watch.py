"""What a report draws of each pair, recorded while a replay runs. Pure.

`SignalWatch` keeps every pair's hourly and daily tallies as they were folded (the store itself
forgets them once no decision can read them), so a chart can show the decisive window's net
score at any hour with the very `snapshot` the decisions used. It also keeps, per pair and
direction, the closest the pair came to a state change it did not make, and why it did not:
the answer to "it dipped to -9 and nothing fired".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from tensionwatch.models import Direction
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.fold import PairFold, added
from tensionwatch.signals.state import SIGN, PairState, Snapshot, snapshot, target_state
from tensionwatch.signals.windows import SIDES, Tally, hour_of
from tensionwatch.wording import counted


@dataclass(frozen=True)
class Point:
    """A pair's signal at one time: the decisive window's net score and the pair's normal."""

    at: datetime
    net: float
    mean: float
    spread: float


@dataclass(frozen=True)
class NearMiss:
    """The furthest a steady pair's window went in one direction without entering a state."""

    direction: Direction
    at: datetime
    departure: float  # spreads from the baseline, signed
    stories: int  # own stories in that direction in the window
    outlets: int  # outlets with own stories in that direction
    reason: str  # what it lacked, in words


class SignalWatch:
    """A `PairWatcher` for reports."""

    def __init__(self, config: SignalConfig) -> None:
        self.config = config
        self._hours: dict[str, dict[datetime, Tally]] = defaultdict(dict)
        self._days: dict[str, dict[date, Tally]] = defaultdict(dict)
        self.near: dict[str, dict[Direction, NearMiss]] = defaultdict(dict)

    def folded(self, fold: PairFold) -> None:
        hours, days = self._hours[fold.dyad], self._days[fold.dyad]
        hour, day = hour_of(fold.ref.published_at), fold.ref.published_at.date()
        hours[hour] = added(hours.get(hour), fold.tally)
        days[day] = added(days.get(day), fold.tally)

    def deciding(self, dyad: str, snap: Snapshot, state: PairState) -> None:
        if state.state != "steady" or target_state("steady", snap, self.config) != "steady":
            return
        for direction in SIDES:
            pull = SIGN[direction] * snap.departure
            known = self.near[dyad].get(direction)
            # Only a move past the line that ends a state is a call worth explaining.
            if pull >= self.config.exit_margin and (
                known is None or pull > SIGN[direction] * known.departure
            ):
                self.near[dyad][direction] = self._miss(direction, snap)

    def watched(self, dyad: str) -> bool:
        """Whether any story of the pair was folded."""
        return dyad in self._days

    def snapshot(self, dyad: str, at: datetime) -> Snapshot:
        """The pair's windows and baseline at `at`, as a decision then would see them."""
        return snapshot(self._hours.get(dyad, {}), self._days.get(dyad, {}), at, self.config)

    def series(self, dyad: str, times: Iterable[datetime]) -> list[Point]:
        """The pair's signal at each of `times` (sorted), as a decision then would see it."""
        points = []
        for at in sorted(set(times)):
            snap = self.snapshot(dyad, at)
            points.append(Point(at, snap.window.tally.score_sum, snap.baseline.mean,
                                snap.baseline.spread))  # fmt: skip
        return points

    def _miss(self, direction: Direction, snap: Snapshot) -> NearMiss:
        cfg = self.config
        stories, outlet_set = snap.window.tally.side(direction)
        outlets = len(outlet_set)
        pull = SIGN[direction] * snap.departure
        if pull < cfg.enter_margin:
            reason = f"{cfg.enter_margin:g} spreads enter a state"
        elif stories < cfg.min_stories:
            told = counted(stories, f"{direction} story", f"{direction} stories")
            reason = f"{told} in 24 h, {cfg.min_stories} needed"
        else:
            told = counted(outlets, "outlet", "outlets")
            reason = f"{told} with {direction} stories, {cfg.min_outlets} needed"
        return NearMiss(direction, snap.now, round(snap.departure, 2), stories, outlets, reason)
