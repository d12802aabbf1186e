"""The webhook body and id: stable across retries, typed by what happened."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tensionwatch.alerts.webhook import render_webhook, webhook_id
from tensionwatch.models import Alert
from tests.factories import make_alert, wide_alert


def test_fired_alert_payload_carries_type_timestamp_and_the_alert() -> None:
    alert = make_alert()
    body = json.loads(render_webhook(alert))
    assert body["type"] == "alert.fired"
    assert body["timestamp"] == "2026-11-02T09:00:00Z"
    assert body["data"]["id"] == alert.id
    assert body["data"]["schema_version"] == 2


def test_payload_articles_carry_the_pairs_their_story_is_about() -> None:
    body = json.loads(render_webhook(wide_alert()))
    assert [a["pairs"] for a in body["data"]["articles"]] == [["BO-EC", "CL-EC", "EC-PE"]]


def test_a_schema_1_alert_in_flight_during_a_deploy_still_parses() -> None:
    old = make_alert().model_dump(mode="json")
    old["schema_version"] = 1
    for article in old["articles"]:
        del article["pairs"]
    assert Alert.model_validate(old).articles[0].pairs == ()


def test_resolved_and_test_types() -> None:
    assert json.loads(render_webhook(make_alert(kind="resolved")))["type"] == "alert.resolved"
    now = datetime(2026, 11, 3, tzinfo=UTC)
    test = json.loads(render_webhook(make_alert(), test=True, now=now))
    assert test["type"] == "test"
    assert test["timestamp"] == "2026-11-03T00:00:00Z"


def test_retries_send_identical_bytes_and_id() -> None:
    alert = make_alert()
    assert render_webhook(alert) == render_webhook(alert)
    assert webhook_id(alert.id, "sub-1") == webhook_id(alert.id, "sub-1")
    assert webhook_id(alert.id, "sub-1") != webhook_id(alert.id, "sub-2")
    assert webhook_id(alert.id, "sub-1") != webhook_id(alert.id, "sub-1", test=True)
