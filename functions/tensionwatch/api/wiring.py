"""Builds the API's services from settings, with real AWS clients."""

from __future__ import annotations

from tensionwatch.api.service import ApiServices
from tensionwatch.config import ApiSettings
from tensionwatch.delivery.wiring import notifier
from tensionwatch.store.alerts import AlertStore
from tensionwatch.store.dyads import DyadStore
from tensionwatch.store.secrets import SecretStore
from tensionwatch.store.silences import SilenceStore
from tensionwatch.store.subscriptions import EmailSubscriptions, SubscriptionStore


def api_services(settings: ApiSettings) -> ApiServices:
    """The API's stores and senders."""
    return ApiServices(
        subscriptions=SubscriptionStore(settings.SUBSCRIPTIONS_TABLE),
        email=EmailSubscriptions(settings.ALERTS_TOPIC_ARN),
        secrets=SecretStore(settings.WEBHOOK_SECRETS_PREFIX),
        notifier=notifier(
            settings.WEBHOOK_SECRETS_PREFIX,
            allow_local=settings.ALLOW_HTTP_TARGETS,
            ports=settings.TARGET_PORTS,
        ),
        silences=SilenceStore(settings.SILENCES_TABLE),
        alerts=AlertStore(settings.ALERTS_TABLE),
        dyads=DyadStore(settings.DYADS_TABLE),
        allow_local=settings.ALLOW_HTTP_TARGETS,
        ports=settings.TARGET_PORTS,
        admins=settings.ADMIN_PRINCIPALS,
    )
