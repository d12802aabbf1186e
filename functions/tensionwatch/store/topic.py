"""AlertsTopic: publishes an alert with the message attributes subscriptions filter on and a
per-protocol body (`MessageStructure=json`): JSON for machines and queues, text for email."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3

from tensionwatch.alerts.email import render_email_text, subject_line
from tensionwatch.models import Alert

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient


def message_attributes(alert: Alert) -> dict[str, Any]:
    """The attributes of the contract: dyad, countries, direction, severity, kind, score."""
    text = {name: {"DataType": "String", "StringValue": value}
            for name, value in (("dyad", alert.dyad), ("direction", alert.direction),
                                ("severity", alert.severity), ("kind", alert.kind))}  # fmt: skip
    return {
        **text,
        "countries": {"DataType": "String.Array", "StringValue": json.dumps(list(alert.countries))},
        "score": {"DataType": "Number", "StringValue": f"{alert.score:.2f}"},
    }


def publish_request(alert: Alert) -> dict[str, Any]:
    """The Publish call's arguments for `alert`, less the topic: a JSON body per protocol, the
    email subject and the filter attributes (what counts toward SNS's 256 KB)."""
    message = {"default": alert.model_dump_json(), "email": render_email_text(alert)}
    return {
        "Message": json.dumps(message),
        "MessageStructure": "json",
        "Subject": subject_line(alert),
        "MessageAttributes": message_attributes(alert),
    }


class AlertTopic:
    """The SNS topic every alert goes out on."""

    def __init__(self, topic_arn: str, client: SNSClient | None = None) -> None:
        self._arn = topic_arn
        self._client: Any = client or boto3.client("sns")

    def publish(self, alert: Alert) -> str:
        """Publish `alert`; returns the SNS message id. Raises botocore's ClientError when SNS
        refuses (the record is retried; the alert stays recorded, unpublished)."""
        answer = self._client.publish(TopicArn=self._arn, **publish_request(alert))
        return str(answer["MessageId"])
