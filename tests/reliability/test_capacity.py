"""The cost model's capacity units follow DynamoDB's on-demand rules on the calls the product
makes: 1 KB per write unit (doubled in transactions), 4 KB per read unit (halved when
eventually consistent), a miss charged the minimum."""

from __future__ import annotations

import boto3

from tensionwatch.local.stack import REGION
from tests.integration.sources.aws import create_table
from tests.reliability.capacity import item_size, units, written
from tests.reliability.load import stored_sizes

KEY = {"pk": {"S": "article#1"}, "sk": {"S": "seen"}}  # 9 + 2 + 2 + 4 = 17 bytes


def test_item_size_counts_names_and_values() -> None:
    assert item_size(KEY) == 17
    assert item_size({"n": {"N": "12345"}, "b": {"B": b"\0" * 10}, "s": {"SS": ["ab", "c"]}}) == 19


def test_writes_cost_a_unit_per_kilobyte_and_double_in_a_transaction() -> None:
    big = {**KEY, "shingles": {"B": b"\0" * 1500}}
    assert units("PutItem", {"Item": KEY}, None) == (0.0, 1.0)
    assert units("PutItem", {"Item": big}, {}) == (0.0, 2.0)
    transaction = [
        {"Put": {"Item": big}},
        {"Update": {"Key": KEY}},
        {"ConditionCheck": {"Key": KEY}},
    ]
    assert units("TransactWriteItems", {"TransactItems": transaction}, None) == (0.0, 8.0)
    batch = {"t": [{"PutRequest": {"Item": KEY}}, {"DeleteRequest": {"Key": KEY}}]}
    assert units("BatchWriteItem", {"RequestItems": batch}, {}) == (0.0, 2.0)


def test_an_update_that_returns_its_whole_item_costs_at_least_that_item() -> None:
    """A source's lease is an UpdateItem returning the stored state (ALL_NEW): DynamoDB bills
    the item's size, not the request's, and the state item carries the recent ids."""
    stored = {**KEY, "recent": {"B": b"\0" * 2100}}
    update = {"Key": KEY, "ReturnValues": "ALL_NEW"}
    assert units("UpdateItem", update, {"Attributes": stored}) == (0.0, 3.0)
    assert units("UpdateItem", {"Key": KEY}, {"Attributes": stored}) == (0.0, 1.0)  # not whole
    assert units("UpdateItem", update, None) == (0.0, 1.0)  # refused: the request's size


def test_reads_cost_a_unit_per_four_kilobytes_and_misses_the_minimum() -> None:
    five_kb = {**KEY, "body": {"S": "x" * 5000}}
    assert units("GetItem", {"ConsistentRead": True}, {}) == (1.0, 0.0)
    assert units("GetItem", {}, {"Item": five_kb}) == (1.0, 0.0)  # 2 units, halved
    request = {"t": {"Keys": [KEY, KEY, KEY], "ConsistentRead": True}}
    assert units("BatchGetItem", {"RequestItems": request}, {"Responses": {"t": [five_kb]}}) == (
        4.0,
        0.0,
    )
    assert units("Query", {"ConsistentRead": True}, {"Items": [KEY] * 300}) == (2.0, 0.0)
    assert units("GetItem", {}, None) == (0.0, 0.0)  # a read that failed is not counted


def test_a_write_costs_the_larger_stored_item_before_or_after_it() -> None:
    """An UpdateItem that ADDs one id to a 1.4 KB day bucket writes the whole bucket: two
    units, four in a transaction; a delete of a 2 KB item two."""
    update = {"TableName": "t", "Key": KEY, "UpdateExpression": "ADD n :n",
              "ExpressionAttributeValues": {":n": {"N": "1"}}}  # fmt: skip
    assert written("UpdateItem", update) == [("t", KEY)]
    assert units("UpdateItem", update, {}, [1400]) == (0.0, 2.0)
    assert units("UpdateItem", update, {}, [0]) == (0.0, 1.0)  # new: the request's size
    transaction = {"TransactItems": [{"Update": update}, {"Put": {"TableName": "t", "Item": KEY}}]}
    assert [t for t, _ in written("TransactWriteItems", transaction)] == ["t", "t"]
    assert units("TransactWriteItems", transaction, None, [1400, 100]) == (0.0, 6.0)
    batch = {"RequestItems": {"t": [{"DeleteRequest": {"Key": KEY}}]}}
    assert units("BatchWriteItem", batch, {}, [2048]) == (0.0, 2.0)


def test_the_load_reads_each_written_items_stored_size_from_moto(aws: None) -> None:
    client = boto3.client("dynamodb", region_name=REGION)
    create_table(client, "t")
    big = {**KEY, "body": {"S": "x" * 1500}}
    client.put_item(TableName="t", Item=big)
    update = {"TableName": "t", "Key": KEY, "UpdateExpression": "REMOVE body"}
    assert stored_sizes("UpdateItem", update) == [item_size(big)]
    client.update_item(**update)
    assert stored_sizes("UpdateItem", update) == [item_size(KEY)]
    assert stored_sizes("GetItem", {"TableName": "t", "Key": KEY}) == []
