"""The deliver function's world in moto: tables, DeliveryQueue with its DLQ, secrets; and the
Lambda SQS event built from messages really received from that queue."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import boto3

from tensionwatch.local.lambda_events import FakeContext as LambdaContextStub
from tensionwatch.models import Alert
from tensionwatch.store.notifications import Notification, NotificationLog
from tensionwatch.store.secrets import SecretStore
from tensionwatch.store.subscriptions import SubscriptionStore
from tensionwatch.subscriptions import Channel, Subscription, SubscriptionFilter
from tests.integration.sources.aws import create_table

EVENTS = Path(__file__).resolve().parents[2] / "events"
SECRETS_PREFIX = "tw-test/webhooks/"
MAX_RECEIVES = 3  # the redrive count of this test queue (and MAX_RECEIVES in the settings)


FakeContext = partial(LambdaContextStub, "DeliverFunction")  # the offline stack's context


@dataclass
class DeliveryStack:
    sqs: Any
    queue_url: str
    queue_arn: str
    dlq_url: str
    subscriptions: SubscriptionStore
    log: NotificationLog
    secrets: SecretStore

    def enqueue(self, alert: Alert) -> None:
        """What raw delivery from the AlertsTopic puts on the queue: the Alert JSON."""
        self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=alert.model_dump_json())

    def receive_event(self) -> dict[str, Any]:
        """A Lambda SQS event of the messages now visible on the DeliveryQueue."""
        got = self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]
        ).get("Messages", [])
        template = json.loads((EVENTS / "sqs_delivery.json").read_text())["Records"][0]
        records = []
        for message in got:
            record = copy.deepcopy(template)
            record.update(
                messageId=message["MessageId"],
                body=message["Body"],
                receiptHandle=message["ReceiptHandle"],
                eventSourceARN=self.queue_arn,
            )
            record["attributes"].update(message["Attributes"])
            records.append(record)
        return {"Records": records}  # fmt: skip

    def dead_letters(self) -> list[str]:
        got = self.sqs.receive_message(QueueUrl=self.dlq_url, MaxNumberOfMessages=10)
        return [m["Body"] for m in got.get("Messages", [])]

    def subscribe(
        self, channel: Channel, target: str, sub_id: str, spec: SubscriptionFilter | None = None
    ) -> str | None:
        """Store a subscription; for webhooks create its secret and return it."""
        self.subscriptions.put(Subscription(
            id=sub_id, channel=channel, target=target, filter=spec or SubscriptionFilter(),
            created_at=datetime(2026, 11, 1, tzinfo=UTC),
        ))  # fmt: skip
        return self.secrets.create(sub_id) if channel == "webhook" else None

    def notifications(self, alert_id: str) -> dict[str, Notification]:
        return {n.subscription_id: n for n in self.log.for_alert(alert_id)}


def delivery_stack() -> DeliveryStack:
    """Create the deliver function's resources (call inside mock_aws)."""
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    sqs = boto3.client("sqs", region_name="us-east-1")
    for name in ("SubscriptionsTable", "NotificationsTable"):
        create_table(dynamodb, name)
    dlq_url = sqs.create_queue(QueueName="DeliveryDLQ")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])
    redrive = {"deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"],
               "maxReceiveCount": MAX_RECEIVES}  # fmt: skip
    queue_url = sqs.create_queue(
        QueueName="DeliveryQueue",
        Attributes={"RedrivePolicy": json.dumps(redrive), "VisibilityTimeout": "60"},
    )["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    return DeliveryStack(
        sqs=sqs,
        queue_url=queue_url,
        queue_arn=arn["Attributes"]["QueueArn"],
        dlq_url=dlq_url,
        subscriptions=SubscriptionStore("SubscriptionsTable", dynamodb),
        log=NotificationLog("NotificationsTable", dynamodb),
        secrets=SecretStore(
            SECRETS_PREFIX, boto3.client("secretsmanager", region_name="us-east-1")
        ),
    )
