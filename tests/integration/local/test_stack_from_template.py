"""The offline stack builds moto resources from a template's own properties."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import moto
import pytest

from tensionwatch.local.stack import build_stack

MINI = Path(__file__).with_name("mini_template.yaml")


def test_table_has_the_templates_keys_billing_and_ttl(aws: None) -> None:
    stack = build_stack(MINI)
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    table = dynamodb.describe_table(TableName=stack.tables["ArticlesTable"])["Table"]
    assert [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]] == [
        ("pk", "HASH"),
        ("sk", "RANGE"),
    ]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = dynamodb.describe_time_to_live(TableName=stack.tables["ArticlesTable"])
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"


def test_queue_has_visibility_and_redrive_to_its_dlq(aws: None) -> None:
    stack = build_stack(MINI)
    sqs = boto3.client("sqs", region_name="us-east-1")
    attributes = sqs.get_queue_attributes(
        QueueUrl=stack.queues["WorkQueue"], AttributeNames=["All"]
    )["Attributes"]
    assert attributes["VisibilityTimeout"] == "180"
    redrive = json.loads(attributes["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"] == stack.queue_arns["WorkDLQ"]
    assert int(redrive["maxReceiveCount"]) == 3


def test_sub_and_raw_delivery_subscription_resolve(aws: None) -> None:
    stack = build_stack(MINI)
    assert stack.topics["AlertsTopic"].endswith(":tensionwatch-local-alerts")
    sns = boto3.client("sns", region_name="us-east-1")
    attributes = sns.get_subscription_attributes(
        SubscriptionArn=stack.subscriptions["AlertsToWork"]
    )["Attributes"]
    assert attributes["Endpoint"] == stack.queue_arns["WorkQueue"]
    assert attributes["RawMessageDelivery"] == "true"


def test_conditional_resources_follow_their_condition() -> None:
    with moto.mock_aws():
        assert "ProdOnlyQueue" not in build_stack(MINI).queues
    with moto.mock_aws():
        assert "ProdOnlyQueue" in build_stack(MINI, {"Stage": "prod"}).queues


def test_function_environment_and_events_resolve_to_moto_names(aws: None) -> None:
    stack = build_stack(MINI)
    tick, work = stack.functions["TickFunction"], stack.functions["WorkFunction"]
    assert tick.environment == {
        "POWERTOOLS_SERVICE_NAME": "tensionwatch",
        "TOPIC_ARN": stack.topics["AlertsTopic"],
        "TABLE": stack.tables["ArticlesTable"],
    }
    assert tick.schedules[0].every.total_seconds() == 3600
    assert work.environment["QUEUE_NAME"] == stack.queues["WorkQueue"].rsplit("/", 1)[1]
    assert (work.sqs[0].queue, work.sqs[0].batch_size, work.sqs[0].report_failures) == (
        "WorkQueue",
        4,
        True,
    )


def test_a_reference_to_a_missing_resource_names_it(aws: None, tmp_path: Path) -> None:
    broken = tmp_path / "t.yaml"
    broken.write_text(
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
        "    Properties:\n      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt Nope.Arn\n"
    )
    with pytest.raises(ValueError, match="Q"):
        build_stack(broken)
