"""The delivery adapters on moto: secrets with rotation, the notification log's claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from tensionwatch.store.notifications import LEASE, NotificationLog
from tensionwatch.store.secrets import SecretStore
from tests.integration.lost_answers import LostAnswerClient
from tests.integration.sources.aws import create_table

NOW = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)


@pytest.fixture
def secrets(aws: None) -> SecretStore:
    return SecretStore("tw/", boto3.client("secretsmanager", region_name="us-east-1"))


@pytest.fixture
def log(aws: None) -> NotificationLog:
    client = boto3.client("dynamodb", region_name="us-east-1")
    create_table(client, "NotificationsTable")
    return NotificationLog("NotificationsTable", client)


def test_generated_secrets_are_standard_webhooks_secrets_and_distinct(secrets: SecretStore) -> None:
    first, second = secrets.create("a"), secrets.create("b")
    assert first.startswith("whsec_") and len(first) >= len("whsec_") + 32  # 24+ random bytes
    assert first != second


def test_rotation_signs_with_both_until_the_old_secret_expires(secrets: SecretStore) -> None:
    old = secrets.create("a")
    new = secrets.rotate("a", NOW, overlap=timedelta(hours=1))
    assert secrets.signing_secrets("a", NOW) == [new, old]
    assert secrets.signing_secrets("a", NOW + timedelta(hours=1)) == [new]


def test_claim_is_once_until_the_outcome_is_recorded(log: NotificationLog) -> None:
    assert log.claim("alert", "sub", NOW) == "claimed"
    assert log.claim("alert", "sub", NOW) == "busy"
    log.finish("alert", "sub", "sent", NOW)
    assert log.claim("alert", "sub", NOW) == "done"


def test_a_send_that_died_mid_flight_can_be_claimed_after_its_lease(log: NotificationLog) -> None:
    assert log.claim("alert", "sub", NOW) == "claimed"
    assert log.claim("alert", "sub", NOW + LEASE + timedelta(seconds=1)) == "claimed"
    [record] = log.for_alert("alert")
    assert record.attempts == 2


def test_retrying_is_claimable_and_failed_is_final(log: NotificationLog) -> None:
    log.claim("alert", "s1", NOW)
    log.finish("alert", "s1", "retrying", NOW, "HTTP 503")
    assert log.claim("alert", "s1", NOW) == "claimed"
    log.finish("alert", "s1", "failed", NOW, "HTTP 400")
    assert log.claim("alert", "s1", NOW) == "done"
    assert log.for_alert("alert")[0].reason == "HTTP 400"


def test_a_subscription_without_a_secret_has_nothing_to_sign_with(secrets: SecretStore) -> None:
    assert secrets.signing_secrets("never-created", NOW) == []


def test_a_claim_whose_answer_was_lost_and_retried_is_still_claimed(aws: None) -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    create_table(client, "NotificationsTable")
    lossy = LostAnswerClient(client)
    log = NotificationLog("NotificationsTable", lossy)
    # The retry meets the claim it made itself: the send goes ahead now, not a lease later.
    assert log.claim("alert", "sub", NOW) == "claimed"
    assert lossy.repeated == 1
    # Another receive within the lease is still refused.
    assert NotificationLog("NotificationsTable", client).claim("alert", "sub", NOW) == "busy"
