"""Batched DynamoDB writes and reads for the ArticlesTable.

Claims are plain puts, 25 a BatchWriteItem call (one unit a claim; a transaction billed each
twice): the seen-check before them reads what was claimed, and the rare article two polls
claim at the same moment is queued twice and folded once by the score stage, whose every
bucket guards its own fold (docs/performance.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from botocore.exceptions import ClientError

MAX_ATTEMPTS = 3  # a batch call refused whole (throttling) is tried this often, then its items wait
BACKOFF = 0.05  # seconds, doubled per attempt

BATCH_GET_MAX = 100  # DynamoDB BatchGetItem limit
BATCH_WRITE_MAX = 25  # DynamoDB BatchWriteItem limit
MAX_ROUNDS = 5  # rounds of unprocessed keys before giving up (the source's cursor then stays)

T = TypeVar("T")


@dataclass
class PutResult(Generic[T]):
    done: list[T] = field(default_factory=list)
    failed: list[T] = field(default_factory=list)  # not written: retried by a later poll


def put_items(
    client: Any,
    table: str,
    items: Sequence[tuple[T, dict[str, Any]]],
    sleep: Callable[[float], None] = time.sleep,
) -> PutResult[T]:
    """Put each owner's item, BATCH_WRITE_MAX a call, unconditionally; items DynamoDB left
    unprocessed are sent again for MAX_ROUNDS rounds and a call refused whole is tried
    MAX_ATTEMPTS times. Owners whose item is still unwritten are reported failed; raises
    nothing."""
    result: PutResult[T] = PutResult()
    for start in range(0, len(items), BATCH_WRITE_MAX):
        batch = items[start : start + BATCH_WRITE_MAX]
        chunk = {_key_of(item): (owner, item) for owner, item in batch}
        left = _put_chunk(client, table, chunk, sleep)
        result.done += [owner for key, (owner, _) in chunk.items() if key not in left]
        result.failed += [owner for key, (owner, _) in chunk.items() if key in left]
    return result


def _put_chunk(
    client: Any,
    table: str,
    chunk: dict[tuple[str, str], tuple[Any, dict[str, Any]]],
    sleep: Callable[[float], None],
) -> set[tuple[str, str]]:
    """The keys of `chunk` left unwritten."""
    left, rounds, refused = list(chunk), 0, 0
    while left and rounds < MAX_ROUNDS and refused < MAX_ATTEMPTS:
        if rounds or refused:
            sleep(BACKOFF * 2 ** min(rounds + refused, 4))  # unprocessed or refused: throttling
        requests = [{"PutRequest": {"Item": chunk[key][1]}} for key in left]
        try:
            answer = client.batch_write_item(RequestItems={table: requests})
        except ClientError:
            refused += 1
            continue
        rounds += 1
        unprocessed = answer.get("UnprocessedItems", {}).get(table, [])
        kept = {_key_of(r["PutRequest"]["Item"]) for r in unprocessed}
        left = [key for key in left if key in kept]
    return set(left)


def _key_of(item: dict[str, Any]) -> tuple[str, str]:
    return item["pk"]["S"], item["sk"]["S"]


def batch_get(
    client: Any,
    table: str,
    keys: list[dict[str, Any]],
    projection: str,
    *,
    consistent: bool = True,
) -> Iterator[dict[str, Any]]:
    """BatchGetItem over any number of keys (strongly consistent unless `consistent` is
    False: half the read units); raises RuntimeError when DynamoDB leaves keys unprocessed
    for MAX_ROUNDS rounds."""
    names = {"ExpressionAttributeNames": {"#run": "run"}} if "#run" in projection else {}
    for start in range(0, len(keys), BATCH_GET_MAX):
        request: Any = {table: {"Keys": keys[start : start + BATCH_GET_MAX],
                                "ConsistentRead": consistent, "ProjectionExpression": projection,
                                **names}}  # fmt: skip
        for attempt in range(MAX_ROUNDS):
            if attempt:
                time.sleep(BACKOFF * 2**attempt)  # unprocessed keys mean throttling
            answer = client.batch_get_item(RequestItems=request)
            yield from answer.get("Responses", {}).get(table, [])
            request = answer.get("UnprocessedKeys")
            if not request:
                break
        else:
            raise RuntimeError("batch read incomplete: DynamoDB kept throttling")


def batch_write(client: Any, table: str, writes: list[dict[str, Any]]) -> None:
    """BatchWriteItem over any number of put/delete requests; raises RuntimeError when
    DynamoDB leaves items unprocessed for MAX_ROUNDS rounds."""
    for start in range(0, len(writes), BATCH_WRITE_MAX):
        requests: Any = {table: writes[start : start + BATCH_WRITE_MAX]}
        for attempt in range(MAX_ROUNDS):
            if attempt:
                time.sleep(BACKOFF * 2**attempt)
            requests = client.batch_write_item(RequestItems=requests).get("UnprocessedItems")
            if not requests:
                break
        else:
            raise RuntimeError("batch write incomplete: DynamoDB kept throttling")
