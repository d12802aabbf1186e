"""SilencesTable: Alertmanager-style silences. One item per silence (`SILENCE#<id>`,
`SILENCE`) holding its JSON; it expires a week after it ends (kept that long so the API can
still show why an alert was muted)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import boto3

from tensionwatch.models import Silence
from tensionwatch.store.ddb import scan_pages

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

SK = "SILENCE"
KEEP_AFTER_END_DAYS = 7


def _key(silence_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"SILENCE#{silence_id}"}, "sk": {"S": SK}}


class SilenceStore:
    """Create, read, list and delete silences; which are active at a time."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table = table_name
        self._client: Any = client or boto3.client("dynamodb")

    def put(self, silence: Silence) -> None:
        """Create or replace `silence`."""
        expires = int(silence.ends_at.timestamp()) + KEEP_AFTER_END_DAYS * 86_400
        item = {**_key(silence.id), "silence": {"S": silence.model_dump_json()},
                "expires_at": {"N": str(expires)}}  # fmt: skip
        self._client.put_item(TableName=self._table, Item=item)

    def get(self, silence_id: str) -> Silence | None:
        """The silence, or None when there is none with that id."""
        answer = self._client.get_item(TableName=self._table, Key=_key(silence_id),
                                       ConsistentRead=True)  # fmt: skip
        item = answer.get("Item")
        return Silence.model_validate_json(item["silence"]["S"]) if item else None

    def delete(self, silence_id: str) -> bool:
        """Delete the silence; False when there was none."""
        answer = self._client.delete_item(TableName=self._table, Key=_key(silence_id),
                                          ReturnValues="ALL_OLD")  # fmt: skip
        return "Attributes" in answer

    def list_all(self) -> list[Silence]:
        """Every stored silence (a small table: a scan), by start time."""
        found = [
            Silence.model_validate_json(item["silence"]["S"])
            for page in scan_pages(self._client, {"TableName": self._table})
            for item in page
            if "silence" in item
        ]
        return sorted(found, key=lambda s: (s.starts_at, s.id))

    def active(self, at: datetime) -> list[Silence]:
        """The silences in force at `at`."""
        return [s for s in self.list_all() if s.starts_at <= at < s.ends_at]
