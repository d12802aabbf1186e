"""The payload contracts: the schemas published in docs/schemas are the ones the models
generate, and they catch what a receiver would trip on (a field added without its schema, data
of the wrong kind for the event's type). Every payload the suite and the demo produce is
validated by the `payload_contracts` spy (tests/conftest.py)."""

from __future__ import annotations

import json

from tensionwatch.alerts.webhook import render_digest_webhook, render_webhook
from tensionwatch.contracts import published_text, schema_names
from tensionwatch.store.topic import digest_publish_request, publish_request
from tensionwatch.subscriptions import Delivery, Subscription
from tests.contracts import SCHEMAS, check_sns, check_webhook, problems
from tests.factories import T0, make_alert, make_digest

DIGESTED = Subscription(
    id="sub_test", channel="email", target="desk@example.com", created_at=T0,
    delivery=Delivery.model_validate({"mode": "digest", "digest": {"at": "09:00"}}),
)  # fmt: skip


def test_the_published_schemas_are_exactly_what_the_models_generate() -> None:
    published = sorted(path.stem for path in SCHEMAS.glob("*.json"))
    assert published == sorted(schema_names()), "run `make schemas`"
    for name in schema_names():
        text = (SCHEMAS / f"{name}.json").read_text(encoding="utf-8")
        assert text == published_text(name), f"{name} changed: `make schemas` (and a new version?)"


def test_every_payload_kind_validates_as_rendered() -> None:
    assert check_webhook(render_webhook(make_alert())) == []
    assert check_webhook(render_webhook(make_alert(kind="resolved"))) == []
    assert check_webhook(render_digest_webhook(make_digest(200, stories=8))) == []
    assert check_sns(publish_request(make_alert())) == []
    assert check_sns(digest_publish_request(DIGESTED, make_digest())) == []


def test_a_field_added_without_the_schema_fails() -> None:
    event = json.loads(render_digest_webhook(make_digest()))
    event["data"]["pairs"][0]["trend"] = "up"
    assert any("trend" in found for found in problems("webhook.v1", event))
    alert = json.loads(render_webhook(make_alert()))
    alert["data"]["articles"][0]["image"] = "https://x.example/a.png"
    assert any("image" in found for found in problems("alert.v2", alert["data"]))
    alert["priority"] = 1
    assert problems("webhook.v1", alert) != []


def test_data_of_the_wrong_kind_for_the_event_type_fails() -> None:
    event = json.loads(render_digest_webhook(make_digest()))
    event["data"] = json.loads(render_webhook(make_alert()))["data"]
    assert problems("webhook.v1", event) != []
    event = json.loads(render_webhook(make_alert()))
    event["type"] = "alert.paused"
    assert problems("webhook.v1", event) != []
