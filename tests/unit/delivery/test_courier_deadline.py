"""The courier sends alerts and digests within the invocation's deadline: each send gets at
most what is left, and a notice there is no time left for is deferred (not attempted, back on
the queue at once) whether it is an alert or a digest, and a digest whose building used up
the time is released rather than sent late."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from tensionwatch.delivery.deadline import MIN_SEND_SECONDS, Deadline
from tensionwatch.delivery.metrics import NoMetrics
from tensionwatch.delivery.retry import RetryPolicy
from tensionwatch.delivery.transport import TIMEOUT
from tensionwatch.pipeline.courier import Courier, DeliveryReport
from tensionwatch.subscriptions import Subscription, SubscriptionFilter
from tests.factories import T0, make_alert, make_digest


@dataclass
class Log:
    claims: list[str] = field(default_factory=list)
    finished: list[tuple[str, str]] = field(default_factory=list)  # (status, reason)

    def claim(self, notice_id: str, subscription_id: str, now: datetime) -> str:
        self.claims.append(notice_id)
        return "claimed"

    def finish(self, notice_id: str, subscription_id: str, status: str, now: datetime,
               reason: str = "") -> None:  # fmt: skip
        self.finished.append((status, reason))


class Subscriptions:
    def record_success(self, subscription_id: str) -> None:
        pass

    def record_failure(self, subscription_id: str) -> int:
        return 1


@dataclass
class Notifier:
    timeouts: list[float | None] = field(default_factory=list)

    def notify(self, subscription: Subscription, notice: Any, *, timeout: float | None = None
               ) -> None:  # fmt: skip
        self.timeouts.append(timeout)


@dataclass
class Clock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


def courier(log: Log, notifier: Notifier) -> Courier:
    return Courier(subscriptions=cast(Any, Subscriptions()), log=cast(Any, log),
                   notifier=cast(Any, notifier), policy=RetryPolicy(), clock=lambda: T0,
                   metrics=NoMetrics())  # fmt: skip


SUBSCRIPTION = Subscription(id="sub-1", channel="webhook", target="https://example.com/hook",
                            filter=SubscriptionFilter(), created_at=T0)  # fmt: skip


def test_each_send_gets_at_most_what_is_left_of_the_invocation() -> None:
    log, notifier, clock = Log(), Notifier(), Clock()
    report = DeliveryReport()
    courier(log, notifier).deliver("n1", SUBSCRIPTION, make_digest, 1, report,
                                   deadline=Deadline(4.0, clock=clock))  # fmt: skip
    courier(log, notifier).deliver("n2", SUBSCRIPTION, make_alert, 1, report,
                                   deadline=Deadline(60.0, clock=clock))  # fmt: skip
    assert notifier.timeouts == [4.0, TIMEOUT]
    assert report.sent == ["sub-1", "sub-1"]


def test_an_alert_or_a_digest_with_no_time_left_is_deferred_unclaimed_and_back_at_once() -> None:
    for build in (make_alert, make_digest):
        log, notifier, clock = Log(), Notifier(), Clock()
        report, late = DeliveryReport(), Deadline(MIN_SEND_SECONDS / 2, clock=clock)
        courier(log, notifier).deliver("n1", SUBSCRIPTION, build, 3, report, deadline=late)
        assert (log.claims, notifier.timeouts) == ([], [])  # not attempted: nothing to release
        assert (report.retrying, report.retry_in) == (["sub-1"], 0.0)  # visible again now


def test_a_digest_whose_building_used_up_the_time_is_released_not_sent_late() -> None:
    log, notifier, clock = Log(), Notifier(), Clock()

    def slow_build() -> Any:
        clock.now = 9.5  # the reads took the invocation's time
        return make_digest()

    report = DeliveryReport()
    courier(log, notifier).deliver("n1", SUBSCRIPTION, slow_build, 1, report,
                                   deadline=Deadline(10.0, clock=clock))  # fmt: skip
    assert notifier.timeouts == []
    assert log.finished == [("retrying", "deferred: out of time")]  # claimable again at once
    assert (report.retrying, report.retry_in) == (["sub-1"], 0.0)
