"""CursorsTable, one item per source: what it spent of its budget, how healthy it is, when its
next request may go, which articles its last poll found queued, and which poll holds it (the
lease).

Item: pk `source#<name>`, sk `state`, the state (its cursors too) as JSON in `state`
(compressed: each poll writes the item twice, billed by its whole size), the
recent ids' digests in `recent` (binary, `story_bands.ID_DIGEST` bytes each), and while a poll
holds the source `holder` and `lease_until` (the pipeline clock's seconds). Polls run
concurrently, one worker per source: `acquire` takes the lease with a conditional update
(refused while another poll's lease runs; a crashed poll's lease lapses) and returns the state
in the same call; `release` writes the new state and drops the lease, only if the lease is
still this poll's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError
from pydantic import TypeAdapter

from tensionwatch.sources.base import Cursor
from tensionwatch.sources.budget import Ledger
from tensionwatch.sources.health import Health
from tensionwatch.store.ddb import compressed, condition_failed, stored_text
from tensionwatch.store.story_bands import ID_DIGEST

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

STATE_SK = "state"
RECENT_MAX = 2_000  # digests kept (16 KB): the state item stays far below DynamoDB's 400 KB


@dataclass(frozen=True)
class SourceState:
    """Everything the poll keeps about one source between runs: its budget ledger, its
    health, the earliest time its next request may go (its pacer's clock), so a source's
    spacing holds from one worker's poll to the next, and where each of its queries stopped."""

    ledger: Ledger = field(default_factory=Ledger)
    health: Health = field(default_factory=Health)
    next_request_at: float | None = None
    # Each query's cursor, stored with the state as the lease is released (no item, read or
    # write of its own a poll); moved only once the query's articles are safely queued.
    cursors: dict[str, Cursor] = field(default_factory=dict)
    # Digests (`story_bands.id_digest`) of the articles the source's last poll listed that are
    # known queued (sent by it, or found in the worker's memory of the band slots): a poll drops
    # these re-reads before anything else. Only ever ids that were sent, so a state lost with a
    # lease costs lookups, never an article.
    recent: frozenset[bytes] = frozenset()

    def with_recent(self, digests: Iterable[bytes]) -> SourceState:
        """This state remembering `digests` (the newest RECENT_MAX, in order) as recent."""
        kept = list(dict.fromkeys(digests))[-RECENT_MAX:]
        return replace(self, recent=frozenset(kept))


@dataclass(frozen=True)
class Held:
    """Another poll's lease on the source: who holds it and until when."""

    holder: str
    until: float


_STATE = TypeAdapter(SourceState)


class SourceStateStore:
    """Leases, reads and writes `SourceState`s."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table = table_name
        if client is None:
            import boto3  # imported here, not at module load: the handler's cold start stays short

            client = boto3.client("dynamodb")
        self._client: Any = client

    def acquire(self, source: str, holder: str, now: float, seconds: float) -> SourceState | Held:
        """Take the source's lease for `holder` until `now + seconds` and return its state
        (fresh for a source never polled); `Held` when another holder's lease runs past
        `now`. Raises pydantic.ValidationError for a state this code did not write."""
        try:
            answer = self._client.update_item(
                TableName=self._table,
                Key=_key(source),
                UpdateExpression="SET holder = :me, lease_until = :until",
                ConditionExpression="attribute_not_exists(lease_until) OR lease_until < :now "
                "OR holder = :me",
                ExpressionAttributeValues={
                    ":me": {"S": holder},
                    ":until": {"N": str(now + seconds)},
                    ":now": {"N": str(now)},
                },
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if not condition_failed(error):
                raise
            old: Any = error.response.get("Item") or {}
            return Held(old.get("holder", {}).get("S", "?"),
                        float(old.get("lease_until", {}).get("N", "0")))  # fmt: skip
        return _state_of(answer["Attributes"])

    def read(self, source: str) -> SourceState:
        """The source's stored state without taking its lease (strongly consistent); a fresh
        state for a source never polled."""
        answer = self._client.get_item(TableName=self._table, Key=_key(source),
                                       ConsistentRead=True)  # fmt: skip
        return _state_of(answer.get("Item", {}))

    def release(self, source: str, holder: str, state: SourceState) -> bool:
        """Store `state` and drop the lease, if `holder` still holds it; False (nothing
        written) when its lease lapsed and another poll took the source."""
        item = {**_key(source), "state": compressed(_STATE.dump_json(state, exclude={"recent"}))}
        if state.recent:
            item["recent"] = {"B": b"".join(sorted(state.recent))}
        try:
            self._client.put_item(TableName=self._table, Item=item,
                                  ConditionExpression="holder = :me",
                                  ExpressionAttributeValues={":me": {"S": holder}})  # fmt: skip
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True


def _state_of(stored: dict[str, Any]) -> SourceState:
    text = stored_text(stored["state"]) if "state" in stored else None
    state = _STATE.validate_json(text) if text else SourceState()
    return state.with_recent(_digests(stored.get("recent", {}).get("B", b"")))


def _digests(packed: bytes) -> list[bytes]:
    return [packed[i : i + ID_DIGEST] for i in range(0, len(packed), ID_DIGEST)]


def _key(source: str) -> dict[str, Any]:
    return {"pk": {"S": f"source#{source}"}, "sk": {"S": STATE_SK}}
