"""A source's requests: spaced, never before a Retry-After, counted (fake clock, no waits)."""

from __future__ import annotations

import pytest

from tensionwatch.http import HttpError
from tensionwatch.sources.pacer import Pacer


class FakeTime:
    """A clock that moves only when slept on."""

    def __init__(self) -> None:
        self.now, self.waits = 100.0, []  # type: ignore[var-annotated]

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def test_requests_are_spaced_by_the_interval_and_counted() -> None:
    time = FakeTime()
    pacer = Pacer(5.0, time.sleep, time.clock)
    pacer.before()
    time.now += 1.5  # the request took 1.5 s
    pacer.before()
    assert time.waits == [3.5]
    assert pacer.requests == 2
    pacer.begin()
    assert pacer.requests == 0


def test_a_retry_after_delays_the_next_request_and_is_remembered() -> None:
    time = FakeTime()
    pacer = Pacer(1.0, time.sleep, time.clock)
    pacer.before()
    pacer.after(20.0)
    pacer.before()
    assert time.waits == [20.0]
    assert pacer.asked_wait == 20.0


def test_a_wait_longer_than_a_poll_may_take_is_refused_not_slept() -> None:
    time = FakeTime()
    pacer = Pacer(0.0, time.sleep, time.clock, max_wait=30.0)
    pacer.after(3600.0)
    with pytest.raises(HttpError) as caught:
        pacer.before()
    assert (caught.value.reason, caught.value.retry_after) == ("rate_limited", 3600.0)
    assert time.waits == [] and pacer.requests == 0


def test_the_next_allowed_time_hands_the_spacing_on_to_another_pacer() -> None:
    time = FakeTime()
    first = Pacer(5.0, time.sleep, time.clock)
    assert first.next_allowed() is None  # no request yet: any time
    first.before()
    first.after(8.0)  # the answer asked for 8 s
    handed_on = first.next_allowed()
    assert handed_on == 108.0  # the Retry-After's end is later than the interval's (105)
    time.now += 1.0
    second = Pacer(5.0, time.sleep, time.clock)  # another worker's, with no history
    second.begin(handed_on)
    second.before()
    assert time.waits == [7.0]
