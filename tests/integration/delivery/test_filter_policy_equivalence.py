"""One filter, two evaluators: `matches()` must agree with SNS filtering of the generated policy."""

from __future__ import annotations

import json

import boto3
import moto
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tensionwatch.models import Alert
from tensionwatch.subscriptions import SubscriptionFilter, matches, sns_filter_policy
from tests.integration.delivery.strategies import alerts, filters
from tests.integration.delivery.topic import publish


def _delivered_ids(spec: SubscriptionFilter, batch: list[Alert]) -> set[str]:
    with moto.mock_aws():
        sns = boto3.client("sns", region_name="us-east-1")
        sqs = boto3.client("sqs", region_name="us-east-1")
        topic = sns.create_topic(Name="AlertsTopic")["TopicArn"]
        queue = sqs.create_queue(QueueName="DeliveryQueue")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
        sns.subscribe(
            TopicArn=topic,
            Protocol="sqs",
            Endpoint=arn["Attributes"]["QueueArn"],
            Attributes={
                "RawMessageDelivery": "true",
                "FilterPolicy": json.dumps(sns_filter_policy(spec)),
                "FilterPolicyScope": "MessageAttributes",
            },
        )
        for alert in batch:
            publish(sns, topic, alert)
        got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)
        return {json.loads(m["Body"])["id"] for m in got.get("Messages", [])}


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=filters(), batch=st.lists(alerts(), min_size=1, max_size=8))
def test_sns_filter_policy_delivers_exactly_what_matches_accepts(
    spec: SubscriptionFilter, batch: list[Alert]
) -> None:
    expected = {alert.id for alert in batch if matches(spec, alert)}
    assert _delivered_ids(spec, batch) == expected


def test_pair_or_country_filter_is_either_not_both() -> None:
    spec = SubscriptionFilter(dyads=("JP-KR",), countries=("CN",))
    batch = [
        _alert("JP-KR", "a"),
        _alert("CN-US", "b"),
        _alert("RU-US", "c"),
    ]
    assert _delivered_ids(spec, batch) == {"a", "b"}


def _alert(dyad: str, alert_id: str) -> Alert:
    from tests.factories import make_alert

    return make_alert(dyad, id=alert_id)
