"""Backoff through SQS visibility: exponential by receive count, Retry-After first, capped."""

from __future__ import annotations

from tensionwatch.delivery.retry import RetryPolicy


def test_backoff_doubles_per_receive_up_to_the_cap() -> None:
    policy = RetryPolicy(base_seconds=30, max_seconds=900)
    assert [policy.delay(n, None) for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]


def test_retry_after_wins_over_the_schedule() -> None:
    assert RetryPolicy().delay(1, 120.0) == 120.0
    assert RetryPolicy().delay(4, 0.0) == 0.0
