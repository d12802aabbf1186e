"""One alert or digest to one subscription: render for the channel, then send. Used by the
deliver function for real alerts, by the digest function for digests and by the API for test
notifications, so all take the same path."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from tensionwatch.alerts.digest_slack import render_digest_slack
from tensionwatch.alerts.slack import render_slack
from tensionwatch.alerts.webhook import render_digest_webhook, render_webhook, webhook_id
from tensionwatch.delivery.errors import DeliveryError
from tensionwatch.digests.model import Digest
from tensionwatch.models import Alert
from tensionwatch.subscriptions import Subscription

Notice = Alert | Digest


class SlackChannel(Protocol):
    def send(self, url: str, payload: dict[str, Any]) -> None: ...


class WebhookChannel(Protocol):
    def send(self, url: str, *, msg_id: str, body: bytes, secrets: Sequence[str]) -> None: ...


class SigningSecrets(Protocol):
    def signing_secrets(self, subscription_id: str, now: datetime) -> list[str]: ...


class DigestEmail(Protocol):
    def send(self, subscription: Subscription, digest: Digest) -> None: ...


def webhook_body(notice: Notice, *, test: bool, now: datetime) -> bytes:
    """The body of every webhook the product sends: an alert or a digest event."""
    if isinstance(notice, Digest):
        return render_digest_webhook(notice)
    return render_webhook(notice, test=test, now=now)


def slack_payload(notice: Notice, *, test: bool) -> dict[str, Any]:
    """The Block Kit message of an alert or a digest."""
    if isinstance(notice, Digest):
        return render_digest_slack(notice)
    return render_slack(notice, test=test)


class Notifier:
    """Renders and sends through the subscription's channel."""

    def __init__(
        self,
        *,
        slack: SlackChannel,
        webhook: WebhookChannel,
        secrets: SigningSecrets,
        email: DigestEmail | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._slack = slack
        self._webhook = webhook
        self._secrets = secrets
        self._email = email
        self._clock = clock

    def notify(self, subscription: Subscription, notice: Notice, *, test: bool = False) -> None:
        """Send an alert or a digest to `subscription`; raises DeliveryError. `test` marks an
        alert as a test notification (Slack header and footer, webhook type `test`)."""
        if subscription.channel == "slack":
            self._slack.send(subscription.target, slack_payload(notice, test=test))
        elif subscription.channel == "webhook":
            now = self._clock()
            self._webhook.send(
                subscription.target,
                msg_id=webhook_id(notice.id, subscription.id, test=test),
                body=webhook_body(notice, test=test, now=now),
                secrets=self._secrets.signing_secrets(subscription.id, now),
            )
        elif isinstance(notice, Digest) and self._email is not None:
            self._email.send(subscription, notice)
        else:  # SNS sends each email alert itself, filtered by the subscription's policy
            raise DeliveryError("email alerts are delivered by SNS, not by this service",
                                recoverable=False)  # fmt: skip
