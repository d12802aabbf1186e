"""Two DynamoDB calls the signal and alert stores share: a paged query and a transaction that
reports which conditions failed."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError


def query_all(client: Any, request: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of a Query, following LastEvaluatedKey."""
    request = dict(request)
    found: list[dict[str, Any]] = []
    while True:
        page = client.query(**request)
        found.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return found
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def failed_conditions(client: Any, actions: list[dict[str, Any]]) -> list[int] | None:
    """None when the transaction committed, else the indexes of the actions whose condition
    failed ([] when it was cancelled by a conflict with another transaction); raises
    ClientError for anything else (throttling, validation): the caller's record is retried."""
    try:
        client.transact_write_items(TransactItems=actions)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
            raise
        reasons = error.response.get("CancellationReasons") or []
        return [i for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed"]
    return None
