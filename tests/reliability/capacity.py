"""DynamoDB capacity units of one API call, from its request and answer, by the on-demand
billing rules (DynamoDB developer guide, "Read/write capacity mode" and "Item sizes"):

- a write costs one write request unit (WRU) per started 1 KB of the item; a transactional write
  (each Put, Update, Delete or ConditionCheck of a TransactWriteItems) costs two; a write refused
  by its condition is charged too, so writes are counted whatever the answer;
- a strongly consistent read costs one read request unit (RRU) per started 4 KB, an eventually
  consistent one half; GetItem and BatchGetItem round each item up, a miss costs the minimum;
  Query and Scan round the total of the items read up, once per call.

A write is billed by the larger of the item before and after it (an UpdateItem that ADDs one
id to a 1.4 KB bucket costs two units, not one): given `stored`, the larger stored size of
each item the call writes (`written`, in that order; the load harness reads them from moto
before and after the call), each write costs the larger of that and its request. Without it,
an UpdateItem or Delete is sized by its key and values, low for an item bigger than its
request, unless its answer returns the whole item (`ReturnValues` ALL_NEW or ALL_OLD).

Approximation (on the low side, and small: reads round up to 4 KB): an item read is sized by
what the answer holds, so a projection reads as smaller than the stored item.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

WRITE_UNIT = 1024  # bytes per write request unit
READ_UNIT = 4 * 1024  # bytes per read request unit (strongly consistent)


def units(
    operation: str,
    params: dict[str, Any],
    answer: dict[str, Any] | None,
    stored: Sequence[int] = (),
) -> tuple[float, float]:
    """(RRU, WRU) of a DynamoDB call; `answer` is None when it raised (reads then count 0).
    `stored`: the larger stored size, before or after the call, of each item of `written`."""
    write = _WRITES.get(operation)
    if write is not None:
        by_request = max(write(params), _returned_units(params, answer))
        if not stored:
            return 0.0, float(by_request)
        return 0.0, float(max(by_request, sum(item_write_units(operation, params, stored))))
    read = _READS.get(operation)
    if read is not None and answer is not None:
        return read(params, answer), 0.0
    return 0.0, 0.0


def item_write_units(operation: str, params: dict[str, Any], stored: Sequence[int]) -> list[int]:
    """WRU of each item of `written`, by the larger of its request and its stored size."""
    return [
        max(request, factor * _write_units_of(size))
        for (request, factor), size in zip(_write_requests(operation, params), stored, strict=True)
    ]


def written(operation: str, params: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(table, key or whole item) of each item a write call writes, in billing order; [] for
    a read."""
    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        return [(params.get("TableName", ""), params.get("Item") or params["Key"])]
    if operation == "BatchWriteItem":
        return [(table, r["PutRequest"]["Item"] if "PutRequest" in r else r["DeleteRequest"]["Key"])
                for table, rs in params["RequestItems"].items() for r in rs]  # fmt: skip
    if operation == "TransactWriteItems":
        return [(r.get("TableName", ""), r.get("Item") or r["Key"])
                for action in params["TransactItems"] for r in action.values()]  # fmt: skip
    return []


def _write_requests(operation: str, params: dict[str, Any]) -> list[tuple[int, int]]:
    """(units by the request, the factor a unit of item costs) of each item of `written`."""
    if operation == "TransactWriteItems":
        return [(2 * _write_units(r["Item"] if kind == "Put" else _sized(r)), 2)
                for action in params["TransactItems"] for kind, r in action.items()]  # fmt: skip
    if operation == "BatchWriteItem":
        return [(_write_units(r["PutRequest"]["Item"]) if "PutRequest" in r else 1, 1)
                for requests in params["RequestItems"].values() for r in requests]  # fmt: skip
    sized = params["Item"] if operation == "PutItem" else _sized(params)
    return [(_write_units(sized), 1)]


def _write_units_of(size: int) -> int:
    return max(1, math.ceil(size / WRITE_UNIT))


def item_size(item: dict[str, Any]) -> int:
    """Bytes DynamoDB counts for an item: each attribute's name plus its value."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: dict[str, Any]) -> int:
    ((kind, inner),) = value.items()
    if kind in ("S", "B"):
        return len(inner.encode() if isinstance(inner, str) else inner)
    if kind == "N":
        return len(str(inner)) // 2 + 1
    if kind in ("SS", "BS", "NS"):
        return sum(_value_size({kind[0]: member}) for member in inner)
    if kind == "M":
        return 3 + item_size(inner)
    if kind == "L":
        return 3 + sum(1 + _value_size(member) for member in inner)
    return 1  # BOOL, NULL


def _returned_units(params: dict[str, Any], answer: dict[str, Any] | None) -> int:
    """Units of the whole item a write returned (ReturnValues ALL_NEW or ALL_OLD), else 0."""
    returned = (answer or {}).get("Attributes")
    whole = str(params.get("ReturnValues", "")).startswith("ALL_")
    return _write_units(returned) if whole and returned else 0


def _write_units(item: dict[str, Any]) -> int:
    return _write_units_of(item_size(item))


def _read_units(size: int, consistent: bool) -> float:
    return max(1, math.ceil(size / READ_UNIT)) * (1.0 if consistent else 0.5)


def _sized(request: dict[str, Any]) -> dict[str, Any]:
    """What an Update, Delete or ConditionCheck writes, as far as the request tells."""
    return {**request.get("Key", {}), **request.get("ExpressionAttributeValues", {})}


def _transact(params: dict[str, Any]) -> int:
    total = 0
    for action in params["TransactItems"]:
        ((kind, request),) = action.items()
        total += 2 * _write_units(request["Item"] if kind == "Put" else _sized(request))
    return total


def _batch_write(params: dict[str, Any]) -> int:
    total = 0
    for requests in params["RequestItems"].values():
        for request in requests:
            put = request.get("PutRequest")
            total += _write_units(put["Item"]) if put else 1
    return total


def _batch_get(params: dict[str, Any], answer: dict[str, Any]) -> float:
    total = 0.0
    for table, request in params["RequestItems"].items():
        consistent = bool(request.get("ConsistentRead"))
        found = answer.get("Responses", {}).get(table, [])
        total += sum(_read_units(item_size(item), consistent) for item in found)
        total += (len(request["Keys"]) - len(found)) * _read_units(0, consistent)
    return total


def _listing(params: dict[str, Any], answer: dict[str, Any]) -> float:
    size = sum(item_size(item) for item in answer.get("Items", []))
    return _read_units(size, bool(params.get("ConsistentRead")))


_WRITES = {
    "PutItem": lambda p: _write_units(p["Item"]),
    "UpdateItem": lambda p: _write_units(_sized(p)),
    "DeleteItem": lambda p: _write_units(_sized(p)),
    "BatchWriteItem": _batch_write,
    "TransactWriteItems": _transact,
}
_READS = {
    "GetItem": lambda p, a: _read_units(
        item_size(a.get("Item", {})), bool(p.get("ConsistentRead"))
    ),
    "BatchGetItem": _batch_get,
    "Query": _listing,
    "Scan": _listing,
}
