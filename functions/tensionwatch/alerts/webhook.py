"""Webhook renderer: the Standard Webhooks payload of an alert. Pure."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Literal

from tensionwatch.alerts.common import cleaned
from tensionwatch.models import Alert

EventType = Literal["alert.fired", "alert.resolved", "test"]


def event_type(alert: Alert, *, test: bool = False) -> EventType:
    """`test` for test sends, `alert.resolved` for resolved notices, else `alert.fired`."""
    if test:
        return "test"
    return "alert.resolved" if alert.kind == "resolved" else "alert.fired"


def webhook_id(alert_id: str, subscription_id: str, *, test: bool = False) -> str:
    """The `webhook-id`: the same for every retry of one alert to one subscription, so a
    receiver can use it as its idempotency key; distinct for test sends."""
    seed = f"{'test|' if test else ''}{alert_id}|{subscription_id}"
    return "msg_" + hashlib.sha256(seed.encode()).hexdigest()[:32]


def render_webhook(alert: Alert, *, test: bool = False, now: datetime | None = None) -> bytes:
    """The JSON body `{"type", "timestamp", "data"}`. `timestamp` is when the alert fired, so
    every retry sends the same bytes; a test send is stamped `now` when given. Text from the
    news arrives without control or bidi/zero-width characters, as on every channel."""
    stamp = now if test and now is not None else alert.fired_at
    payload = {
        "type": event_type(alert, test=test),
        "timestamp": stamp.isoformat().replace("+00:00", "Z"),
        "data": cleaned(alert).model_dump(mode="json"),
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
