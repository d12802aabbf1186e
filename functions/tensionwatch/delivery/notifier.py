"""One alert to one subscription: render for the channel, then send. Used by the deliver
function for real alerts and by the API for test notifications, so both take the same path."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from tensionwatch.alerts.slack import render_slack
from tensionwatch.alerts.webhook import render_webhook, webhook_id
from tensionwatch.delivery.errors import DeliveryError
from tensionwatch.models import Alert
from tensionwatch.subscriptions import Subscription


class SlackChannel(Protocol):
    def send(self, url: str, payload: dict[str, Any], *, timeout: float | None = None) -> None: ...


class WebhookChannel(Protocol):
    def send(
        self,
        url: str,
        *,
        msg_id: str,
        body: bytes,
        secrets: Sequence[str],
        timeout: float | None = None,
    ) -> None: ...


class SigningSecrets(Protocol):
    def signing_secrets(self, subscription_id: str, now: datetime) -> list[str]: ...


class Notifier:
    """Renders and sends through the subscription's channel."""

    def __init__(
        self,
        *,
        slack: SlackChannel,
        webhook: WebhookChannel,
        secrets: SigningSecrets,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._slack = slack
        self._webhook = webhook
        self._secrets = secrets
        self._clock = clock

    def notify(
        self,
        subscription: Subscription,
        alert: Alert,
        *,
        test: bool = False,
        timeout: float | None = None,
    ) -> None:
        """Send `alert` to `subscription` within `timeout` seconds (default: the sender's);
        raises DeliveryError. `test` marks the message as a test notification (Slack header
        and footer, webhook type `test`)."""
        if subscription.channel == "slack":
            self._slack.send(subscription.target, render_slack(alert, test=test), timeout=timeout)
        elif subscription.channel == "webhook":
            now = self._clock()
            self._webhook.send(
                subscription.target,
                msg_id=webhook_id(alert.id, subscription.id, test=test),
                body=render_webhook(alert, test=test, now=now),
                secrets=self._secrets.signing_secrets(subscription.id, now),
                timeout=timeout,
            )
        else:
            raise DeliveryError("email is delivered by SNS, not by this service",
                                recoverable=False)  # fmt: skip
