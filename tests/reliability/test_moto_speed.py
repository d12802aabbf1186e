"""The load harness's moto patch keeps moto's transaction semantics: a cancelled
TransactWriteItems leaves the tables exactly as they were; a successful one applies."""

from __future__ import annotations

import itertools
from typing import Any

import boto3
import moto
import pytest
from botocore.exceptions import ClientError

from tests.reliability.moto_speed import cheap_transaction_rollback, partition_queries

KEYED = {"TableName": "Keyed"}


def _tables() -> Any:
    client: Any = boto3.client("dynamodb", region_name="us-east-1")
    for name, keys in (("Ranged", ("pk", "sk")), ("Keyed", ("pk",))):
        client.create_table(
            TableName=name,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[
                {"AttributeName": k, "KeyType": t}
                for k, t in zip(keys, ("HASH", "RANGE"), strict=False)  # Keyed: no range key
            ],
            AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k in keys],
        )
    client.put_item(TableName="Ranged", Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "n": {"N": "1"}})
    client.put_item(TableName="Ranged", Item={"pk": {"S": "a"}, "sk": {"S": "2"}, "n": {"N": "2"}})
    client.put_item(TableName="Keyed", Item={"pk": {"S": "k"}, "n": {"N": "5"}})
    return client


def _state(client: Any) -> dict[str, list[dict[str, Any]]]:
    return {
        name: sorted(client.scan(TableName=name)["Items"], key=repr) for name in ("Ranged", "Keyed")
    }


def _actions(guard: str) -> list[dict[str, Any]]:
    """A put of a new item (new hash key too), an update, a delete and a put over an existing
    item across two tables, then a condition that holds only when `guard` is 'k'."""
    ranged = {"TableName": "Ranged"}
    return [
        {"Put": {**ranged, "Item": {"pk": {"S": "b"}, "sk": {"S": "1"}}}},
        {"Update": {**ranged, "Key": {"pk": {"S": "a"}, "sk": {"S": "1"}},
                    "UpdateExpression": "SET n = n + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"Delete": {**ranged, "Key": {"pk": {"S": "a"}, "sk": {"S": "2"}}}},
        {"Put": {**KEYED, "Item": {"pk": {"S": "new"}, "n": {"N": "9"}}}},
        {"Update": {**KEYED, "Key": {"pk": {"S": "k"}}, "UpdateExpression": "REMOVE n",
                    "ConditionExpression": "pk = :guard",
                    "ExpressionAttributeValues": {":guard": {"S": guard}}}},
    ]  # fmt: skip


def test_a_cancelled_transaction_leaves_every_table_unchanged() -> None:
    with moto.mock_aws(), cheap_transaction_rollback():
        client = _tables()
        before = _state(client)
        with pytest.raises(ClientError) as raised:
            client.transact_write_items(TransactItems=_actions(guard="not k"))
        assert raised.value.response["Error"]["Code"] == "TransactionCanceledException"
        assert _state(client) == before
        # Two actions on one item: moto's validation error, raised after the first put applied.
        twice = [{"Put": {**KEYED, "Item": {"pk": {"S": "x"}}}}] * 2
        with pytest.raises(ClientError):
            client.transact_write_items(TransactItems=twice)
        assert _state(client) == before


def test_a_successful_transaction_applies_every_action() -> None:
    with moto.mock_aws(), cheap_transaction_rollback():
        client = _tables()
        client.transact_write_items(TransactItems=_actions(guard="k"))
        state = _state(client)
    assert [(i["pk"]["S"], i["sk"]["S"], i.get("n")) for i in state["Ranged"]] == [
        ("a", "1", {"N": "2"}),
        ("b", "1", None),
    ]
    assert [(i["pk"]["S"], i.get("n")) for i in state["Keyed"]] == [
        ("k", None),
        ("new", {"N": "9"}),
    ]


def _queries(client: Any) -> list[list[Any]]:
    """Every page of a few queries: a range, paged in twos, both directions, a missing
    partition, a hash-only table."""
    ranged = {"TableName": "Ranged", "KeyConditionExpression": "pk = :pk AND sk BETWEEN :a AND :b"}
    requests = [
        {**ranged, "ExpressionAttributeValues": {":pk": {"S": f"p{p}"}, ":a": {"S": "03"},
         ":b": {"S": "11"}}, "Limit": 2, "ScanIndexForward": forward}
        for p in (1, 2, 9) for forward in (True, False)
    ] + [{"TableName": "Keyed", "KeyConditionExpression": "pk = :pk",
          "ExpressionAttributeValues": {":pk": {"S": "k"}}}]  # fmt: skip
    pages: list[list[Any]] = []
    for first in requests:
        request = first
        while True:
            page = client.query(**request)
            pages.append([page["Items"], page.get("LastEvaluatedKey")])
            if "LastEvaluatedKey" not in page:
                break
            request = {**request, "ExclusiveStartKey": page["LastEvaluatedKey"]}
    return pages


def test_a_query_reads_its_partition_with_the_same_answer_and_pages() -> None:
    with moto.mock_aws():
        client = _tables()
        for p, s in itertools.product(range(4), range(15)):
            item = {"pk": {"S": f"p{p}"}, "sk": {"S": f"{s:02d}"}, "n": {"N": str(p * s)}}
            client.put_item(TableName="Ranged", Item=item)
        as_moto_answers = _queries(client)
        with partition_queries():
            patched = _queries(client)
    assert patched == as_moto_answers
    assert sum(len(items) for items, _ in patched) == 2 * 2 * 9 + 1  # p1, p2 both ways; k
