"""CursorsTable: where each (source, query) stopped, as stored before the cursors moved into
each source's state item (`tensionwatch.store.source_states`): read for a query the state
holds no cursor for yet, so a deploy does not send every source back to its first window;
never written any more."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tensionwatch.sources.base import Cursor

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class CursorStore:
    """One item per (source, query): pk `cursor#<source>`, sk `<query>`."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table = table_name
        if client is None:
            import boto3  # imported here, not at module load: the handler's cold start stays short

            client = boto3.client("dynamodb")
        self.client: Any = client  # shared with the source states in the same table

    def get(self, source: str, query: str) -> Cursor | None:
        """The stored cursor, or None before the first successful poll."""
        item = self.client.get_item(
            TableName=self._table, Key=_key(source, query), ConsistentRead=True
        ).get("Item")
        if not item:
            return None
        since = item.get("since", {}).get("S")
        return Cursor(
            source=source,
            query=query,
            since=datetime.fromisoformat(since) if since else None,
            etag=item.get("etag", {}).get("S"),
            last_modified=item.get("last_modified", {}).get("S"),
        )


def _key(source: str, query: str) -> dict[str, Any]:
    return {"pk": {"S": f"cursor#{source}"}, "sk": {"S": query}}
