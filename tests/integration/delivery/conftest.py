"""The deliver handler wired to moto and to local receivers (http allowed: local/test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from tensionwatch.config import deliver_settings
from tensionwatch.handlers import deliver
from tests.integration.delivery.stack import (
    MAX_RECEIVES,
    SECRETS_PREFIX,
    DeliveryStack,
    delivery_stack,
)


@pytest.fixture
def stack(
    aws: None, monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer
) -> Iterator[DeliveryStack]:
    resources = delivery_stack()
    monkeypatch.setenv("SUBSCRIPTIONS_TABLE", "SubscriptionsTable")
    monkeypatch.setenv("NOTIFICATIONS_TABLE", "NotificationsTable")
    monkeypatch.setenv("WEBHOOK_SECRETS_PREFIX", SECRETS_PREFIX)
    monkeypatch.setenv("ALLOW_HTTP_TARGETS", "true")
    monkeypatch.setenv("TARGET_PORTS", str(httpserver.port))  # the local receivers' port
    monkeypatch.setenv("MAX_RECEIVES", str(MAX_RECEIVES))
    monkeypatch.setenv("MAX_CONSECUTIVE_FAILURES", "4")
    monkeypatch.setenv("RETRY_BASE_SECONDS", "0")  # retries come back at once in tests
    deliver_settings.cache_clear()
    deliver.pipeline.cache_clear()
    yield resources
    deliver.pipeline.cache_clear()
    deliver_settings.cache_clear()
