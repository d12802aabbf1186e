"""Webhook renderer: the Standard Webhooks body of an alert or a digest (the `webhook.v1`
schema, tensionwatch.contracts). Pure."""

from __future__ import annotations

import hashlib
from datetime import datetime

from tensionwatch.alerts.common import cleaned
from tensionwatch.contracts import AlertEvent, AlertEventType, DigestEvent
from tensionwatch.digests.model import Digest
from tensionwatch.models import Alert


def event_type(alert: Alert, *, test: bool = False) -> AlertEventType:
    """`test` for test sends, `alert.resolved` for resolved notices, else `alert.fired`."""
    if test:
        return "test"
    return "alert.resolved" if alert.kind == "resolved" else "alert.fired"


def webhook_id(notice_id: str, subscription_id: str, *, test: bool = False) -> str:
    """The `webhook-id`: the same for every retry of one alert or digest to one subscription,
    so a receiver can use it as its idempotency key; distinct for test sends."""
    seed = f"{'test|' if test else ''}{notice_id}|{subscription_id}"
    return "msg_" + hashlib.sha256(seed.encode()).hexdigest()[:32]


def render_webhook(alert: Alert, *, test: bool = False, now: datetime | None = None) -> bytes:
    """The JSON body `{"type", "timestamp", "data"}`. `timestamp` is when the alert fired, so
    every retry sends the same bytes; a test send is stamped `now` when given. Text from the
    news arrives without control or bidi/zero-width characters, as on every channel."""
    stamp = now if test and now is not None else alert.fired_at
    event = AlertEvent(type=event_type(alert, test=test), timestamp=stamp, data=cleaned(alert))
    return event.model_dump_json().encode()


def render_digest_webhook(digest: Digest) -> bytes:
    """The JSON body `{"type": "digest", "dataschema", "timestamp", "data"}`, stamped with the
    period's end so every retry sends the same bytes; news text cleaned as everywhere."""
    event = DigestEvent(timestamp=digest.period_end, data=cleaned(digest))
    return event.model_dump_json().encode()
