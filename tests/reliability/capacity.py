"""DynamoDB capacity units of one API call, from its request and answer, by the on-demand
billing rules (DynamoDB developer guide, "Read/write capacity mode" and "Item sizes"):

- a write costs one write request unit (WRU) per started 1 KB of the item; a transactional write
  (each Put, Update, Delete or ConditionCheck of a TransactWriteItems) costs two; a write refused
  by its condition is charged too, so writes are counted whatever the answer;
- a strongly consistent read costs one read request unit (RRU) per started 4 KB, an eventually
  consistent one half; GetItem and BatchGetItem round each item up, a miss costs the minimum;
  Query and Scan round the total of the items read up, once per call.

Approximations (on the low side, and small here: the product's items are well under 1 KB and
its reads under 4 KB): an item's size is its attribute names plus values as DynamoDB measures
them, taken from the answer for reads, so a projection reads as smaller than the stored item;
an UpdateItem or Delete is sized by its key and values, not by the stored item, unless its
answer returns the whole item (`ReturnValues` ALL_NEW or ALL_OLD: a source's state taken with
its lease), whose size DynamoDB bills when it is the larger.
"""

from __future__ import annotations

import math
from typing import Any

WRITE_UNIT = 1024  # bytes per write request unit
READ_UNIT = 4 * 1024  # bytes per read request unit (strongly consistent)


def units(
    operation: str, params: dict[str, Any], answer: dict[str, Any] | None
) -> tuple[float, float]:
    """(RRU, WRU) of a DynamoDB call; `answer` is None when it raised (reads then count 0)."""
    write = _WRITES.get(operation)
    if write is not None:
        return 0.0, float(max(write(params), _returned_units(params, answer)))
    read = _READS.get(operation)
    if read is not None and answer is not None:
        return read(params, answer), 0.0
    return 0.0, 0.0


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
    return max(1, math.ceil(item_size(item) / WRITE_UNIT))


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
