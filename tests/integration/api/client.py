"""Calls the api handler with API Gateway HTTP API (payload 2.0) events built from the canned
one in tests/events, and in-memory stand-ins for the silences and pair-signal stores."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tensionwatch.handlers import api
from tensionwatch.local.lambda_events import FakeContext as LambdaContextStub
from tensionwatch.models import Silence

EVENTS = Path(__file__).resolve().parents[2] / "events"


FakeContext = partial(LambdaContextStub, "ApiFunction")  # the offline stack's context
OPS = "arn:aws:iam::123456789012:user/ops"  # the canned event's caller


def canned(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return loaded


def event(
    method: str,
    path: str,
    body: Any = None,
    query: dict[str, str] | None = None,
    caller: str | None = OPS,
) -> dict[str, Any]:
    """The canned HTTP API event for this request, signed (SigV4, IAM auth) by `caller`'s ARN;
    `caller=None` leaves the IAM context out, as no request through the deployed API can."""
    built = copy.deepcopy(canned("api_http_v2.json"))
    if caller is None:
        del built["requestContext"]["authorizer"]
    else:
        built["requestContext"]["authorizer"]["iam"]["userArn"] = caller
    built["rawPath"] = built["requestContext"]["http"]["path"] = path
    built["requestContext"]["http"]["method"] = method
    if query:
        built["rawQueryString"] = urlencode(query)
        built["queryStringParameters"] = query
    if body is not None:
        built["body"] = body if isinstance(body, str) else json.dumps(body)
    return built


@dataclass
class Reply:
    status: int
    body: Any


def call(
    method: str,
    path: str,
    body: Any = None,
    query: dict[str, str] | None = None,
    caller: str | None = OPS,
) -> Reply:
    return send(event(method, path, body, query, caller))


def send(raw: dict[str, Any]) -> Reply:
    result = api.handler(raw, FakeContext())  # type: ignore[arg-type]
    text = result.get("body") or "null"
    return Reply(result["statusCode"], json.loads(text))


@dataclass
class MemorySilences:
    items: dict[str, Silence] = field(default_factory=dict)

    def put(self, silence: Silence) -> None:
        self.items[silence.id] = silence

    def get(self, silence_id: str) -> Silence | None:
        return self.items.get(silence_id)

    def delete(self, silence_id: str) -> None:
        self.items.pop(silence_id, None)

    def list_all(self) -> list[Silence]:
        return list(self.items.values())


@dataclass
class MemoryDyads:
    signals: dict[str, dict[str, Any]] = field(default_factory=dict)

    def get(self, dyad: str) -> dict[str, Any] | None:
        return self.signals.get(dyad)
