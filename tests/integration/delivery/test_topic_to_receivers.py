"""From the AlertsTopic to the receivers: SNS raw delivery into the DeliveryQueue gives the deliver
handler exactly the Alert JSON, and the filter decides who hears about it."""

from __future__ import annotations

from typing import Any

import boto3
from pytest_httpserver import HTTPServer

from tensionwatch.handlers import deliver
from tensionwatch.store.topic import AlertTopic
from tensionwatch.subscriptions import SubscriptionFilter
from tests.factories import make_alert
from tests.integration.delivery.receivers import SlackReceiver, WebhookReceiver, serve
from tests.integration.delivery.stack import DeliveryStack, FakeContext


def test_published_alert_reaches_matching_receivers_once(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    sns: Any = boto3.client("sns", region_name="us-east-1")
    topic = sns.create_topic(Name="AlertsTopic")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=stack.queue_arn,
                  Attributes={"RawMessageDelivery": "true"})  # fmt: skip
    slack, hook = SlackReceiver(), WebhookReceiver([])
    stack.subscribe("slack", serve(httpserver, "/slack", slack), "s",
                    SubscriptionFilter(directions=("thaw",)))  # fmt: skip
    hook.secrets = [stack.subscribe("webhook", serve(httpserver, "/hook", hook), "w") or ""]
    thaw, escalation = make_alert("JP-KR"), make_alert("CN-US", direction="escalation")
    publisher = AlertTopic(topic, sns)  # the score function's own publisher
    publisher.publish(thaw)
    publisher.publish(escalation)
    event = stack.receive_event()
    assert sorted(r["body"] for r in event["Records"]) == sorted(
        a.model_dump_json() for a in (thaw, escalation)
    )
    result: Any = deliver.handler(event, FakeContext())  # type: ignore[arg-type]
    assert result["batchItemFailures"] == []
    assert [m["blocks"][0]["text"]["text"] for m in slack.received] == [
        "🕊️ JP-KR thaw: thawing (warning)"
    ]
    assert sorted(m["data"]["id"] for m in hook.received) == sorted([thaw.id, escalation.id])
