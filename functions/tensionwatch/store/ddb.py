"""What every store needs of DynamoDB beyond single calls: a paged query, text stored
compressed, and one reading of which conditions failed in a cancelled transaction or a
conditional write."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

# What a call to AWS raises when it fails (refused, or never answered): for code outside the
# stores that reports such a failure without importing botocore.
AWS_ERRORS = (BotoCoreError, ClientError)


def query_pages(client: Any, request: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    """A Query's items page by page, following LastEvaluatedKey as long as the caller reads."""
    return _pages(lambda page: client.query(**page), request)


def scan_pages(client: Any, request: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    """A Scan's items page by page, as `query_pages`."""
    return _pages(lambda page: client.scan(**page), request)


def _pages(call: Any, request: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    # `call` spells out its client's operation: the IAM test reads which calls a store makes
    request = dict(request)
    while True:
        page = call(request)
        yield page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def query_all(client: Any, request: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of a Query, following LastEvaluatedKey."""
    return [item for page in query_pages(client, request) for item in page]


def compressed(text: str | bytes) -> dict[str, Any]:
    """A text attribute stored compressed: a write costs a unit a started kilobyte of the
    whole item, and JSON that repeats its keys and quotes takes a third of that or less."""
    return {"B": zlib.compress(text.encode() if isinstance(text, str) else text)}


def stored_text(attribute: dict[str, Any]) -> str | bytes:
    """The text of an attribute `compressed` wrote, or of a plain string one (older items)."""
    return zlib.decompress(attribute["B"]) if "B" in attribute else attribute["S"]


def error_code(error: ClientError) -> str:
    """The AWS error code of a failed call, e.g. 'ConditionalCheckFailedException'."""
    return str(error.response.get("Error", {}).get("Code", ""))


def condition_failed(error: ClientError) -> bool:
    """Whether a conditional single-item write was refused by its condition."""
    return error_code(error) == "ConditionalCheckFailedException"


def cancelled_conditions(error: ClientError) -> list[int] | None:
    """For a cancelled transaction, the indexes of the actions whose condition failed ([]
    when another transaction's conflict cancelled it); None for any other error."""
    if error_code(error) != "TransactionCanceledException":
        return None
    reasons = error.response.get("CancellationReasons") or []
    return [i for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed"]


def failed_conditions(client: Any, actions: list[dict[str, Any]]) -> list[int] | None:
    """None when the transaction committed, else the indexes of the actions whose condition
    failed ([] when it was cancelled by a conflict with another transaction); raises
    ClientError for anything else (throttling, validation): the caller's record is retried."""
    try:
        client.transact_write_items(TransactItems=actions)
    except ClientError as error:
        failed = cancelled_conditions(error)
        if failed is None:
            raise
        return failed
    return None
