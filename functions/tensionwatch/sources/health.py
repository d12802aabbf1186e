"""Whether a source is failing or has gone quiet for longer than it normally does. Pure.

A source's "normal gap" is learned from its own history: for each UTC day, the longest time
between two polls that brought something newer than anything before. A feed that publishes
every few minutes is unhealthy after hours of nothing; a weekly column is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

FAILING_FOR = timedelta(hours=1)  # every poll failing for an hour is an outage, not a blip
QUIET_DAYS_KEPT = 14  # two weeks of a source's rhythm: weekdays and weekends
MIN_QUIET_DAYS = 3  # fewer days of history say little about a source's normal gap
QUIET_FACTOR = 2.0  # twice its longest recent quiet spell is no longer a slow news day
MIN_SILENCE = timedelta(hours=3)  # below this, a busy feed's ordinary night would page
FIRST_SILENCE = timedelta(hours=24)  # until a source's rhythm is known: a day's grace
DAY_KEY = "%Y-%m-%d"


@dataclass(frozen=True)
class Health:
    """What the poll keeps per source to judge it: since when it is watched, since when it
    fails (and the latest failure), its last poll that brought something new, the newest
    publication time it gave, and its longest quiet spell per UTC day (seconds)."""

    watched_since: datetime | None = None
    failing_since: datetime | None = None
    failure: str = ""
    last_fresh: datetime | None = None
    newest: datetime | None = None
    quiet: Mapping[str, float] = field(default_factory=dict)


def after_poll(
    health: Health, now: datetime, failure: str | None, newest: datetime | None
) -> Health:
    """The health after a poll at `now`: `failure` names a failed query and its reason (None
    when every query succeeded); `newest` is the latest publication time the poll returned."""
    watched = health.watched_since or now
    failing_since = (health.failing_since or now) if failure else None
    kept = replace(health, watched_since=watched, failing_since=failing_since,
                   failure=failure or "")  # fmt: skip
    if newest is None or (health.newest is not None and newest <= health.newest):
        return kept
    gap = (now - (health.last_fresh or watched)).total_seconds()
    return replace(kept, last_fresh=now, newest=newest, quiet=_with_gap(health.quiet, now, gap))


def verdict(health: Health, now: datetime, silence_after: timedelta | None = None) -> str | None:
    """Why the source is unhealthy at `now`, or None: failing for `FAILING_FOR`, or nothing
    new for longer than `silence_after` (when set) or its own learned limit."""
    if health.failing_since is not None and now - health.failing_since >= FAILING_FOR:
        return f"failing since {health.failing_since:%Y-%m-%dT%H:%MZ} ({health.failure})"
    since = health.last_fresh or health.watched_since
    limit = silence_after or silence_limit(health)
    if since is not None and now - since > limit:
        return (f"nothing new for {_hours(now - since)} h "
                f"(its limit: {_hours(limit)} h)")  # fmt: skip
    return None


def silence_limit(health: Health) -> timedelta:
    """How long the source may bring nothing new: `QUIET_FACTOR` times its longest quiet spell
    of the kept days, at least `MIN_SILENCE`; `FIRST_SILENCE` until enough days are known."""
    if len(health.quiet) < MIN_QUIET_DAYS:
        return FIRST_SILENCE
    return max(MIN_SILENCE, QUIET_FACTOR * timedelta(seconds=max(health.quiet.values())))


def _with_gap(quiet: Mapping[str, float], now: datetime, gap: float) -> dict[str, float]:
    first = (now - timedelta(days=QUIET_DAYS_KEPT - 1)).strftime(DAY_KEY)
    kept = {day: seconds for day, seconds in quiet.items() if day >= first}
    today = now.strftime(DAY_KEY)
    kept[today] = max(kept.get(today, 0.0), gap)
    return kept


def _hours(span: timedelta) -> str:
    return f"{span.total_seconds() / 3600:.1f}"
