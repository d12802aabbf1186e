"""One filter, two evaluators: `matches()` must agree with SNS filtering of the generated policy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import moto
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tensionwatch.models import Alert
from tensionwatch.store.topic import AlertTopic
from tensionwatch.subscriptions import SubscriptionFilter, matches, sns_filter_policy
from tests.factories import make_alert
from tests.integration.delivery.strategies import alerts, filters


@dataclass
class Topic:
    sns: Any
    sqs: Any
    topic_arn: str
    subscription_arn: str
    queue_url: str

    def delivered_ids(self, spec: SubscriptionFilter, batch: list[Alert]) -> set[str]:
        """Publish `batch` with the queue's subscription filtered by `spec`'s policy; the ids
        SNS let through."""
        self.sns.set_subscription_attributes(
            SubscriptionArn=self.subscription_arn,
            AttributeName="FilterPolicy",
            AttributeValue=json.dumps(sns_filter_policy(spec)),
        )
        for alert in batch:
            AlertTopic(self.topic_arn, self.sns).publish(alert)  # the score function's publisher
        ids: set[str] = set()
        while got := self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10):
            for message in got.get("Messages", []):
                ids.add(json.loads(message["Body"])["id"])
                self.sqs.delete_message(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )
            if not got.get("Messages"):
                break
        return ids


@pytest.fixture(scope="module")
def topic() -> Iterator[Topic]:
    """AlertsTopic → DeliveryQueue (raw delivery), set up once: moto's start-up is the cost."""
    with moto.mock_aws():
        sns = boto3.client("sns", region_name="us-east-1")
        sqs = boto3.client("sqs", region_name="us-east-1")
        topic_arn = sns.create_topic(Name="AlertsTopic")["TopicArn"]
        queue = sqs.create_queue(QueueName="DeliveryQueue")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
        subscription = sns.subscribe(
            TopicArn=topic_arn,
            Protocol="sqs",
            Endpoint=arn["Attributes"]["QueueArn"],
            Attributes={
                "RawMessageDelivery": "true",
                "FilterPolicy": json.dumps(sns_filter_policy(SubscriptionFilter())),
                "FilterPolicyScope": "MessageAttributes",
            },
            ReturnSubscriptionArn=True,
        )
        yield Topic(sns, sqs, topic_arn, subscription["SubscriptionArn"], queue)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(spec=filters(), batch=st.lists(alerts(), min_size=1, max_size=8))
def test_sns_filter_policy_delivers_exactly_what_matches_accepts(
    topic: Topic, spec: SubscriptionFilter, batch: list[Alert]
) -> None:
    expected = {alert.id for alert in batch if matches(spec, alert)}
    assert topic.delivered_ids(spec, batch) == expected


def test_pair_or_country_filter_is_either_not_both(topic: Topic) -> None:
    spec = SubscriptionFilter(dyads=("JP-KR",), countries=("CN",))
    batch = [make_alert("JP-KR", id="a"), make_alert("CN-US", id="b"), make_alert("RU-US", id="c")]
    assert topic.delivered_ids(spec, batch) == {"a", "b"}
