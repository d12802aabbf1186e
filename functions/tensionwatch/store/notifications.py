"""NotificationsTable: the notification log that makes delivery once per (alert, subscription)
and once per (digest, subscription).

pk = alert or digest id, sk = subscription id. Before a send the deliver (or digest) function
claims the pair with a conditional put; a pair already `sent`, or claimed by a send still
within its lease, is skipped. A redelivered batch therefore re-sends only what did not go out.
(Alertmanager keeps the same kind of log for the same reason.) Records expire after `ttl_days`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import boto3
from botocore.exceptions import ClientError

from tensionwatch.store.ddb import condition_failed

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient

# `skipped`: a digest the subscriber chose not to get (nothing moved): done, like `sent`.
NotificationStatus = Literal["sending", "sent", "retrying", "failed", "skipped"]
Claim = Literal["claimed", "done", "busy"]
LEASE = timedelta(seconds=60)  # longer than one send (10 s timeout) plus the log writes
MAX_VISIBILITY = 43_200  # SQS ChangeMessageVisibility maximum: 12 hours


@dataclass(frozen=True)
class Notification:
    alert_id: str
    subscription_id: str
    status: NotificationStatus
    attempts: int
    reason: str
    updated_at: str


class NotificationLog:
    """Who has been told about which alert."""

    def __init__(
        self, table_name: str, client: DynamoDBClient | None = None, *, ttl_days: int = 30
    ) -> None:
        self._table = table_name
        self._client: Any = client or boto3.client("dynamodb")
        self._ttl = timedelta(days=ttl_days)

    def claim(self, alert_id: str, subscription_id: str, now: datetime) -> Claim:
        """Claim the send: `claimed` (go ahead), `done` (sent, skipped, or failed for good) or
        `busy` (another receive holds the lease: try again later)."""
        # The claim names its holder, so the SDK's retry of this very request (its answer lost
        # after it committed) finds its own lease rather than reading "busy" and waiting it out.
        holder = uuid.uuid4().hex
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(alert_id, subscription_id),
                UpdateExpression="SET #s = :sending, lease_until = :lease, updated_at = :now, "
                "expires_at = :exp, holder = :me ADD attempts :one",
                ConditionExpression="attribute_not_exists(pk) OR (#s <> :sent AND #s <> :failed "
                "AND #s <> :skipped AND (#s <> :sending OR lease_until < :nowts OR holder = :me))",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={
                    ":sending": {"S": "sending"},
                    ":sent": {"S": "sent"},
                    ":failed": {"S": "failed"},
                    ":skipped": {"S": "skipped"},
                    ":lease": {"N": str(int((now + LEASE).timestamp()))},
                    ":nowts": {"N": str(int(now.timestamp()))},
                    ":now": {"S": now.isoformat()},
                    ":exp": {"N": str(int((now + self._ttl).timestamp()))},
                    ":one": {"N": "1"},
                    ":me": {"S": holder},
                },
            )
        except ClientError as error:
            if not condition_failed(error):
                raise
            return "busy" if self._status(alert_id, subscription_id) == "sending" else "done"
        return "claimed"

    def _status(self, alert_id: str, subscription_id: str) -> str:
        item = self._client.get_item(
            TableName=self._table, Key=_key(alert_id, subscription_id), ConsistentRead=True
        ).get("Item", {})
        return str(item.get("status", {}).get("S", ""))

    def finish(
        self,
        alert_id: str,
        subscription_id: str,
        status: NotificationStatus,
        now: datetime,
        reason: str = "",
    ) -> None:
        """Record the outcome of a claimed send: sent, retrying (with why) or failed (final)."""
        self._client.update_item(
            TableName=self._table,
            Key=_key(alert_id, subscription_id),
            UpdateExpression="SET #s = :s, reason = :r, updated_at = :now REMOVE lease_until",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={
                ":s": {"S": status},
                ":r": {"S": reason},
                ":now": {"S": now.isoformat()},
            },
        )

    def for_alert(self, alert_id: str) -> list[Notification]:
        """Every subscription's record for one alert."""
        items = self._client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": alert_id}},
            ConsistentRead=True,
        )["Items"]
        return [_notification(item) for item in items]


class DeliveryRetries:
    """Backoff through SQS: a message to retry stays invisible for a while, then comes back."""

    def __init__(self, client: SQSClient | None = None) -> None:
        self._client: Any = client or boto3.client("sqs")
        self._urls: dict[str, str] = {}

    def postpone(self, queue_arn: str, receipt_handle: str, seconds: float) -> None:
        """Hide the message for `seconds` (capped at SQS's 12 hours)."""
        self._client.change_message_visibility(
            QueueUrl=self._url(queue_arn),
            ReceiptHandle=receipt_handle,
            VisibilityTimeout=min(MAX_VISIBILITY, max(0, int(seconds))),
        )

    def _url(self, queue_arn: str) -> str:
        if queue_arn not in self._urls:
            *_, account, name = queue_arn.split(":")
            found = self._client.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)
            self._urls[queue_arn] = found["QueueUrl"]
        return self._urls[queue_arn]


def _key(alert_id: str, subscription_id: str) -> dict[str, Any]:
    return {"pk": {"S": alert_id}, "sk": {"S": subscription_id}}


def _notification(item: dict[str, Any]) -> Notification:
    return Notification(
        alert_id=item["pk"]["S"],
        subscription_id=item["sk"]["S"],
        status=item["status"]["S"],
        attempts=int(item.get("attempts", {}).get("N", "0")),
        reason=item.get("reason", {}).get("S", ""),
        updated_at=item.get("updated_at", {}).get("S", ""),
    )
