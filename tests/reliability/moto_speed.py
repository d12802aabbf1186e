"""moto's DynamoDB at the cost of what a call touches, not of the whole table: the load harness
measures the product, and at 10,000 articles moto's whole-table work would dominate everything.
`moto_speedups()` applies both patches below; each keeps moto's answers exactly.

Transactions
------------

moto 5 (`moto/dynamodb/models/__init__.py`, `DynamoDBBackend.transact_write_items`) snapshots
every table a TransactWriteItems touches with `copy.deepcopy`, once per ACTION, so it can put the
tables back if the transaction is cancelled. A call costs O(actions x table size) in time and
memory: a 100-action claim copies the table 100 times, and the full-size load run reached 17 GB.
That measures moto, not the product.

`cheap_transaction_rollback()` keeps the rollback and makes it proportional to the transaction:

- before the call, it saves a deep copy of the item (or its absence) at the key of every action
  (Put, Update, Delete, ConditionCheck) and the length of the table's stream, if it has one;
- moto then runs its own code unchanged, except that its table snapshots are the live tables
  (its rollback assigns each table back to itself, a no-op);
- if the call raises (a cancelled transaction: a failed condition, a validation error, two
  actions on one item), the saved items are put back, the items it created are removed and
  the stream is cut back, before the error goes on to the caller.

Why that is the same rollback: a transaction writes only the items named by its actions' keys
(moto has no other side effect on a table: indexes are computed from the items at query time),
so restoring those items restores the table. If the keys cannot be read (a missing table or key
attribute), the call falls back to moto's own whole-table snapshots, which then fail the same
way they always did. `tests/reliability/test_moto_speed.py` proves it against moto: a cancelled
transaction leaves the table exactly as it was, and a successful one applies.

Queries
-------
moto's `Table.query` on the table's own key (no index) sorts every item of the table
(`Table.all_items`) and then keeps those whose hash key matches: O(table size x log) per Query.
`partition_queries()` hands that one call the queried partition only. Nothing else changes: the
items it keeps are exactly those moto stores under that hash key, and moto sorts them by range
key next (unique within a partition), so the answer, its order and its paging are the same.
Index queries and scans are left as they are.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace
from typing import Any
from unittest import mock

from moto.dynamodb import models
from moto.dynamodb.models.table import Table

# (table, hash key, range key or None, the item as it was or None if absent)
_Saved = tuple[Table, Any, Any, Any]


@contextmanager
def moto_speedups() -> Iterator[None]:
    """Both patches of this module for the block."""
    with cheap_transaction_rollback(), partition_queries():
        yield


@contextmanager
def cheap_transaction_rollback() -> Iterator[None]:
    """Within the block, moto's TransactWriteItems saves and restores the touched items instead
    of deep-copying whole tables. Raises nothing of its own."""
    original = models.DynamoDBBackend.transact_write_items

    def transact_write_items(backend: Any, transact_items: list[dict[str, Any]]) -> None:
        try:
            saved = [_save(backend, action) for action in transact_items]
            streams = {id(s[0]): (s[0], _stream_length(s[0])) for s in saved}
        except Exception:  # unreadable keys: moto's own path raises its own error
            with mock.patch.object(models, "copy", copy):
                original(backend, transact_items)
            return
        try:
            original(backend, transact_items)
        except BaseException:
            for entry in reversed(saved):
                _restore(*entry)
            for table, length in streams.values():
                if table.stream_shard is not None:
                    del table.stream_shard.items[length:]
            raise

    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(models, "copy", SimpleNamespace(deepcopy=_deepcopy)))
        stack.enter_context(
            mock.patch.object(models.DynamoDBBackend, "transact_write_items", transact_write_items)
        )
        yield


def _deepcopy(obj: Any, *args: Any) -> Any:
    """moto's deepcopy inside its models module: tables pass through (their items are saved
    one by one instead), anything else (update_item's copy of one item) is really copied."""
    return obj if isinstance(obj, Table) else copy.deepcopy(obj, *args)


def _save(backend: Any, action: dict[str, Any]) -> _Saved:
    ((kind, op),) = action.items()
    table: Table = backend.tables[op["TableName"]]
    key = op["Item"] if kind == "Put" else op["Key"]
    hash_key, range_key = backend.get_keys_value(table, key)
    return table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))


def _restore(table: Table, hash_key: Any, range_key: Any, item: Any) -> None:
    if range_key is None:
        if item is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = item
        return
    ranges = table.items[hash_key]
    if item is None:
        ranges.pop(range_key, None)
    else:
        ranges[range_key] = item
    if not ranges:
        del table.items[hash_key]


def _stream_length(table: Table) -> int:
    return len(table.stream_shard.items) if table.stream_shard is not None else 0


@contextmanager
def partition_queries() -> Iterator[None]:
    """Within the block, a Query on a table's own key reads its partition, not the whole table.
    Raises nothing of its own."""
    original = Table.query
    signature = inspect.signature(original)

    def query(table: Table, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(table, *args, **kwargs).arguments
        hash_key = bound.get("hash_key")
        if bound.get("index_name") or hash_key is None:
            return original(table, *args, **kwargs)
        partition = table.items.get(hash_key)
        if partition is None:
            found: list[Any] = []
        else:
            found = list(partition.values()) if table.range_key_attr else [partition]
        table.all_items = lambda: found  # type: ignore[method-assign]  # this call only
        try:
            return original(table, *args, **kwargs)
        finally:
            del table.all_items

    with mock.patch.object(Table, "query", query):
        yield
