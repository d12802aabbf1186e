"""Hostile request bodies get a 4xx with a short problem body that repeats none of the input."""

from __future__ import annotations

import json

import pytest

from tests.integration.api.client import call, event, send
from tests.integration.api.conftest import ApiWorld

MAX_PROBLEM_BYTES = 4096  # a problem body names what is wrong; it never grows with the input
MARK = "QZ"  # an invalid value that appears in no message of the API's own


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [1025, 5_000, 100_000])
@pytest.mark.parametrize("where", ["whole", "filter", "description"])
def test_deeply_nested_json_is_a_4xx_naming_the_nesting(
    world: ApiWorld, depth: int, where: str
) -> None:
    inner = nested(depth)
    start = '{"channel": "email", "target": "a@example.org"'
    body = inner if where == "whole" else f'{start}, "{where}": {inner}}}'
    reply = send(event("POST", "/subscriptions", body))
    assert reply.status == 422, reply.body
    assert reply.body["errors"] == [
        {"field": "body", "message": "not JSON: nested deeper than 1024 levels"}
    ]


def test_nesting_at_the_limit_is_an_ordinary_validation_error(world: ApiWorld) -> None:
    body = f'{{"channel": "email", "target": "a@example.org", "filter": {nested(1023)}}}'
    reply = send(event("POST", "/subscriptions", body))
    assert reply.status == 422
    assert [e["field"] for e in reply.body["errors"]] == ["filter"]


def test_a_huge_invalid_list_gets_a_capped_answer_that_echoes_no_value(world: ApiWorld) -> None:
    secretish = f"{MARK}-{'A' * 2000}"
    spec = {"dyads": [MARK] * 10_000 + [secretish], "countries": [secretish] * 500}
    reply = call("POST", "/subscriptions",
                 {"channel": "email", "target": "a@example.org", "filter": spec})  # fmt: skip
    text = json.dumps(reply.body)
    assert reply.status == 422
    assert len(text.encode()) <= MAX_PROBLEM_BYTES, len(text)
    assert MARK not in text
    assert reply.body["errors"][0] == {
        "field": "filter.dyads.0",
        "message": "not a sorted pair of alpha-2 codes like 'JP-KR'",
    }
    assert reply.body["message"].endswith("… and 10491 more problems")


def test_a_long_unknown_key_is_not_repeated_in_full(world: ApiWorld) -> None:
    key = "k" * 5000
    reply = call("POST", "/subscriptions", {"channel": "email", "target": "a@b.co", key: 1})
    assert reply.status == 422
    assert len(json.dumps(reply.body).encode()) <= MAX_PROBLEM_BYTES
    assert reply.body["errors"][0]["field"].endswith("…")


def test_a_bad_query_value_is_not_echoed(world: ApiWorld) -> None:
    reply = call("GET", "/alerts", query={"dyad": f"{MARK}-{MARK}X"})
    assert reply.status == 422
    assert reply.body["errors"] == [
        {"field": "query.dyad", "message": "not a sorted pair of alpha-2 codes like 'JP-KR'"}
    ]


def test_invalid_json_names_the_body_without_repeating_it(world: ApiWorld) -> None:
    reply = send(event("POST", "/subscriptions", f'{{"channel": {MARK}'))
    assert reply.status == 422
    [problem] = reply.body["errors"]
    assert problem["field"] == "body"
    assert problem["message"].startswith("not JSON: ")
    assert MARK not in json.dumps(reply.body)
