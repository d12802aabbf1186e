"""The daily budget, spread over the day, and the waits an API asks for (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tensionwatch.sources.budget import Budget, Ledger, Skip, record, skip

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NEWSAPI = Budget(requests_per_day=100, requests_per_poll=3, most_per_poll=9)


def test_an_unlimited_source_is_never_held_back_by_its_budget() -> None:
    ledger = record(Ledger(), T0, requests=500, asked_wait=None)
    assert skip(ledger, Budget(), T0) is None
    assert Budget().poll_gap == timedelta(0)


def test_the_budget_is_spread_leaving_room_for_one_polls_retries() -> None:
    # (100 - (9 - 3)) // 3 = 31 polls in the 25 hours a 24-hour window can touch
    assert NEWSAPI.poll_gap == timedelta(hours=25) / 31
    ledger = record(Ledger(), T0, requests=3, asked_wait=None)
    assert skip(ledger, NEWSAPI, T0 + timedelta(minutes=45)) == Skip(
        "spread", T0 + timedelta(hours=25) / 31
    )
    assert skip(ledger, NEWSAPI, T0 + timedelta(minutes=50)) is None


def test_a_spent_budget_waits_for_its_oldest_hour_to_leave_the_window() -> None:
    ledger = record(Ledger(), T0, requests=95, asked_wait=None)
    later = T0 + timedelta(hours=3)
    assert skip(ledger, NEWSAPI, later) == Skip("budget", T0 + timedelta(hours=25))
    assert skip(ledger, NEWSAPI, T0 + timedelta(hours=25)) is None


def test_a_retry_after_holds_the_source_until_then_whatever_its_budget() -> None:
    ledger = record(Ledger(), T0, requests=1, asked_wait=3600)
    assert skip(ledger, Budget(), T0 + timedelta(minutes=5)) == Skip(
        "retry_after", T0 + timedelta(hours=1)
    )
    assert skip(ledger, Budget(), T0 + timedelta(hours=1)) is None
    assert str(Skip("retry_after", T0)) == "retry_after until 2026-11-02T09:00:00Z"


def test_hours_older_than_the_window_are_forgotten() -> None:
    ledger = record(Ledger(), T0, requests=40, asked_wait=None)
    ledger = record(ledger, T0 + timedelta(hours=24, minutes=30), requests=2, asked_wait=None)
    assert ledger.used(T0 + timedelta(hours=24, minutes=30)) == 42  # 09:00 is still touched
    ledger = record(ledger, T0 + timedelta(hours=25), requests=1, asked_wait=None)
    assert dict(ledger.hours) == {"2026110309": 2, "2026110310": 1}  # 11-02 09:00 left


def test_no_24_hours_exceed_the_budget_whatever_each_poll_spends() -> None:
    """Every 5 minutes for two days, each allowed poll spends its most (every retry taken)."""
    ledger, spent = Ledger(), []
    for tick in range(2 * 24 * 12):
        now = T0 + timedelta(minutes=5 * tick)
        if skip(ledger, NEWSAPI, now) is None:
            ledger = record(ledger, now, NEWSAPI.most_per_poll, asked_wait=None)
            spent.append((now, NEWSAPI.most_per_poll))
    for start, _ in spent:
        window = sum(n for at, n in spent if start <= at < start + timedelta(hours=24))
        assert window <= 100
