"""When a subscription's digest is due: daily at a local time, or weekly on a weekday, in an
IANA time zone. Pure (zoneinfo reads the time zone database, nothing else).

A digest is due once per local date (daily) or per local week (weekly), at `at` on that date in
`timezone`. Around DST changes (PEP 495 semantics, fold=0):
- a time that does not exist that day (the spring gap, 01:30 in London on the last Sunday of
  March) is due at the same wall-clock distance after the gap's start: 02:30 BST, once;
- a time that happens twice (the autumn overlap, 01:30 in New York on the first Sunday of
  November) is due at its first occurrence, once.
So each local date yields exactly one instant, and consecutive instants are 23-25 hours apart
for a daily digest: none skipped, none doubled.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from tensionwatch.models import Frozen

Cadence = Literal["daily", "weekly"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday",
                                 "saturday", "sunday")  # fmt: skip
# The digest schedule ticks every 15 minutes (template.yaml, DigestFunction), so a digest time
# on the quarter hour goes out on its tick, not up to 14 minutes late.
TICK_MINUTES = 15
_AT = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# IANA names: Area/Location[/Sub], or a bare name such as UTC. Checked before zoneinfo sees the
# text, so no path or odd character reaches the file system.
_ZONE = re.compile(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$")


class DigestSchedule(Frozen):
    """When a digest goes out: `at` local time, `weekday` for weekly ones, in `timezone`."""

    cadence: Cadence = "daily"
    at: str = Field(default="08:00", description="local time HH:MM, on a quarter hour")
    weekday: Weekday | None = Field(default=None, description="weekly digests only")
    timezone: str = Field(default="UTC", description="IANA time zone, e.g. 'Europe/London'")

    @field_validator("at")
    @classmethod
    def _quarter_hour(cls, value: str) -> str:
        found = _AT.match(value)
        if not found:
            raise ValueError("not a time like '08:00' (24-hour HH:MM)")
        if int(found[2]) % TICK_MINUTES:
            raise ValueError("digests go out on the quarter hour (:00, :15, :30, :45)")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if len(value) > 64 or not _ZONE.match(value):
            raise ValueError("not an IANA time zone name like 'Europe/London'")
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not an IANA time zone name like 'Europe/London'") from None
        return value

    @model_validator(mode="after")
    def _weekday_for_weekly(self) -> Self:
        if self.cadence == "weekly" and self.weekday is None:
            raise ValueError("weekday: a weekly digest needs a weekday")
        if self.cadence == "daily" and self.weekday is not None:
            raise ValueError("weekday: only weekly digests take a weekday")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def due_on(self, day: date) -> datetime | None:
        """The UTC instant the digest of local date `day` is due; None when none is due that
        day (a weekly digest on another weekday)."""
        if self.weekday is not None and WEEKDAYS[day.weekday()] != self.weekday:
            return None
        hour, minute = (int(part) for part in self.at.split(":"))
        # fold=0: the first of two occurrences; a time in a gap resolves past the gap.
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)

    def due_between(self, after: datetime, until: datetime) -> list[datetime]:
        """Every instant the digest is due in (`after`, `until`], oldest first."""
        zone = self.zone
        day = after.astimezone(zone).date() - timedelta(days=1)
        last = until.astimezone(zone).date() + timedelta(days=1)
        found: list[datetime] = []
        while day <= last:
            due = self.due_on(day)
            if due is not None and after < due <= until and due not in found:
                found.append(due)
            day += timedelta(days=1)
        return found

    def period_ending(self, end: datetime) -> tuple[datetime, datetime]:
        """The period a digest due at `end` covers: from the previous due instant to `end`
        (23 to 25 hours for a daily digest across a DST change, a week for a weekly one)."""
        span = timedelta(days=7 if self.cadence == "weekly" else 1)
        earlier = self.due_between(end - span - timedelta(days=2), end - timedelta(seconds=1))
        return (earlier[-1] if earlier else end - span), end
