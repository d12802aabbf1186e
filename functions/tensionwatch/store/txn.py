"""Batched DynamoDB writes and reads for the ArticlesTable.

Conditional claims go in transactions: up to 100 actions per call, failures sorted.

A transaction either writes all its actions or none, and when it is cancelled DynamoDB says
which action failed its condition. So claims are written 100 actions per call; a claim that lost
its condition is dropped and the rest retried, which keeps calls per article low while each
article is still claimed at most once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from botocore.exceptions import ClientError

from tensionwatch.store.ddb import cancelled_conditions

TXN_MAX_ACTIONS = 100  # DynamoDB TransactWriteItems limit
MAX_ATTEMPTS = 3  # retries for throttling and transaction conflicts, then the claims wait
BACKOFF = 0.05  # seconds, doubled per attempt: conflicts clear within milliseconds

BATCH_GET_MAX = 100  # DynamoDB BatchGetItem limit
BATCH_WRITE_MAX = 25  # DynamoDB BatchWriteItem limit
MAX_ROUNDS = 5  # rounds of unprocessed keys before giving up (the source's cursor then stays)

T = TypeVar("T")


@dataclass(frozen=True)
class Action:
    """One TransactItems entry: a conditional claim, whose failed condition means another run
    holds it."""

    request: dict[str, Any]


@dataclass
class TxnResult(Generic[T]):
    done: list[T] = field(default_factory=list)
    lost: list[T] = field(default_factory=list)
    failed: list[T] = field(default_factory=list)


class TxnWriter:
    def __init__(self, client: Any, sleep: Callable[[float], None] = time.sleep) -> None:
        self._client = client
        self._sleep = sleep

    def write(self, groups: Sequence[tuple[T, list[Action]]]) -> TxnResult[T]:
        """Write each owner's actions atomically with the others in its chunk; owners whose
        condition failed are reported lost instead of written."""
        result: TxnResult[T] = TxnResult()
        for chunk in _chunks(groups):
            self._write_chunk(list(chunk), result)
        return result

    def _write_chunk(self, groups: list[tuple[T, list[Action]]], result: TxnResult[T]) -> None:
        attempts = 0
        while groups:
            requests, owners, actions = _flatten(groups)
            try:
                self._client.transact_write_items(TransactItems=requests)
            except ClientError as error:
                removed = _sort_failures(error, owners, actions, result)
                if removed:
                    groups = [g for g in groups if not any(g[0] is r for r in removed)]
                    continue
                attempts += 1
                if attempts >= MAX_ATTEMPTS:
                    result.failed.extend(owner for owner, _ in groups)
                    return
                self._sleep(BACKOFF * 2**attempts)
                continue
            result.done.extend(owner for owner, _ in groups)
            return


def _chunks(groups: Sequence[tuple[T, list[Action]]]) -> list[list[tuple[T, list[Action]]]]:
    chunks: list[list[tuple[T, list[Action]]]] = [[]]
    size = 0
    for group in groups:
        if size + len(group[1]) > TXN_MAX_ACTIONS and chunks[-1]:
            chunks.append([])
            size = 0
        chunks[-1].append(group)
        size += len(group[1])
    return [chunk for chunk in chunks if chunk]


def _flatten(
    groups: list[tuple[T, list[Action]]],
) -> tuple[list[dict[str, Any]], list[T], list[Action]]:
    """The chunk's requests, and the owner and action of each."""
    pairs = [(owner, action) for owner, actions in groups for action in actions]
    return [a.request for _, a in pairs], [o for o, _ in pairs], [a for _, a in pairs]


def _sort_failures(
    error: ClientError, owners: list[T], actions: list[Action], result: TxnResult[T]
) -> list[T]:
    """Owners whose condition failed, recorded as lost; [] when the cancellation was for
    another reason (conflict, throttling) and the whole chunk should be retried."""
    removed: list[T] = []
    for index in cancelled_conditions(error) or []:
        if index >= len(actions):
            continue
        owner = owners[index]
        if not any(owner is r for r in removed):
            removed.append(owner)
            result.lost.append(owner)
    return removed


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
