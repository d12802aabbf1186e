"""A pair's snapshot kept up to date as its buckets grow and its windows slide, for a home that
holds the buckets between decisions (the backtest's memory store). Pure.

`state.snapshot` sums every bucket of its windows again at each decision (about 40 buckets of
12 fields for a pair's three windows) and places 30 days of the baseline again: half of a
backtest's decision. Here a window's counters are added as a bucket enters its range, taken
off as it leaves and added to as a fold lands (as integers: exact either way), an outlet set
is a count per outlet (an outlet is in the union while a bucket in range holds it), and the
baseline is kept while no day it reads changes. The score sum is summed again over the
window's buckets in the mapping's order, as `total` sums it: float addition is not
associative, and the decision must be the one `state.snapshot` gives (held equal by
tests/unit/signals/test_running.py).
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.state import Snapshot
from tensionwatch.signals.windows import (
    Baseline,
    Tally,
    Window,
    baseline,
    hour_of,
    tally_from_values,
)

Key = TypeVar("Key", datetime, date)  # an hour's bucket or a day's
_FIELDS = fields(Tally)
_SCORE = [f.name for f in _FIELDS].index("score_sum")
_SETS = tuple(i for i, f in enumerate(_FIELDS) if isinstance(f.default, frozenset))
_COUNTERS = tuple(i for i in range(len(_FIELDS)) if i not in _SETS and i != _SCORE)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
Buckets = tuple[Tally, Tally]  # an hour's bucket and a day's


class RunningTotal(Generic[Key]):
    """`windows.total` of the buckets whose keys lie in a range, kept as the range moves
    (`cover`) and its buckets grow (`grow`). Every bucket it counts must stay in the mapping
    until the range has moved past it. A tally's fields are read from its __dict__, in their
    order, as `total` reads them."""

    def __init__(self, step: timedelta) -> None:
        self._step = step  # between two keys: an hour or a day
        self._first: Key | None = None
        self._last: Key | None = None
        self._recount({}, None, None)

    def cover(self, buckets: dict[Key, Tally], first: Key, last: Key) -> None:
        """Count the buckets of [first, last] from here on: those leaving the range are taken
        off and those entering added. A range moving back or past its old end is counted again
        from the buckets, and so is one whose entering buckets are not the mapping's last (its
        order is the score sum's)."""
        old_first, old_last = self._first, self._last
        if first == old_first and last == old_last:
            return
        entering = None
        if (
            old_first is not None
            and old_last is not None
            and old_first <= first <= old_last <= last
        ):
            entering = self._entering(buckets, old_last, last)  # moving on, not past its end
        if entering is None or old_first is None:
            self._recount(buckets, first, last)
            return
        key = old_first
        while key < first:
            if (gone := buckets.get(key)) is not None:
                self._count(key, gone, -1)
            key += self._step
        for key in entering:
            self._count(key, buckets[key], 1)
        self._first, self._last = first, last

    def _entering(self, buckets: dict[Key, Tally], end: Key, last: Key) -> list[Key] | None:
        """The keys after `end` up to `last`, in order, when they are the mapping's last keys
        in that order (as a mapping that grows with time has them); else None."""
        entering: list[Key] = []
        key = end + self._step
        while key <= last:
            if key in buckets:
                entering.append(key)
            key += self._step
        if not entering:
            return entering
        tail = list(itertools.islice(reversed(buckets), len(entering)))
        return entering if tail[::-1] == entering else None

    def grow(self, key: Key, before: Tally | None, after: Tally) -> None:
        """The bucket of `key` went from `before` (None: there was none) to `after`."""
        if self._first is None or self._last is None or not self._first <= key <= self._last:
            return
        if before is None:  # a new bucket: the mapping's last
            self._count(key, after, 1)
            return
        self._scores[key] = after.score_sum
        old, new, values = (
            list(before.__dict__.values()),
            list(after.__dict__.values()),
            self._values,
        )
        for i in _COUNTERS:
            values[i] += new[i] - old[i]
        for i in _SETS:
            if len(new[i]) != len(old[i]):  # a bucket's sets only grow
                for member in new[i] - old[i]:
                    self._add_member(i, member)

    def total(self) -> Tally:
        """What `windows.total` gives over the buckets in range."""
        if not self._scores:
            return Tally()
        values = self._values
        values[_SCORE] = sum(self._scores.values())  # in the mapping's order, as `total` adds
        for i in _SETS:
            if values[i] is None:
                values[i] = frozenset(self._members[i])
        return tally_from_values(values)

    def _recount(self, buckets: dict[Key, Tally], first: Key | None, last: Key | None) -> None:
        # each bucket in range: its score sum, in the mapping's order (`total` adds them so)
        self._scores: dict[Key, float] = {}
        # the total's fields in order: counters, and each outlet set while it is unchanged
        self._values: list[Any] = [0] * len(_FIELDS)
        for i in _SETS:
            self._values[i] = frozenset()
        # how many buckets in range hold each outlet, per set field
        self._members: dict[int, Counter[str]] = {i: Counter() for i in _SETS}
        self._first, self._last = first, last
        if first is None or last is None:
            return
        for key, tally in buckets.items():
            if first <= key <= last:
                self._count(key, tally, 1)

    def _count(self, key: Key, tally: Tally, sign: int) -> None:
        """Add (`sign` 1) or take off (-1) the whole bucket of `key`."""
        if sign > 0:
            self._scores[key] = tally.score_sum
        else:
            del self._scores[key]
        found, values = list(tally.__dict__.values()), self._values
        for i in _COUNTERS:
            values[i] += sign * found[i]
        for i in _SETS:
            for member in found[i]:
                if sign > 0:
                    self._add_member(i, member)
                else:
                    self._drop_member(i, member)

    def _add_member(self, field: int, member: str) -> None:
        members = self._members[field]
        members[member] += 1
        if members[member] == 1:
            self._values[field] = None  # the set changed: made again when asked

    def _drop_member(self, field: int, member: str) -> None:
        members = self._members[field]
        members[member] -= 1
        if not members[member]:
            del members[member]
            self._values[field] = None


