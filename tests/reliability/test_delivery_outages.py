"""Receivers that fail for a while, through the deliver service with its real stores (moto) and
RetryPolicy, redelivered on a simulated clock exactly when its postponement says: Slack's 429
then 200 delivers once; a webhook down for an hour should deliver once, late. Each failed attempt
is visible: a `NotificationsRetrying` count and a "delivery failed" log line with its reason."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from tensionwatch.config import DeliverSettings
from tensionwatch.delivery.errors import DeliveryError
from tensionwatch.models import Alert
from tensionwatch.pipeline.courier import logger as deliver_logger  # the courier logs sends
from tensionwatch.pipeline.deliver import DeliverPipeline, DeliveryIncomplete, RetryPolicy
from tensionwatch.store.notifications import NotificationLog
from tensionwatch.store.subscriptions import SubscriptionStore
from tensionwatch.subscriptions import Subscription
from tests.factories import make_alert
from tests.integration.sources.aws import create_table

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


class Receiver:
    """A receiver that answers `failure` until `until` (simulated), then accepts."""

    def __init__(self, clock: list[datetime], until: datetime, failure: DeliveryError) -> None:
        self.clock, self.until, self.failure = clock, until, failure
        self.attempts: list[datetime] = []
        self.delivered: list[str] = []

    def notify(self, subscription: Subscription, alert: Alert, *, test: bool = False) -> None:
        self.attempts.append(self.clock[0])
        if self.clock[0] < self.until:
            raise self.failure
        self.delivered.append(alert.id)


class Postponements:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def postpone(self, queue_arn: str, receipt_handle: str, seconds: float) -> None:
        self.delays.append(seconds)


class Metrics:
    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def count(self, outcome: str, channel: str) -> None:
        self.counts[(outcome, channel)] += 1


def _failures_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The reason of every "delivery failed" line the deliver service logged."""
    lines = [r for r in caplog.records if r.getMessage() == "delivery failed"]
    return [str(getattr(r, "reason", "")) for r in lines]


@pytest.fixture
def stores(aws: None) -> Iterator[tuple[SubscriptionStore, NotificationLog]]:
    client: Any = boto3.client("dynamodb", region_name="us-east-1")
    for name in ("subs", "log"):
        create_table(client, name)
    yield SubscriptionStore("subs", client), NotificationLog("log", client)


def _policy() -> RetryPolicy:
    """The deployed policy: DeliverSettings' defaults (= the template's values)."""
    fields = DeliverSettings.model_fields
    return RetryPolicy(
        max_receives=fields["MAX_RECEIVES"].default,
        max_consecutive_failures=fields["MAX_CONSECUTIVE_FAILURES"].default,
        base_seconds=fields["RETRY_BASE_SECONDS"].default,
        max_seconds=fields["RETRY_MAX_SECONDS"].default,
    )


def _deliver_until_done(
    stores: tuple[SubscriptionStore, NotificationLog],
    channel: str,
    outage: timedelta,
    failure: DeliveryError,
    metrics: Metrics,
) -> tuple[Receiver, str]:
    """Receive the message again each time the service's postponement expires, as SQS would,
    up to the redrive count; returns the receiver and 'delivered' or 'dlq'."""
    subscriptions, log = stores
    subscriptions.put(
        Subscription(
            id=f"sub_{channel}",
            channel=channel,
            target="https://r.example/x",
            created_at=T0,
        )
    )
    clock = [T0]
    receiver, retries, policy = Receiver(clock, T0 + outage, failure), Postponements(), _policy()
    service = DeliverPipeline(
        subscriptions=subscriptions,
        log=log,
        notifier=receiver,  # type: ignore[arg-type]
        retries=retries,
        policy=policy,
        metrics=metrics,
        clock=lambda: clock[0],
    )
    body = make_alert().model_dump_json()
    for receive in range(1, policy.max_receives + 1):
        try:
            service.handle(body, receive_count=receive, queue_arn="q", receipt_handle="r")
            return receiver, "delivered"
        except DeliveryIncomplete:
            clock[0] += timedelta(seconds=max(retries.delays[-1], 1))
    return receiver, "dlq"


def _visible(
    caplog: pytest.LogCaptureFixture,
    metrics: Metrics,
    receiver: Receiver,
    channel: str,
    reason: str,
) -> None:
    """Every failed attempt counted as retrying and logged with its reason; one sent."""
    failed = len(receiver.attempts) - 1
    assert metrics.counts == {("Retrying", channel): failed, ("Sent", channel): 1}
    assert _failures_logged(caplog) == [reason] * failed


def test_slack_429_then_200_delivers_once_after_its_retry_after(
    stores: tuple[SubscriptionStore, NotificationLog], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger=deliver_logger.name)
    limited = DeliveryError("rate_limited", recoverable=True, status=429, retry_after=30)
    metrics = Metrics()
    receiver, outcome = _deliver_until_done(stores, "slack", timedelta(seconds=1), limited, metrics)
    assert outcome == "delivered" and len(receiver.delivered) == 1
    assert [a - T0 for a in receiver.attempts] == [timedelta(0), timedelta(seconds=30)]
    _visible(caplog, metrics, receiver, "slack", "rate_limited")


def test_a_webhook_down_for_an_hour_gets_the_alert_once_late(
    stores: tuple[SubscriptionStore, NotificationLog], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger=deliver_logger.name)
    down = DeliveryError("server_error", recoverable=True, status=503)
    metrics = Metrics()
    receiver, outcome = _deliver_until_done(stores, "webhook", timedelta(hours=1), down, metrics)
    assert outcome == "delivered"
    assert receiver.delivered == [make_alert().id]
    assert receiver.attempts[-1] >= T0 + timedelta(hours=1)
    _visible(caplog, metrics, receiver, "webhook", "server_error")


def test_a_webhook_down_for_five_minutes_gets_the_alert_once_late(
    stores: tuple[SubscriptionStore, NotificationLog], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger=deliver_logger.name)
    down = DeliveryError("server_error", recoverable=True, status=503)
    metrics = Metrics()
    receiver, outcome = _deliver_until_done(stores, "webhook", timedelta(minutes=5), down, metrics)
    assert outcome == "delivered" and receiver.delivered == [make_alert().id]
    assert receiver.attempts[-1] >= T0 + timedelta(minutes=5)
    _visible(caplog, metrics, receiver, "webhook", "server_error")
