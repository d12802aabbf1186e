"""The deliver service: one alert from the DeliveryQueue to every matching Slack and webhook
subscription, once each.

Per subscription: claim (alert, subscription) in the notification log; render and send; record
the outcome. A recoverable failure leaves the message on the queue: its visibility is pushed
out (exponential in the receive count, or the receiver's Retry-After) and the record is
reported failed, so only the unsent subscriptions are retried. On the last allowed receive a
failure is final: recorded as `failed` with its reason, and the message goes on to the
DeliveryDLQ by redrive. 410 Gone, or a long run of failures, disables the subscription.

Each send gets at most the time the invocation has left (tensionwatch.delivery.deadline); a
subscription there is no time left for is deferred: not attempted, the record reported failed
and made visible again at once, so the next invocation takes it up without the backoff.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from aws_lambda_powertools import Logger

from tensionwatch.delivery.deadline import Deadline
from tensionwatch.delivery.errors import DeliveryError, unexpected
from tensionwatch.delivery.metrics import DeliveryMetrics, NoMetrics
from tensionwatch.delivery.notifier import Notifier
from tensionwatch.delivery.retry import RetryPolicy
from tensionwatch.delivery.transport import TIMEOUT as SEND_TIMEOUT
from tensionwatch.models import Alert
from tensionwatch.store.notifications import NotificationLog
from tensionwatch.store.subscriptions import SubscriptionStore
from tensionwatch.subscriptions import Subscription, matches

logger = Logger(child=True)
PUSHED = {"slack", "webhook"}  # email is filtered and sent by SNS itself


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already sent by an earlier receive
    failed: list[str] = field(default_factory=list)  # final: recorded with a reason
    retrying: list[str] = field(default_factory=list)
    retry_in: float | None = None
    gave_up: bool = False  # a recoverable failure on the last receive: on to the DLQ


class DeliveryIncomplete(Exception):
    """Some subscriptions still need this alert: the SQS record must count as failed."""


class Postponer(Protocol):
    def postpone(self, queue_arn: str, receipt_handle: str, seconds: float) -> None: ...


class DeliverPipeline:
    def __init__(
        self,
        *,
        subscriptions: SubscriptionStore,
        log: NotificationLog,
        notifier: Notifier,
        retries: Postponer,
        policy: RetryPolicy | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        metrics: DeliveryMetrics | None = None,
    ) -> None:
        self._metrics = metrics or NoMetrics()
        self._subscriptions = subscriptions
        self._log = log
        self._notifier = notifier
        self._retries = retries
        self._policy = policy or RetryPolicy()
        self._clock = clock

    def handle(
        self,
        body: str,
        *,
        receive_count: int,
        queue_arn: str,
        receipt_handle: str,
        deadline: Deadline | None = None,
    ) -> DeliveryReport:
        """Deliver one queued alert (an SQS message), sending only until `deadline`; raises
        DeliveryIncomplete when the message must be retried (after postponing it) or must go
        on to the DLQ, ValueError for a body that is not an Alert (it reaches the DLQ after
        the redrive count)."""
        alert = Alert.model_validate_json(body)
        report = self.deliver(alert, receive_count, deadline or Deadline.never())
        if report.retry_in is not None:
            self._retries.postpone(queue_arn, receipt_handle, report.retry_in)
            raise DeliveryIncomplete(f"alert {alert.id}: {len(report.retrying)} to retry")
        if report.gave_up:  # visible again at once, so the redrive moves it to the DLQ now
            self._retries.postpone(queue_arn, receipt_handle, 0)
            raise DeliveryIncomplete(f"alert {alert.id}: retries exhausted, to the DLQ")
        return report

    def deliver(
        self, alert: Alert, receive_count: int = 1, deadline: Deadline | None = None
    ) -> DeliveryReport:
        """Send `alert` to each matching active Slack/webhook subscription not yet told, each
        send within what is left before `deadline`; the rest are deferred."""
        report = DeliveryReport()
        for subscription in self._subscriptions.list_all():
            if (
                subscription.status == "active"
                and subscription.channel in PUSHED
                and matches(subscription.filter, alert)
            ):
                timeout = (deadline or Deadline.never()).send_timeout(SEND_TIMEOUT)
                if timeout is None:
                    self._defer(alert, subscription, report)
                else:
                    self._deliver_one(alert, subscription, receive_count, report, timeout)
        return report

    def _defer(self, alert: Alert, subscription: Subscription, report: DeliveryReport) -> None:
        """Out of time: not attempted, so back on the queue at once, not after a backoff."""
        logger.info("delivery deferred: out of time", extra={
            "alert_id": alert.id, "subscription_id": subscription.id})  # fmt: skip
        self._metrics.count("Deferred", subscription.channel)
        report.retrying.append(subscription.id)
        report.retry_in = max(0.0, report.retry_in or 0.0)

    def _deliver_one(
        self,
        alert: Alert,
        subscription: Subscription,
        receive_count: int,
        report: DeliveryReport,
        timeout: float,
    ) -> None:
        claim = self._log.claim(alert.id, subscription.id, self._clock())
        if claim == "done":
            report.skipped.append(subscription.id)
            self._metrics.count("Skipped", subscription.channel)
            return
        if claim == "busy":  # another receive is sending right now: look again later
            self._retry(report, subscription.id, receive_count, None)
            return
        try:
            self._notifier.notify(subscription, alert, timeout=timeout)
        except DeliveryError as error:
            self._failed(alert, subscription, error, receive_count, report)
            return
        except Exception as error:  # e.g. a secret edited by hand into something unreadable
            # This subscription's outcome only: recorded, counted toward disabling it, and not
            # retried (nothing says a retry would go differently). Re-raising would end the
            # loop, so every later subscription would miss the alert and it would reach the DLQ.
            self._failed(alert, subscription, unexpected(error), receive_count, report)
            return
        self._log.finish(alert.id, subscription.id, "sent", self._clock())
        self._subscriptions.record_success(subscription.id)
        report.sent.append(subscription.id)
        self._metrics.count("Sent", subscription.channel)

    def _failed(
        self,
        alert: Alert,
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
        self._log.finish(alert.id, subscription.id, "failed" if final else "retrying",
                         self._clock(), reason)  # fmt: skip
        log = logger.error if final else logger.warning
        log("delivery failed", extra={"alert_id": alert.id, "subscription_id": subscription.id,
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
