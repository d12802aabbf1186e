"""SubscriptionsTable, and the SNS side of email subscriptions.

One partition holds every subscription (pk `subscription`, sk its id): the list is read on each
delivery and stays small (hundreds), so one Query beats a scan and needs no GSI. Status,
its reason, the run of consecutive failures and the digest cursor (`digest_through`: the end of
the last period the digest planner queued) are attributes of their own so they can change
atomically without rewriting the document.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

from tensionwatch.subscriptions import (
    Delivery,
    Subscription,
    SubscriptionFilter,
    email_filter_policy,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sns import SNSClient

PK = "subscription"
NO_KIND = "unsubscribed"  # no alert has this kind: the filter policy of a muted subscription
_STATE = {"status", "status_reason"}


class SubscriptionStore:
    """Subscriptions by id; `target` is stored but never logged."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table = table_name
        self._client: Any = client or boto3.client("dynamodb")

    def put(self, subscription: Subscription) -> None:
        """Create or replace `subscription` (its failure count restarts at zero)."""
        doc = subscription.model_dump_json(exclude=_STATE)
        item = {
            **_key(subscription.id),
            "doc": {"S": doc},
            "status": {"S": subscription.status},
            "status_reason": {"S": subscription.status_reason},
            "failures": {"N": "0"},
            "digest_through": {"S": _stamp(subscription.created_at)},
        }
        self._client.put_item(TableName=self._table, Item=item)

    def get(self, subscription_id: str) -> Subscription | None:
        """The subscription, or None when there is no such id."""
        item = self._client.get_item(
            TableName=self._table, Key=_key(subscription_id), ConsistentRead=True
        ).get("Item")
        return _from_item(item) if item else None

    def list_all(self) -> list[Subscription]:
        """Every subscription, oldest id first."""
        return [_from_item(item) for item in self._items()]

    def digest_cursors(self) -> list[tuple[Subscription, datetime]]:
        """Every subscription with the end of the last digest period queued for it (its
        creation, or the last change of its delivery, before any)."""
        return [(_from_item(item), _cursor(item)) for item in self._items()]

    def advance_digest(self, subscription_id: str, through: datetime) -> None:
        """Move the digest cursor forward to `through` (never back: a late planner run that
        queued less cannot undo a later one)."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(subscription_id),
                UpdateExpression="SET digest_through = :t",
                ConditionExpression="attribute_exists(pk) AND "
                "(attribute_not_exists(digest_through) OR digest_through < :t)",
                ExpressionAttributeValues={":t": {"S": _stamp(through)}},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def set_delivery(self, subscription: Subscription, delivery: Delivery, now: datetime) -> None:
        """Store a new delivery mode; digests restart from `now` (no backfill of periods the
        old mode did not cover). Raises ClientError when the subscription is gone."""
        doc = subscription.model_copy(update={"delivery": delivery}).model_dump_json(exclude=_STATE)
        self._client.update_item(
            TableName=self._table,
            Key=_key(subscription.id),
            UpdateExpression="SET doc = :doc, digest_through = :t",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":doc": {"S": doc}, ":t": {"S": _stamp(now)}},
        )

    def _items(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        pages = self._client.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": PK}},
        )
        for page in pages:
            out.extend(page["Items"])
        return out

    def delete(self, subscription_id: str) -> bool:
        """Remove it; False when it did not exist."""
        old = self._client.delete_item(
            TableName=self._table, Key=_key(subscription_id), ReturnValues="ALL_OLD"
        )
        return "Attributes" in old

    def set_status(self, subscription_id: str, status: str, reason: str = "") -> None:
        """Change the status (e.g. disabled after a 410) and say why."""
        self._client.update_item(
            TableName=self._table,
            Key=_key(subscription_id),
            UpdateExpression="SET #s = :s, status_reason = :r",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": status}, ":r": {"S": reason}},
        )

    def record_failure(self, subscription_id: str) -> int:
        """Count one more consecutive failure; returns the run's length."""
        out = self._client.update_item(
            TableName=self._table,
            Key=_key(subscription_id),
            UpdateExpression="ADD failures :one",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        return int(out["Attributes"]["failures"]["N"])

    def record_success(self, subscription_id: str) -> None:
        """End the run of failures."""
        self._client.update_item(
            TableName=self._table,
            Key=_key(subscription_id),
            UpdateExpression="SET failures = :zero",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":zero": {"N": "0"}},
        )


