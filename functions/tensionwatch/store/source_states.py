"""CursorsTable, one item per source: what it spent of its budget and how healthy it is.

Item: pk `source#<name>`, sk `state`, the state as JSON in `state`. The poll function runs
one at a time (reserved concurrency 1), so the item is read at the start of a source's turn
and put at its end without a condition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from tensionwatch.sources.budget import Ledger
from tensionwatch.sources.health import Health

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

STATE_SK = "state"


@dataclass(frozen=True)
class SourceState:
    """Everything the poll keeps about one source between runs (cursors aside)."""

    ledger: Ledger = field(default_factory=Ledger)
    health: Health = field(default_factory=Health)


_STATE = TypeAdapter(SourceState)


class SourceStateStore:
    """Reads and writes `SourceState`s."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table = table_name
        if client is None:
            import boto3  # imported here, not at module load: the handler's cold start stays short

            client = boto3.client("dynamodb")
        self._client: Any = client

    def get(self, source: str) -> SourceState:
        """The stored state, or a fresh one for a source never polled; raises
        pydantic.ValidationError for an item this code did not write."""
        item = self._client.get_item(
            TableName=self._table, Key=_key(source), ConsistentRead=True
        ).get("Item")
        if not item:
            return SourceState()
        return _STATE.validate_json(item["state"]["S"])

    def put(self, source: str, state: SourceState) -> None:
        """Store `state` as the source's."""
        item = {**_key(source), "state": {"S": _STATE.dump_json(state).decode()}}
        self._client.put_item(TableName=self._table, Item=item)


def _key(source: str) -> dict[str, Any]:
    return {"pk": {"S": f"source#{source}"}, "sk": {"S": STATE_SK}}
