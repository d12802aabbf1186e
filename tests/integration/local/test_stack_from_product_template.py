"""The offline stack builds the product's own template.yaml: the schema tests run against is
the schema that is deployed."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest

from tensionwatch.local.stack import TEMPLATE, Stack, build_stack
from tensionwatch.local.template import load_template

RESOURCES = load_template(TEMPLATE)["Resources"]


def of_type(kind: str) -> list[str]:
    return sorted(name for name, spec in RESOURCES.items() if spec["Type"] == kind)


@pytest.fixture
def stack(aws: None) -> Iterator[Stack]:
    yield build_stack()


def test_every_table_exists_with_pk_sk_and_its_ttl(stack: Stack) -> None:
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    assert sorted(stack.tables) == of_type("AWS::DynamoDB::Table")
    for name, table in stack.tables.items():
        described = dynamodb.describe_table(TableName=table)["Table"]
        assert [k["AttributeName"] for k in described["KeySchema"]] == ["pk", "sk"]
        ttl = RESOURCES[name]["Properties"].get("TimeToLiveSpecification")
        status = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
        assert (status.get("AttributeName") if ttl else None) == (ttl or {}).get("AttributeName")


def test_every_queue_exists_with_the_templates_visibility_and_redrive(stack: Stack) -> None:
    sqs = boto3.client("sqs", region_name="us-east-1")
    assert sorted(stack.queues) == of_type("AWS::SQS::Queue")
    for name, url in stack.queues.items():
        props = RESOURCES[name]["Properties"]
        got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        if "VisibilityTimeout" in props:
            assert got["VisibilityTimeout"] == str(props["VisibilityTimeout"])
        if "RedrivePolicy" in props:
            redrive = json.loads(got["RedrivePolicy"])
            dlq = props["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
            assert redrive["deadLetterTargetArn"] == stack.queue_arns[dlq]
            assert int(redrive["maxReceiveCount"]) == props["RedrivePolicy"]["maxReceiveCount"]


def test_delivery_queue_gets_alerts_raw_from_the_topic(stack: Stack) -> None:
    sns = boto3.client("sns", region_name="us-east-1")
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=stack.topics["AlertsTopic"])
    raw = [
        s
        for s in subscriptions["Subscriptions"]
        if s["Endpoint"] == stack.queue_arns["DeliveryQueue"]
    ]
    attributes = sns.get_subscription_attributes(SubscriptionArn=raw[0]["SubscriptionArn"])
    assert attributes["Attributes"]["RawMessageDelivery"] == "true"


def test_functions_read_the_physical_names_of_their_resources(stack: Stack) -> None:
    poll = stack.functions["PollFunction"]
    assert poll.environment["SCORE_QUEUE_URL"] == stack.queues["ScoreQueue"]
    assert poll.environment["ARTICLES_TABLE"] == stack.tables["ArticlesTable"]
    assert [s.queue for s in stack.functions["DeliverFunction"].sqs] == ["DeliveryQueue"]
    assert all(s.report_failures for f in stack.functions.values() for s in f.sqs)
    assert poll.schedules and poll.schedules[0].input["scheduled_time"].startswith("<aws.")
