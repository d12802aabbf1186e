"""The published payload schemas (docs/schemas), as validators the tests hold payloads to.

A spy (tests/conftest.py, `payload_contracts`) passes every webhook body the product renders
and every SNS message it publishes through `check_webhook` and `check_sns`, in every test and
in the demo: a field the product adds without its schema fails the test that produced it.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).resolve().parents[1] / "docs" / "schemas"
COUNTS: Counter[str] = Counter()  # payloads validated in this process, by schema


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator of the schema published as docs/schemas/<name>.json."""
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(name: str, payload: Any) -> list[str]:
    """What in `payload` breaks schema `name` (empty: it validates)."""
    COUNTS[name] += 1
    found = []
    for error in validator(name).iter_errors(payload):
        # A oneOf (the webhook body) fails as a whole: say what broke inside its branches.
        leaves = [e for e in error.context or () if not e.context] or [error]
        found += [f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
                  for e in leaves]  # fmt: skip
    return found


def check_webhook(body: bytes) -> list[str]:
    """A webhook body against `webhook.v1`, and its `data` against the schema it names."""
    event = json.loads(body)
    found = problems("webhook.v1", event)
    if isinstance(event, dict) and event.get("dataschema") in ("alert.v2", "digest.v1"):
        found += problems(event["dataschema"], event.get("data"))
    return found


def check_sns(request: dict[str, Any]) -> list[str]:
    """A Publish request's `default` body against the schema of its kind: alert or digest."""
    message = json.loads(request["Message"])
    kind = request["MessageAttributes"]["kind"]["StringValue"]
    name = "digest.v1" if kind.startswith("digest:") else "alert.v2"
    return problems(name, json.loads(message["default"]))
