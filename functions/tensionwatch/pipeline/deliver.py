"""The deliver service: one alert from the DeliveryQueue to every matching Slack and webhook
subscription that takes it at once, once each (`tensionwatch.pipeline.courier`: claim, send,
record; retries through SQS, the DLQ after the last receive, disabling after 410 Gone or a long
run of failures). Subscriptions that take it only in their digest get it there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from tensionwatch.delivery.metrics import DeliveryMetrics, NoMetrics
from tensionwatch.delivery.notifier import Notifier
from tensionwatch.models import Alert
from tensionwatch.pipeline.courier import (
    Courier,
    DeliveryIncomplete,
    DeliveryReport,
    Postponer,
    RetryPolicy,
    settle,
)
from tensionwatch.store.notifications import NotificationLog
from tensionwatch.store.subscriptions import SubscriptionStore
from tensionwatch.subscriptions import sends_at_once

PUSHED = {"slack", "webhook"}  # email is filtered and sent by SNS itself
DEFAULT_POLICY = RetryPolicy()
__all__ = ["DeliverPipeline", "DeliveryIncomplete", "DeliveryReport", "RetryPolicy"]


class DeliverPipeline:
    def __init__(
        self,
        *,
        subscriptions: SubscriptionStore,
        log: NotificationLog,
        notifier: Notifier,
        retries: Postponer,
        policy: RetryPolicy = DEFAULT_POLICY,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        metrics: DeliveryMetrics | None = None,
    ) -> None:
        self._subscriptions = subscriptions
        self._retries = retries
        metrics = metrics or NoMetrics()
        self._courier = Courier(subscriptions=subscriptions, log=log, notifier=notifier,
                                policy=policy, clock=clock, metrics=metrics)  # fmt: skip

    def handle(
        self, body: str, *, receive_count: int, queue_arn: str, receipt_handle: str
    ) -> DeliveryReport:
        """Deliver one queued alert (an SQS message); raises DeliveryIncomplete when the
        message must be retried (after postponing it) or must go on to the DLQ, ValueError for
        a body that is not an Alert (it reaches the DLQ after the redrive count)."""
        alert = Alert.model_validate_json(body)
        report = self.deliver(alert, receive_count)
        settle(report, self._retries, queue_arn, receipt_handle, f"alert {alert.id}")
        return report

    def deliver(self, alert: Alert, receive_count: int = 1) -> DeliveryReport:
        """Send `alert` to each matching active Slack/webhook subscription not yet told."""
        report = DeliveryReport()
        for subscription in self._subscriptions.list_all():
            if (
                subscription.status == "active"
                and subscription.channel in PUSHED
                and sends_at_once(subscription, alert)
            ):
                self._courier.deliver(alert.id, subscription, lambda: alert, receive_count, report)
        return report
