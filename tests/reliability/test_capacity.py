"""The cost model's capacity units follow DynamoDB's on-demand rules on the calls the product
makes: 1 KB per write unit (doubled in transactions), 4 KB per read unit (halved when
eventually consistent), a miss charged the minimum."""

from __future__ import annotations

from tests.reliability.capacity import item_size, units

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
