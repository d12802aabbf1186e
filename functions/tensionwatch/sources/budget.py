"""Whether a source may poll now: its daily request budget, spread over the day, and the waits
its API asked for. Pure: values in, values out; the poll stores the `Ledger` between runs.

The budget holds over any 24 hours, not per calendar day: NewsAPI does not say when its day
starts, and a rolling window is within every daily quota whatever its reset time. Requests are
counted per UTC hour; the `HOURS_KEPT` latest hours cover any 24-hour window that ends now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

HOURS_KEPT = 25  # a 24 h window starting mid-hour touches 25 hour buckets
WINDOW = timedelta(hours=HOURS_KEPT)
HOUR_KEY = "%Y%m%d%H"

SkipReason = Literal["spread", "budget", "retry_after"]


@dataclass(frozen=True)
class Budget:
    """A source's allowance: requests in any 24 hours (None: unlimited), the requests one poll
    makes when nothing is retried, and the most it can make with every retry."""

    requests_per_day: int | None = None
    requests_per_poll: int = 1
    most_per_poll: int = 1

    @property
    def poll_gap(self) -> timedelta:
        """The least time between two polls that keeps a day of polls inside the budget with
        room left for one poll's retries."""
        if self.requests_per_day is None:
            return timedelta(0)
        spare = self.requests_per_day - (self.most_per_poll - self.requests_per_poll)
        polls = max(1, spare // self.requests_per_poll)
        return WINDOW / polls


@dataclass(frozen=True)
class Ledger:
    """What a source spent: its last poll, the time its API asked it to wait for, and its
    requests per UTC hour over the last `HOURS_KEPT` hours."""

    last_poll: datetime | None = None
    not_before: datetime | None = None
    hours: Mapping[str, int] = field(default_factory=dict)

    def used(self, now: datetime) -> int:
        """Requests counted in the hours that a 24-hour window ending `now` can touch."""
        first = _window_start(now)
        return sum(count for hour, count in self.hours.items() if hour >= first)


@dataclass(frozen=True)
class Skip:
    """Why a source is not polled now, and when it may be."""

    reason: SkipReason
    until: datetime

    def __str__(self) -> str:
        return f"{self.reason} until {self.until:%Y-%m-%dT%H:%M:%SZ}"


def skip(ledger: Ledger, budget: Budget, now: datetime) -> Skip | None:
    """Why the source must wait at `now`, or None when it may poll."""
    if ledger.not_before is not None and now < ledger.not_before:
        return Skip("retry_after", ledger.not_before)
    if budget.requests_per_day is None:
        return None
    if ledger.last_poll is not None and now < ledger.last_poll + budget.poll_gap:
        return Skip("spread", ledger.last_poll + budget.poll_gap)
    if ledger.used(now) + budget.most_per_poll > budget.requests_per_day:
        return Skip("budget", _frees_at(ledger, now))
    return None


def record(ledger: Ledger, now: datetime, requests: int, asked_wait: float | None) -> Ledger:
    """The ledger after a poll at `now` that made `requests` requests and whose answers asked
    to wait `asked_wait` seconds at most (Retry-After)."""
    first = _window_start(now)
    hours = {hour: count for hour, count in ledger.hours.items() if hour >= first}
    key = now.strftime(HOUR_KEY)
    if requests:
        hours[key] = hours.get(key, 0) + requests
    not_before = now + timedelta(seconds=asked_wait) if asked_wait else None
    return replace(ledger, last_poll=now, not_before=not_before, hours=hours)


def _frees_at(ledger: Ledger, now: datetime) -> datetime:
    """When the oldest hour still counted leaves the window (one hour may not free enough;
    the next poll then asks again)."""
    first = _window_start(now)
    oldest = min((hour for hour in ledger.hours if hour >= first), default=first)
    start = datetime.strptime(oldest, HOUR_KEY).replace(tzinfo=now.tzinfo)
    return max(start + WINDOW, now)


def _window_start(now: datetime) -> str:
    """The key of the oldest hour a 24-hour window ending `now` touches."""
    return (now - timedelta(hours=HOURS_KEPT - 1)).strftime(HOUR_KEY)