@dataclass
class RunningSnapshot:
    """`state.snapshot` of one pair's buckets, kept between its decisions: told of every fold
    (`folded`) before the buckets holding it are read (`snapshot`). A bucket must stay in its
    mapping while a window at the last `snapshot`'s time still covers it."""

    config: SignalConfig
    _window: RunningTotal[datetime] = field(default_factory=lambda: RunningTotal(HOUR))
    _flash: RunningTotal[datetime] = field(default_factory=lambda: RunningTotal(HOUR))
    _trend: RunningTotal[date] = field(default_factory=lambda: RunningTotal(DAY))
    _baseline: tuple[date, Baseline] | None = None  # the last day it reads, and it

    def folded(
        self, hour: datetime, day: date, before: tuple[Tally | None, Tally | None], after: Buckets
    ) -> None:
        """A fold changed the buckets of `hour` and `day` from `before` to `after` (each the
        hour's and the day's; None where there was none)."""
        self._window.grow(hour, before[0], after[0])
        self._flash.grow(hour, before[0], after[0])
        self._trend.grow(day, before[1], after[1])
        self.days_changed(day)

    def days_changed(self, day: date) -> None:
        """The bucket of `day` changed or went: a baseline reading it is read again."""
        if self._baseline is not None and day <= self._baseline[0]:
            self._baseline = None

    def snapshot(
        self, hours: dict[datetime, Tally], days: dict[date, Tally], now: datetime
    ) -> Snapshot:
        """What `state.snapshot(hours, days, now, config)` gives."""
        cfg, last = self.config, hour_of(now)
        window = self._hourly(self._window, f"{cfg.window_hours}h", hours, now,
                              cfg.window_hours, last=last)  # fmt: skip
        last_day = now.date()
        first_day = last_day - timedelta(days=cfg.trend_days - 1)
        self._trend.cover(days, first_day, last_day)
        start = datetime.combine(first_day, datetime.min.time(), tzinfo=now.tzinfo)
        trend = Window(f"{cfg.trend_days}d", start, now, self._trend.total())
        flash = self._hourly(self._flash, f"{cfg.flash_window_hours}h", hours, now,
                             cfg.flash_window_hours, last=last)  # fmt: skip
        before = window.start.date() - DAY  # the baseline's last day
        if self._baseline is None or self._baseline[0] != before:
            self._baseline = (before, baseline(days, window.start, cfg))
        return Snapshot(now, window, trend, flash, self._baseline[1])

    @staticmethod
    def _hourly(
        running: RunningTotal[datetime],
        name: str,
        hours: dict[datetime, Tally],
        now: datetime,
        n: int,
        *,
        last: datetime,
    ) -> Window:
        """The window of `n` hours up to `now`, whose hour is `last`."""
        start = last - timedelta(hours=n - 1)
        running.cover(hours, start, last)
        return Window(name, start, now, running.total())
