"""Email digests ride the email subscriptions SNS already holds: a digest reaches its own
subscription's address and no other, alerts reach each address as its delivery mode says, and
the DeliveryQueue (Slack and webhooks) sees alerts only. Judged by moto's SNS on the template's
own topic and subscriptions."""

from __future__ import annotations

import json

import boto3

from tensionwatch.local.stack import REGION
from tensionwatch.store.topic import AlertTopic, DigestMail
from tensionwatch.subscriptions import Subscription
from tests.factories import make_alert, make_digest
from tests.integration.digests.world import DigestWorld

DAILY = {"digest": {"at": "08:00", "timezone": "Europe/London"}}


def received(world: DigestWorld, sub_id: str) -> list[str]:
    """What the address would get: an alert's id, or `digest:<subscription>`."""
    return sorted(f"digest:{m['digest']['subscription_id']}" if "period_end" in m["digest"]
                  else str(m["digest"]["id"]) for m in world.emails(sub_id))  # fmt: skip


def test_each_address_gets_its_alerts_by_mode_and_only_its_own_digests(world: DigestWorld) -> None:
    spec = {"dyads": ["GR-TR"]}
    world.subscribe("sub_now", "email", {"mode": "immediate"}, spec)
    world.subscribe("sub_both", "email", {"mode": "both", "at_once_from": "critical", **DAILY},
                    spec)  # fmt: skip
    world.subscribe("sub_dig", "email", {"mode": "digest", **DAILY}, spec)
    sns = boto3.client("sns", region_name=REGION)
    topic = world.stack.topics["AlertsTopic"]
    critical = make_alert("GR-TR", direction="escalation", severity="critical")
    warning = make_alert("GR-TR", kind="flash", direction="escalation", severity="warning")
    for alert in (critical, warning):
        AlertTopic(topic, sns).publish(alert)
    mail = DigestMail(topic, sns)
    for sub_id in ("sub_both", "sub_dig"):
        subscription = world.subscriptions.get(sub_id)
        assert isinstance(subscription, Subscription)
        mail.send(subscription, make_digest(subscription_id=sub_id))

    assert received(world, "sub_now") == sorted([critical.id, warning.id])
    assert received(world, "sub_both") == sorted([critical.id, "digest:sub_both"])
    assert received(world, "sub_dig") == ["digest:sub_dig"]
    sqs = boto3.client("sqs", region_name=REGION)
    queued = sqs.receive_message(QueueUrl=world.stack.queues["DeliveryQueue"],
                                 MaxNumberOfMessages=10)["Messages"]  # fmt: skip
    assert sorted(json.loads(m["Body"])["id"] for m in queued) == sorted([critical.id, warning.id])


def test_an_email_digest_reads_as_plain_text_with_an_ascii_subject(world: DigestWorld) -> None:
    world.subscribe("sub_dig", "email", {"mode": "digest", **DAILY})
    subscription = world.subscriptions.get("sub_dig")
    assert subscription is not None
    sns = boto3.client("sns", region_name=REGION)
    DigestMail(world.stack.topics["AlertsTopic"], sns).send(
        subscription, make_digest(subscription_id="sub_dig")
    )
    (mail,) = world.emails("sub_dig")
    assert mail["subject"].startswith("Tension Watch daily digest, Tue 3 Nov 09:00")
    assert mail["subject"].isascii() and len(mail["subject"]) <= 100
