"""Buckets, windows and the baseline of a pair's signal. Pure.

An article adds a `Tally` to its hour's and its day's bucket; every field is a counter, a sum or a
set, so the store can apply it with DynamoDB `ADD` (commutative: concurrent batches and any
arrival order give the same totals). Windows are sums of buckets ending at the pair's event time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Any

from tensionwatch.models import Direction
from tensionwatch.signals.config import SignalConfig

SIDES: tuple[Direction, Direction] = ("thaw", "escalation")


@dataclass(frozen=True)
class Tally:
    """What a bucket or a window holds. Sets are outlet names."""

    articles: int = 0  # every copy
    stories: int = 0  # first copies only: syndication does not inflate the signal
    score_sum: float = 0.0  # net Goldstein-like score of the stories
    thaw_stories: int = 0
    escalation_stories: int = 0
    thaw_peaks: int = 0  # grave stories at or beyond the flash score
    escalation_peaks: int = 0
    outlets: frozenset[str] = frozenset()
    thaw_outlets: frozenset[str] = frozenset()
    escalation_outlets: frozenset[str] = frozenset()
    thaw_corroborating: frozenset[str] = frozenset()  # outlets with a strong report
    escalation_corroborating: frozenset[str] = frozenset()

    def __add__(self, other: Tally) -> Tally:
        return tally_from_values(summed(self, other))

    def side(self, direction: Direction) -> tuple[int, frozenset[str]]:
        """Stories and outlets that reported in `direction`."""
        if direction == "thaw":
            return self.thaw_stories, self.thaw_outlets
        return self.escalation_stories, self.escalation_outlets

    @property
    def mean_score(self) -> float:
        return self.score_sum / self.stories if self.stories else 0.0


_NAMES = tuple(f.name for f in fields(Tally))
_VALUES = attrgetter(*_NAMES)
_IS_SET = tuple(isinstance(f.default, frozenset) for f in fields(Tally))
_NO_OUTLETS: frozenset[str] = frozenset()


def contribution(
    direction: Direction,
    score: float,
    outlet: str,
    *,
    copy: bool,
    grave: bool,
    config: SignalConfig,
) -> Tally:
    """The tally one article adds. A syndicated copy (`copy`, carrying its story's reading)
    adds itself and its outlet but no story, sum or peak: it is no independent story, so it
    never supports a state change. Another outlet running a strong story does corroborate it,
    so a copy's outlet counts towards a flash. A peak (what a flash rests on) needs a `grave`
    act as well as the score: force, invasion, cut ties, sanctions, a peace deal. Magnitude
    alone is not enough; a loud tariff row or a misread headline must not page anyone."""
    strong = direction in SIDES and abs(score) >= config.flash_corroborate_score
    sided = direction in SIDES and not copy
    peak = sided and grave and abs(score) >= config.flash_score
    thaw, escalation = direction == "thaw", direction == "escalation"
    one = frozenset({outlet})
    # Tally's fields in their order, built as `tally_from_values` builds them: every fold
    # makes one
    return tally_from_values((
        1,  # articles
        0 if copy else 1,  # stories
        0.0 if copy else round(score, 3),  # score_sum
        int(sided and thaw),  # thaw_stories
        int(sided and escalation),  # escalation_stories
        int(peak and thaw),  # thaw_peaks
        int(peak and escalation),  # escalation_peaks
        one,  # outlets
        one if sided and thaw else _NO_OUTLETS,  # thaw_outlets
        one if sided and escalation else _NO_OUTLETS,  # escalation_outlets
        one if strong and thaw else _NO_OUTLETS,  # thaw_corroborating
        one if strong and escalation else _NO_OUTLETS,  # escalation_corroborating
    ))  # fmt: skip


def total(tallies: Iterable[Tally]) -> Tally:
    """The sum of `tallies` (the empty tally for none): counters and sums add, outlet sets
    unite, the same algebra as DynamoDB ADD. Field by field, in one pass: a decision sums
    about 40 buckets and this is the signal's hot loop. A tally's __dict__ holds its fields
    in their order (`__init__` and `tally_from_values` set it so) and reads twice as fast as
    getting them one by one; a tally holding anything else fails the zips."""
    rows = [tally.__dict__.values() for tally in tallies]
    if not rows:
        return Tally()
    values: list[Any] = [_NO_OUTLETS.union(*column) if is_set else sum(column)
                         for column, is_set in zip(zip(*rows, strict=True), _IS_SET,
                                                   strict=True)]  # fmt: skip
    return tally_from_values(values)


def summed(first: Tally, second: Tally) -> list[Any]:
    """The values of `total((first, second))`, field by field without its general loop (a fold
    adds to two buckets); 0 + a + b is what its sum gives, to the sign of a zero."""
    pairs = zip(_VALUES(first), _VALUES(second), _IS_SET, strict=True)
    return [a | b if is_set else 0 + a + b for a, b, is_set in pairs]


def tally_from_values(values: Iterable[Any]) -> Tally:
    """`Tally(*values)`, built without the frozen dataclass's field-by-field __setattr__: a
    decision builds about six (its windows, its buckets after the fold)."""
    tally = object.__new__(Tally)
    tally.__dict__.update(zip(_NAMES, values, strict=True))
    return tally


def hour_of(at: datetime) -> datetime:
    """The start of `at`'s hour: the key of its bucket."""
    return at.replace(minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class Window:
    name: str  # "24h", "7d", "6h"
    start: datetime
    end: datetime
    tally: Tally


def hourly_window(name: str, hours: Mapping[datetime, Tally], end: datetime, n: int) -> Window:
    """The last `n` hourly buckets up to and including `end`'s hour."""
    last = hour_of(end)
    start = last - timedelta(hours=n - 1)
    return Window(name, start, end, total([t for h, t in hours.items() if start <= h <= last]))


def daily_window(name: str, days: Mapping[date, Tally], end: datetime, n: int) -> Window:
    """The last `n` daily buckets up to and including `end`'s day."""
    last = end.date()
    first = last - timedelta(days=n - 1)
    start = datetime.combine(first, datetime.min.time(), tzinfo=end.tzinfo)
    return Window(name, start, end, total([t for d, t in days.items() if first <= d <= last]))


@dataclass(frozen=True)
class Baseline:
    """Mean and spread of the daily net score before the window; spread has its floor."""

    mean: float = 0.0
    spread: float = 1.0
    days: int = 0
    daily: tuple[float, ...] = field(default=(), repr=False)

    def departure(self, net: float) -> float:
        """How many spreads `net` lies from the mean (negative: towards escalation)."""
        return (net - self.mean) / self.spread


def baseline(days: Mapping[date, Tally], window_start: datetime, config: SignalConfig) -> Baseline:
    """The baseline over `config.baseline_days` whole days before the window's first day;
    a day without a bucket had no news about the pair and counts as 0."""
    last = window_start.date() - timedelta(days=1)
    # daily[i] is day `last - i`'s sum, placed from the buckets given (a pair's store holds
    # about as many as the span; a day by day lookup costs twice as much)
    daily = [0.0] * config.baseline_days
    for day, tally in days.items():
        back = (last - day).days
        if 0 <= back < config.baseline_days:
            daily[back] = tally.score_sum
    mean = sum(daily) / len(daily)
    std = math.sqrt(sum([(x - mean) ** 2 for x in daily]) / len(daily))
    return Baseline(mean, max(std, config.min_spread), len(daily), tuple(daily))
