"""Builds the API's services from settings, with real AWS clients."""

from __future__ import annotations

import importlib
from typing import Any

from tensionwatch.api.service import ApiServices
from tensionwatch.config import ApiSettings
from tensionwatch.delivery.wiring import notifier
from tensionwatch.store.secrets import SecretStore
from tensionwatch.store.subscriptions import EmailSubscriptions, SubscriptionStore


def _store(module: str, name: str, table: str) -> Any:
    # The signals engineer's stores (contract: tensionwatch.store.{silences,alerts,dyads});
    # imported by name so this module type-checks before they land.
    return getattr(importlib.import_module(f"tensionwatch.store.{module}"), name)(table)


def api_services(settings: ApiSettings) -> ApiServices:
    """The API's stores and senders."""
    return ApiServices(
        subscriptions=SubscriptionStore(settings.SUBSCRIPTIONS_TABLE),
        email=EmailSubscriptions(settings.ALERTS_TOPIC_ARN),
        secrets=SecretStore(settings.WEBHOOK_SECRETS_PREFIX),
        notifier=notifier(settings.WEBHOOK_SECRETS_PREFIX, allow_local=settings.ALLOW_HTTP_TARGETS),
        silences=_store("silences", "SilenceStore", settings.SILENCES_TABLE),
        alerts=_store("alerts", "AlertStore", settings.ALERTS_TABLE),
        dyads=_store("dyads", "DyadStore", settings.DYADS_TABLE),
        allow_local=settings.ALLOW_HTTP_TARGETS,
    )
