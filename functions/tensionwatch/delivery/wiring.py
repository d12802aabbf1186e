"""Builds the deliver service and the API's notifier from settings (real AWS clients)."""

from __future__ import annotations

from collections.abc import Collection

from tensionwatch.config import DeliverSettings
from tensionwatch.delivery.metrics import PowertoolsDeliveryMetrics
from tensionwatch.delivery.notifier import DigestEmail, Notifier
from tensionwatch.delivery.slack import SlackSender
from tensionwatch.delivery.webhook import WebhookSender
from tensionwatch.pipeline.deliver import DeliverPipeline, RetryPolicy
from tensionwatch.store.notifications import DeliveryRetries, NotificationLog
from tensionwatch.store.secrets import SecretStore
from tensionwatch.store.subscriptions import SubscriptionStore


def notifier(
    secrets_prefix: str,
    *,
    allow_local: bool,
    ports: Collection[int] = (),
    email: DigestEmail | None = None,
) -> Notifier:
    """Slack and webhook senders behind the SSRF guard, signing with stored secrets; `email`
    sends email digests (the digest function's)."""
    return Notifier(
        slack=SlackSender(allow_local=allow_local, ports=ports),
        webhook=WebhookSender(allow_local=allow_local, ports=ports),
        secrets=SecretStore(secrets_prefix),
        email=email,
    )


def deliver_pipeline(settings: DeliverSettings) -> DeliverPipeline:
    """The deliver function's service."""
    return DeliverPipeline(
        subscriptions=SubscriptionStore(settings.SUBSCRIPTIONS_TABLE),
        log=NotificationLog(settings.NOTIFICATIONS_TABLE, ttl_days=settings.NOTIFICATION_TTL_DAYS),
        notifier=notifier(
            settings.WEBHOOK_SECRETS_PREFIX,
            allow_local=settings.ALLOW_HTTP_TARGETS,
            ports=settings.TARGET_PORTS,
        ),
        retries=DeliveryRetries(),
        policy=RetryPolicy(
            max_receives=settings.MAX_RECEIVES,
            max_consecutive_failures=settings.MAX_CONSECUTIVE_FAILURES,
            base_seconds=settings.RETRY_BASE_SECONDS,
            max_seconds=settings.RETRY_MAX_SECONDS,
        ),
        metrics=PowertoolsDeliveryMetrics(),
    )
