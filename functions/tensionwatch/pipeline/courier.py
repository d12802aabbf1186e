"""One notice (an alert or a digest) to one subscription, once: claim the pair in the
notification log, build and send, record the outcome. The deliver and digest services share it,
so both retry, give up and disable the same way.

A recoverable failure leaves the SQS message to come back: its visibility is pushed out
(exponential in the receive count, or the receiver's Retry-After) and the record reported
failed. On the last allowed receive a failure is final: recorded `failed` with its reason, and
the message goes on to its DLQ by redrive. 410 Gone, or a long run of failures, disables the
subscription.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from aws_lambda_powertools import Logger

from tensionwatch.delivery.errors import DeliveryError, unexpected
from tensionwatch.delivery.metrics import DeliveryMetrics
from tensionwatch.delivery.notifier import Notice, Notifier
from tensionwatch.store.notifications import NotificationLog
from tensionwatch.store.subscriptions import SubscriptionStore
from tensionwatch.subscriptions import Subscription

logger = Logger(child=True)


@dataclass(frozen=True)
class RetryPolicy:
    max_receives: int = 5
    max_consecutive_failures: int = 15
    base_seconds: int = 30
    max_seconds: int = 900

    def delay(self, receive_count: int, retry_after: float | None) -> float:
        """Seconds before the next attempt: the receiver's Retry-After, else exponential."""
        if retry_after is not None:
            return retry_after
        return float(min(self.max_seconds, self.base_seconds * 2 ** max(0, receive_count - 1)))


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already done by an earlier receive
    failed: list[str] = field(default_factory=list)  # final: recorded with a reason
    retrying: list[str] = field(default_factory=list)
    retry_in: float | None = None
    gave_up: bool = False  # a recoverable failure on the last receive: on to the DLQ


class DeliveryIncomplete(Exception):
    """Some subscriptions still need this message: the SQS record must count as failed."""


class Postponer(Protocol):
    def postpone(self, queue_arn: str, receipt_handle: str, seconds: float) -> None: ...


def settle(report: DeliveryReport, retries: Postponer, queue_arn: str, receipt: str,
           what: str) -> None:  # fmt: skip
    """Raise DeliveryIncomplete when the message must come back (after postponing it) or go on
    to the DLQ (visible again at once, so the redrive moves it now); return when it is done."""
    if report.retry_in is not None:
        retries.postpone(queue_arn, receipt, report.retry_in)
        raise DeliveryIncomplete(f"{what}: {len(report.retrying)} to retry")
    if report.gave_up:
        retries.postpone(queue_arn, receipt, 0)
        raise DeliveryIncomplete(f"{what}: retries exhausted, to the DLQ")


class Courier:
    """Sends notices through a Notifier, once per (notice, subscription)."""

    def __init__(
        self,
        *,
        subscriptions: SubscriptionStore,
        log: NotificationLog,
        notifier: Notifier,
        policy: RetryPolicy,
        clock: Callable[[], datetime],
        metrics: DeliveryMetrics,
    ) -> None:
        self._subscriptions = subscriptions
        self._log = log
        self._notifier = notifier
        self._policy = policy
        self._clock = clock
        self._metrics = metrics

    def deliver(
        self,
        notice_id: str,
        subscription: Subscription,
        build: Callable[[], Notice | None],
        receive_count: int,
        report: DeliveryReport,
    ) -> None:
        """Claim (`notice_id`, subscription), build the notice (None: nothing to send, the
        subscriber's choice) and send it; every outcome recorded in the log and `report`."""
        claim = self._log.claim(notice_id, subscription.id, self._clock())
        if claim == "done":
            report.skipped.append(subscription.id)
            self._metrics.count("Skipped", subscription.channel)
            return
        if claim == "busy":  # another receive is sending right now: look again later
            self._retry(report, subscription.id, receive_count, None)
            return
        notice = build()
        if notice is None:
            self._log.finish(notice_id, subscription.id, "skipped", self._clock(),
                             "nothing to send")  # fmt: skip
            report.skipped.append(subscription.id)
            return
        try:
            self._notifier.notify(subscription, notice)
        except DeliveryError as error:
            self._failed(notice_id, subscription, error, receive_count, report)
            return
        except Exception as error:  # e.g. a secret edited by hand into something unreadable
            # This subscription's outcome only: recorded, counted toward disabling it, and not
            # retried (nothing says a retry would go differently). Re-raising would end the
            # loop, so every later subscription would miss the alert and it would reach the DLQ.
            self._failed(notice_id, subscription, unexpected(error), receive_count, report)
            return
        self._log.finish(notice_id, subscription.id, "sent", self._clock())
        self._subscriptions.record_success(subscription.id)
        report.sent.append(subscription.id)
        self._metrics.count("Sent", subscription.channel)

    def _failed(
        self,
        notice_id: str,
        subscription: Subscription,
        error: DeliveryError,
        receive_count: int,
        report: DeliveryReport,
    ) -> None:
        last_receive = receive_count >= self._policy.max_receives
        reason = error.reason
        if error.recoverable and last_receive:
            reason = f"gave up after {receive_count} receives: {error.reason}"
            report.gave_up = True
        disabled = self._disable_if_due(subscription, error)
        final = disabled or not error.recoverable or last_receive
        self._log.finish(notice_id, subscription.id, "failed" if final else "retrying",
                         self._clock(), reason)  # fmt: skip
        log = logger.error if final else logger.warning
        log("delivery failed", extra={"notice_id": notice_id, "subscription_id": subscription.id,
                                      "channel": subscription.channel, "reason": reason,
                                      "final": final, "receive_count": receive_count})  # fmt: skip
        self._metrics.count("Failed" if final else "Retrying", subscription.channel)
        if final:
            report.failed.append(subscription.id)
        else:
            self._retry(report, subscription.id, receive_count, error.retry_after)

    def _disable_if_due(self, subscription: Subscription, error: DeliveryError) -> bool:
        """Count the failure; disable on 410-like answers or a long enough run of failures."""
        run = self._subscriptions.record_failure(subscription.id)
        if not (error.disable or run >= self._policy.max_consecutive_failures):
            return False
        why = error.reason if error.disable else f"{run} consecutive failures: {error.reason}"
        self._subscriptions.set_status(subscription.id, "disabled", why)
        self._metrics.count("Disabled", subscription.channel)
        return True

    def _retry(
        self, report: DeliveryReport, subscription_id: str, receive_count: int, after: float | None
    ) -> None:
        report.retrying.append(subscription_id)
        delay = self._policy.delay(receive_count, after)
        report.retry_in = max(delay, report.retry_in or 0.0)
