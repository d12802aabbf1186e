"""Digest schedule math: one digest per local date (or week) at its local time, across DST."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from tensionwatch.digests.schedule import DigestSchedule

LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")


def local(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


@pytest.mark.parametrize(
    ("zone", "start", "change"),
    [
        ("Europe/London", datetime(2026, 3, 20, tzinfo=UTC), "2026-03-29"),  # BST begins
        ("Europe/London", datetime(2026, 10, 17, tzinfo=UTC), "2026-10-25"),  # BST ends
        ("America/New_York", datetime(2026, 3, 1, tzinfo=UTC), "2026-03-08"),  # EDT begins
        ("America/New_York", datetime(2026, 10, 25, tzinfo=UTC), "2026-11-01"),  # EDT ends
    ],
)
def test_a_daily_digest_comes_once_a_local_day_at_its_local_time_across_dst(
    zone: str, start: datetime, change: str
) -> None:
    schedule = DigestSchedule(cadence="daily", at="08:00", timezone=zone)
    due = schedule.due_between(start, start + timedelta(days=14))
    days = [d.astimezone(ZoneInfo(zone)).date().isoformat() for d in due]
    assert len(due) == 14 and len(set(days)) == 14, "one per local date, none skipped"
    assert change in days
    assert {d.astimezone(ZoneInfo(zone)).strftime("%H:%M") for d in due} == {"08:00"}
    gaps = {(b - a) / timedelta(hours=1) for a, b in itertools.pairwise(due)}
    assert gaps == {23.0, 24.0} or gaps == {24.0, 25.0}, "the DST day is an hour short or long"


def test_a_time_in_the_spring_gap_goes_out_once_just_after_it() -> None:
    schedule = DigestSchedule(at="01:30", timezone="Europe/London")  # 01:00-02:00 never happens
    due = schedule.due_between(datetime(2026, 3, 28, tzinfo=UTC), datetime(2026, 3, 31, tzinfo=UTC))
    assert [local(d, LONDON) for d in due] == [
        "2026-03-28 01:30 GMT", "2026-03-29 02:30 BST", "2026-03-30 01:30 BST",
    ]  # fmt: skip


def test_a_time_that_happens_twice_in_autumn_goes_out_once_at_its_first_occurrence() -> None:
    schedule = DigestSchedule(at="01:30", timezone="America/New_York")
    due = schedule.due_between(
        datetime(2026, 10, 31, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC)
    )
    assert [local(d, NEW_YORK) for d in due] == [
        "2026-10-31 01:30 EDT", "2026-11-01 01:30 EDT", "2026-11-02 01:30 EST",
    ]  # fmt: skip


def test_a_weekly_digest_comes_on_its_weekday_and_covers_the_week_before() -> None:
    schedule = DigestSchedule(cadence="weekly", weekday="monday", at="07:45",
                              timezone="America/New_York")  # fmt: skip
    due = schedule.due_between(
        datetime(2026, 10, 20, tzinfo=UTC), datetime(2026, 11, 17, tzinfo=UTC)
    )
    assert [local(d, NEW_YORK) for d in due] == [
        "2026-10-26 07:45 EDT", "2026-11-02 07:45 EST", "2026-11-09 07:45 EST",
        "2026-11-16 07:45 EST",
    ]  # fmt: skip
    start, end = schedule.period_ending(due[1])
    assert (start, end) == (due[0], due[1])
    assert end - start == timedelta(days=7, hours=1), "the week with the autumn change"


def test_a_daily_period_runs_from_the_previous_digest_to_this_one() -> None:
    schedule = DigestSchedule(at="08:00", timezone="Europe/London")
    end = datetime(2026, 3, 29, 7, tzinfo=UTC)  # 08:00 BST on the day the clocks go forward
    assert schedule.period_ending(end) == (datetime(2026, 3, 28, 8, tzinfo=UTC), end)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"timezone": "/usr/share/zoneinfo/UTC"}, "timezone"),
        ({"at": "8am"}, "at"),
        ({"at": "08:10"}, "at"),
        ({"at": "24:00"}, "at"),
        ({"cadence": "weekly"}, "weekday"),
        ({"cadence": "daily", "weekday": "monday"}, "weekday"),
        ({"cadence": "monthly"}, "cadence"),
    ],
)
def test_bad_schedules_are_refused_naming_the_field(fields: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        DigestSchedule.model_validate(fields)
    assert field in str(raised.value)
