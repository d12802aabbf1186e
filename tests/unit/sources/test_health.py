"""Failing for an hour, or quiet for longer than the source's own rhythm (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tensionwatch.sources.health import (
    FIRST_SILENCE,
    MIN_SILENCE,
    Health,
    after_poll,
    silence_limit,
    verdict,
)

T0 = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
POLL = timedelta(minutes=5)


def polls(health: Health, start: datetime, count: int, failure: str | None = None,
          every: timedelta = POLL, fresh: bool = True) -> Health:  # fmt: skip
    """`count` polls from `start`; a fresh one brings an article published at its time."""
    for i in range(count):
        now = start + i * every
        health = after_poll(health, now, failure, now if fresh else None)
    return health


def test_a_source_failing_every_poll_for_an_hour_is_unhealthy() -> None:
    health = polls(Health(), T0, 12, failure="jp-kr: server_error")
    assert verdict(health, T0 + 11 * POLL) is None  # 55 minutes
    health = after_poll(health, T0 + 12 * POLL, "jp-kr: server_error", None)
    assert verdict(health, T0 + 12 * POLL) == (
        "failing since 2026-11-02T00:00Z (jp-kr: server_error)"
    )


def test_one_good_poll_ends_the_failing_streak() -> None:
    health = polls(Health(), T0, 11, failure="feed: timeout")
    health = after_poll(health, T0 + 11 * POLL, None, None)
    health = after_poll(health, T0 + 13 * POLL, "feed: timeout", None)
    assert health.failing_since == T0 + 13 * POLL
    assert verdict(health, T0 + 13 * POLL) is None


def test_a_new_source_gets_a_day_before_it_is_called_silent() -> None:
    health = after_poll(Health(), T0, None, None)
    assert verdict(health, T0 + FIRST_SILENCE) is None
    assert verdict(health, T0 + FIRST_SILENCE + POLL) == (
        "nothing new for 24.1 h (its limit: 24.0 h)"
    )


def test_the_limit_is_learned_from_the_sources_own_quiet_spells() -> None:
    hourly = polls(Health(), T0, 4 * 24, every=timedelta(hours=1))  # fresh every hour, 4 days
    assert silence_limit(hourly) == MIN_SILENCE  # 2 x 1 h is below the floor
    every_six = polls(Health(), T0, 4 * 4, every=timedelta(hours=6))
    assert silence_limit(every_six) == timedelta(hours=12)
    last = T0 + 15 * timedelta(hours=6)
    assert verdict(every_six, last + timedelta(hours=12)) is None
    assert verdict(every_six, last + timedelta(hours=13)) == (
        "nothing new for 13.0 h (its limit: 12.0 h)"
    )


def test_entries_no_newer_than_before_are_not_news() -> None:
    health = after_poll(Health(), T0, None, T0)
    repeat = after_poll(health, T0 + POLL, None, T0)  # the feed served the same entries
    assert repeat.last_fresh == T0


def test_a_configured_limit_replaces_the_learned_one() -> None:
    health = after_poll(Health(), T0, None, T0)
    assert verdict(health, T0 + timedelta(hours=3), timedelta(hours=2)) is not None
