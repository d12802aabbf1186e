"""The score function's world in moto: its tables, the AlertsTopic, and two queues subscribed
with raw delivery (one filtered on `dyad`, one taking everything); the Lambda SQS event built
from articles with the canned record of tests/events/sqs_articles.json."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import boto3

from tensionwatch.local.lambda_events import FakeContext as LambdaContextStub
from tensionwatch.local.template import load_template
from tensionwatch.models import Alert, Article
from tensionwatch.store.dyad_items import short_digest
from tests.integration.sources.aws import create_table

EVENTS = Path(__file__).resolve().parents[2] / "events"
TABLES = {
    "DYADS_TABLE": "DyadsTable",
    "ALERTS_TABLE": "AlertsTable",
    "SILENCES_TABLE": "SilencesTable",
}
FILTERED_DYAD = "JP-KR"
TEMPLATE = Path(__file__).resolve().parents[3] / "template.yaml"


def score_batch_size() -> int:
    """The ScoreFunction's SQS `BatchSize` in template.yaml: the batches it is handed."""
    function = load_template(TEMPLATE)["Resources"]["ScoreFunction"]["Properties"]
    return int(function["Events"]["Articles"]["Properties"]["BatchSize"])


FakeContext = partial(LambdaContextStub, "ScoreFunction")  # the offline stack's context


@dataclass
class Received:
    alert: Alert
    attributes: dict[str, Any]


@dataclass
class ScoreStack:
    sqs: Any
    topic_arn: str
    filtered_url: str  # subscribed with FilterPolicy {"dyad": [FILTERED_DYAD]}
    all_url: str

    def received(self, url: str) -> list[Received]:
        """Everything now on a subscribed queue (deleted as read), in arrival order."""
        found: list[Received] = []
        while True:
            got = self.sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
            ).get("Messages", [])
            if not got:
                return found
            for message in got:
                found.append(
                    Received(
                        Alert.model_validate_json(message["Body"]),
                        message.get("MessageAttributes", {}),
                    )
                )
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def score_stack() -> ScoreStack:
    """Create the resources (call inside mock_aws)."""
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    for name in TABLES.values():
        create_table(dynamodb, name)
    sns = boto3.client("sns", region_name="us-east-1")
    sqs = boto3.client("sqs", region_name="us-east-1")
    topic = sns.create_topic(Name="AlertsTopic")["TopicArn"]
    urls = []
    for name, policy in (("JpKrQueue", {"dyad": [FILTERED_DYAD]}), ("AllQueue", None)):
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        attributes = {"RawMessageDelivery": "true"}
        if policy:
            attributes["FilterPolicy"] = json.dumps(policy)
        sns.subscribe(
            TopicArn=topic,
            Protocol="sqs",
            Attributes=attributes,
            Endpoint=arn["Attributes"]["QueueArn"],
        )
        urls.append(url)
    return ScoreStack(sqs, topic, urls[0], urls[1])


def outlet_marks(*names: str) -> frozenset[str]:
    """What a tally read from the DyadsTable holds for these outlets (their digests)."""
    return frozenset(short_digest(name).hex() for name in names)


def sqs_event(bodies: Iterable[Article | str]) -> dict[str, Any]:
    """A Lambda SQS event with one record per body (an Article, or raw text)."""
    template = json.loads((EVENTS / "sqs_articles.json").read_text())["Records"][0]
    records = []
    for body in bodies:
        record = copy.deepcopy(template)
        text = body if isinstance(body, str) else body.model_dump_json()
        record.update(messageId=str(uuid.uuid5(uuid.NAMESPACE_URL, text)), body=text)
        records.append(record)
    return {"Records": records}