class EmailSubscriptions:
    """Email subscriptions are SNS's own: subscribe with the filter policy, SNS confirms."""

    def __init__(self, topic_arn: str, client: SNSClient | None = None) -> None:
        self._topic = topic_arn
        self._client: Any = client or boto3.client("sns")

    def subscribe(
        self,
        address: str,
        spec: SubscriptionFilter,
        delivery: Delivery | None = None,
        subscription_id: str = "",
    ) -> str:
        """Subscribe `address` with the policy of `spec` and `delivery` (default: each alert
        at once; its digests are addressed to `subscription_id`); returns the ARN."""
        policy = email_filter_policy(subscription_id, spec, delivery or Delivery())
        out = self._client.subscribe(
            TopicArn=self._topic,
            Protocol="email",
            Endpoint=address,
            Attributes={
                "FilterPolicy": json.dumps(policy),
                "FilterPolicyScope": "MessageAttributes",
            },
            ReturnSubscriptionArn=True,  # otherwise "pending confirmation", useless to unsubscribe
        )
        return str(out["SubscriptionArn"])

    def unsubscribe(self, subscription_arn: str) -> None:
        """Remove the SNS subscription. SNS refuses to remove one still pending confirmation;
        that one gets a filter policy no alert matches, so a late confirmation sends nothing
        (SNS drops unconfirmed subscriptions by itself after a few days)."""
        try:
            self._client.unsubscribe(SubscriptionArn=subscription_arn)
        except ClientError as error:
            if error.response["Error"]["Code"] not in {"InvalidParameter", "NotFound"}:
                raise
            self._mute(subscription_arn)

    def set_policy(self, subscription: Subscription, delivery: Delivery) -> None:
        """Give the SNS subscription the policy of a new delivery mode."""
        if subscription.sns_subscription_arn is None:
            return
        policy = email_filter_policy(subscription.id, subscription.filter, delivery)
        self._client.set_subscription_attributes(
            SubscriptionArn=subscription.sns_subscription_arn,
            AttributeName="FilterPolicy",
            AttributeValue=json.dumps(policy),
        )

    def _mute(self, subscription_arn: str) -> None:
        try:
            self._client.set_subscription_attributes(
                SubscriptionArn=subscription_arn,
                AttributeName="FilterPolicy",
                AttributeValue=json.dumps({"kind": [NO_KIND]}),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] not in {"InvalidParameter", "NotFound"}:
                raise

    def confirmed(self, subscription_arn: str) -> bool:
        """Whether the address has confirmed (SNS `PendingConfirmation` is false)."""
        attributes = self._client.get_subscription_attributes(SubscriptionArn=subscription_arn)
        return bool(attributes["Attributes"].get("PendingConfirmation", "true") == "false")


def _key(subscription_id: str) -> dict[str, Any]:
    return {"pk": {"S": PK}, "sk": {"S": subscription_id}}


def _from_item(item: dict[str, Any]) -> Subscription:
    doc = json.loads(item["doc"]["S"])
    return Subscription.model_validate(
        {**doc, "status": item["status"]["S"], "status_reason": item["status_reason"]["S"]}
    )


def _stamp(at: datetime) -> str:
    # One fixed form (UTC, seconds) so the cursor compares as text in conditions.
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _cursor(item: dict[str, Any]) -> datetime:
    found = item.get("digest_through", {}).get("S")
    if found:
        return datetime.fromisoformat(found)
    return _from_item(item).created_at  # stored before digests existed
