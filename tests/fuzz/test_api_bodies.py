"""Nested and huge request bodies through the real api handler on the offline stack: each is
a 422 whose problem body is small and repeats none of the values sent."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tensionwatch.local.lambda_events import http_api_event
from tensionwatch.local.runner import Runner
from tests.fuzz import strategies as s
from tests.fuzz.strategies import FUZZ, MARK

MAX_PROBLEM_BYTES = 4096
SUBSCRIPTION = {"channel": "webhook", "target": "https://hooks.example.com/h"}
SILENCE = {"dyad": "JP-KR", "ends_at": "2030-01-01T00:00:00Z", "created_by": "ops"}
# (path, near-valid body, field the hostile value replaces, or None for the whole body)
PLACES = [("/subscriptions", SUBSCRIPTION, None), ("/subscriptions", SUBSCRIPTION, "filter"),
          ("/subscriptions", SUBSCRIPTION, "target"), ("/subscriptions", SUBSCRIPTION, "channel"),
          ("/subscriptions", SUBSCRIPTION, "description"), ("/silences", SILENCE, "dyad"),
          ("/silences", SILENCE, "created_by"), ("/silences", SILENCE, None)]  # fmt: skip
LIST_PLACES = ["dyads", "countries", "directions", "kinds"]  # the filter's lists


def _problem(runner: Runner, path: str, body: str) -> dict[str, Any]:
    raw = http_api_event("POST", path)
    raw["body"] = body
    answer = runner.invoke("ApiFunction", raw)
    assert answer["statusCode"] == 422, answer
    assert len(answer["body"].encode()) <= MAX_PROBLEM_BYTES, len(answer["body"])
    problem: dict[str, Any] = json.loads(answer["body"])
    assert problem["errors"], problem
    return problem


@FUZZ
@given(st.sampled_from(PLACES), s.nested_json_text)
def test_nested_json_anywhere_is_a_small_422(
    runner: Runner, place: tuple[str, dict[str, str], str | None], nested: str
) -> None:
    path, valid, field = place
    if field is None:
        body = nested
    else:
        rest = json.dumps({k: v for k, v in valid.items() if k != field})
        body = f'{rest[:-1]}, "{field}": {nested}}}'
        assert json.loads(body.replace(nested, "1"))  # the rest of the body is valid JSON
    _problem(runner, path, body)


@FUZZ
@given(st.sampled_from([*LIST_PLACES, "body", "silence"]), s.huge_invalid_lists)
def test_huge_invalid_lists_get_a_capped_answer_that_echoes_none(
    runner: Runner, place: str, items: list[str]
) -> None:
    if place == "body":
        path, body = "/subscriptions", items
    elif place == "silence":
        path, body = "/silences", {**SILENCE, "dyad": items}
    else:
        path, body = "/subscriptions", {**SUBSCRIPTION, "filter": {place: items}}
    problem = _problem(runner, path, json.dumps(body))
    assert MARK not in json.dumps(problem)
