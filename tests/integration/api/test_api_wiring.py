"""The api handler as deployed: settings from the environment, every store real (on moto)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from tensionwatch.config import api_settings
from tensionwatch.handlers import api
from tests.integration.api.client import OPS, call
from tests.integration.sources.aws import create_table

TABLES = {"SUBSCRIPTIONS_TABLE": "SubscriptionsTable", "SILENCES_TABLE": "SilencesTable",
          "ALERTS_TABLE": "AlertsTable", "DYADS_TABLE": "DyadsTable"}  # fmt: skip


@pytest.fixture
def deployed(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    for variable, table in TABLES.items():
        create_table(dynamodb, table)
        monkeypatch.setenv(variable, table)
    topic = boto3.client("sns", region_name="us-east-1").create_topic(Name="AlertsTopic")
    monkeypatch.setenv("ALERTS_TOPIC_ARN", topic["TopicArn"])
    api_settings.cache_clear()
    api.services.cache_clear()
    yield
    api.services.cache_clear()
    api_settings.cache_clear()


def test_every_store_answers_through_the_deployed_wiring(deployed: None) -> None:
    ends = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    silence = call("POST", "/silences", {"country": "TR", "ends_at": ends, "created_by": "ops"})
    assert silence.status == 201
    assert [s["id"] for s in call("GET", "/silences").body] == [silence.body["id"]]
    assert call("DELETE", f"/silences/{silence.body['id']}").status == 204
    assert call("GET", "/alerts", query={"dyad": "GR-TR"}).body["alerts"] == []
    assert call("GET", "/dyads/GR-TR").status == 404
    email = call("POST", "/subscriptions", {"channel": "email", "target": "desk@example.com"})
    assert email.status == 201
    assert [s["id"] for s in call("GET", "/subscriptions").body] == [email.body["id"]]


def test_admin_principals_from_the_environment_see_every_subscription(
    deployed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = "arn:aws:iam::123456789012:role/TensionWatchAdmin"
    monkeypatch.setenv("ADMIN_PRINCIPALS", f"{admin}, arn:aws:iam::123456789012:user/root-ops")
    body = {"channel": "email", "target": "desk@example.com"}
    created = call("POST", "/subscriptions", body).body
    session = "arn:aws:sts::123456789012:assumed-role/TensionWatchAdmin/jane"
    assert [s["id"] for s in call("GET", "/subscriptions", caller=session).body] == [created["id"]]
    other = OPS.replace("user/ops", "user/someone-else")
    assert call("GET", "/subscriptions", caller=other).body == []
