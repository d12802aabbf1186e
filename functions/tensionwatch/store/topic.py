"""AlertsTopic: publishes an alert with the message attributes subscriptions filter on and a
per-protocol body (`MessageStructure=json`): JSON for machines and queues, text for email.

It also carries each email subscription's digests, addressed by `kind` = `digest:<id>`, which
only that subscription's policy lists (`tensionwatch.subscriptions.email_filter_policy`); the
DeliveryQueue's policy takes alert kinds only."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from tensionwatch.alerts.digest_email import digest_subject, render_digest_email
from tensionwatch.alerts.email import render_email_text, subject_line
from tensionwatch.delivery.errors import DeliveryError
from tensionwatch.digests.build import shrunk
from tensionwatch.digests.model import Digest
from tensionwatch.models import Alert, Direction, Severity
from tensionwatch.store.ddb import error_code
from tensionwatch.subscriptions import Subscription, digest_kind

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


# SNS refuses a Publish over 256 KB (262,144 bytes, message, subject and attributes); the rest
# of the request is small.
SNS_BUDGET = 250_000
ALL_DIRECTIONS: tuple[Direction, ...] = ("thaw", "escalation", "neutral")
ALL_SEVERITIES: tuple[Severity, ...] = ("info", "warning", "critical")
# SNS answers that a later try can pass (its own throttling, a KMS hiccup, a bad moment).
RETRYABLE = {"Throttling", "ThrottlingException", "ThrottledException", "InternalError",
             "InternalFailure", "ServiceUnavailable", "KMSThrottlingException",
             "KMSDisabledException", "KMSNotFoundException"}  # fmt: skip


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


def digest_attributes(subscription: Subscription, digest: Digest) -> dict[str, Any]:
    """A digest's attributes: addressed by `kind` to its subscription, and true to what a
    digest is, so they pass that subscription's own clauses: the pairs and countries it covers
    (its filter's, and the period's), every direction and severity (it summarises them all)."""
    dyads = sorted({*subscription.filter.dyads, *(pair.dyad for pair in digest.pairs)})
    countries = sorted({*subscription.filter.countries, *(c for d in dyads for c in d.split("-"))})
    arrays = {"dyad": dyads, "countries": countries, "direction": list(ALL_DIRECTIONS),
              "severity": list(ALL_SEVERITIES)}  # fmt: skip
    attributes: dict[str, Any] = {
        name: {"DataType": "String.Array", "StringValue": json.dumps(values)}
        for name, values in arrays.items()
        if values
    }
    attributes["kind"] = {"DataType": "String", "StringValue": digest_kind(subscription.id)}
    return attributes


def digest_publish_request(subscription: Subscription, digest: Digest) -> dict[str, Any]:
    """The Publish call's arguments for an email subscription's digest, less the topic; a
    digest too large for one SNS message loses its last stories, pairs or alerts (counted in
    the digest) until it fits."""
    while True:
        message = {"default": digest.model_dump_json(), "email": render_digest_email(digest)}
        request = {
            "Message": json.dumps(message),
            "MessageStructure": "json",
            "Subject": digest_subject(digest),
            "MessageAttributes": digest_attributes(subscription, digest),
        }
        smaller = shrunk(digest) if len(json.dumps(request).encode()) > SNS_BUDGET else None
        if smaller is None:
            return request
        digest = smaller


class DigestMail:
    """Email digests, through the email subscriptions SNS already holds on the AlertsTopic."""

    def __init__(self, topic_arn: str, client: SNSClient | None = None) -> None:
        self._arn = topic_arn
        self._client: Any = client or boto3.client("sns")

    def send(self, subscription: Subscription, digest: Digest) -> None:
        """Publish the digest to its subscription alone; raises DeliveryError (recoverable
        when SNS throttles or fails inside, not when it refuses the message)."""
        try:
            self._client.publish(TopicArn=self._arn,
                                 **digest_publish_request(subscription, digest))  # fmt: skip
        except ClientError as error:
            code = error_code(error)
            raise DeliveryError(f"SNS {code}", recoverable=code in RETRYABLE) from None
        except BotoCoreError as error:
            raise DeliveryError(f"SNS: {type(error).__name__}", recoverable=True) from None
