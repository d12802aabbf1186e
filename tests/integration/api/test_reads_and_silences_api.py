"""/silences, /alerts, /dyads and /openapi.json through API Gateway HTTP API events."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.factories import T0
from tests.integration.api.client import MemoryDyads, call
from tests.integration.api.conftest import ApiWorld

LATER = (T0 + timedelta(days=400)).isoformat()


def test_silence_lifecycle(world: ApiWorld) -> None:
    created = call("POST", "/silences", {"dyad": "kr-jp", "ends_at": LATER, "created_by": "ops",
                                         "comment": "summit week"})  # fmt: skip
    assert created.status == 201
    assert created.body["dyad"] == "JP-KR"
    silence_id = created.body["id"]
    assert [s["id"] for s in call("GET", "/silences").body] == [silence_id]
    assert call("GET", f"/silences/{silence_id}").body["comment"] == "summit week"
    assert call("DELETE", f"/silences/{silence_id}").status == 204
    assert call("GET", f"/silences/{silence_id}").status == 404
    assert call("DELETE", f"/silences/{silence_id}").status == 404


def test_invalid_silences_name_the_field(world: ApiWorld) -> None:
    cases = [
        ({"ends_at": LATER, "created_by": "ops"}, "dyad"),
        ({"dyad": "JP-KR", "created_by": "ops"}, "ends_at"),
        ({"dyad": "JP-KR", "ends_at": LATER}, "created_by"),
        ({"dyad": "JP-KR", "ends_at": "2020-01-01T00:00:00Z", "created_by": "ops",
          "starts_at": "2021-01-01T00:00:00Z"}, "ends_at"),
        ({"country": "Japan", "ends_at": LATER, "created_by": "ops"}, "country"),
    ]  # fmt: skip
    for body, field in cases:
        reply = call("POST", "/silences", body)
        assert reply.status == 422, body
        assert field in [e["field"] for e in reply.body["errors"]], reply.body
    past = call("POST", "/silences", {"dyad": "JP-KR", "ends_at": "2020-01-01T00:00:00Z",
                                      "created_by": "ops"})  # fmt: skip
    assert past.status == 400
    assert past.body["message"].startswith("ends_at")


def test_alerts_with_bad_query_name_the_parameter(world: ApiWorld) -> None:
    for query, field in [({"dyad": "JAPAN"}, "dyad"), ({"since": "yesterday"}, "since")]:
        reply = call("GET", "/alerts", query=query)
        assert reply.status == 422
        assert reply.body["errors"][0]["field"] == f"query.{field}"


def test_dyad_signal_and_unknown_pair(world: ApiWorld) -> None:
    dyads = world.services.dyads
    assert isinstance(dyads, MemoryDyads)
    dyads.signals["JP-KR"] = {"dyad": "JP-KR", "state": "thawing", "windows": {"24h": 3.1}}
    reply = call("GET", "/dyads/kr-jp")
    assert reply.status == 200
    assert reply.body["state"] == "thawing"
    assert call("GET", "/dyads/CN-US").status == 404


def test_openapi_document_lists_every_route(world: ApiWorld) -> None:
    reply = call("GET", "/openapi.json")
    assert reply.status == 200
    document = reply.body if isinstance(reply.body, dict) else json.loads(reply.body)
    routes = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert routes == {
        ("/subscriptions", "post"), ("/subscriptions", "get"),
        ("/subscriptions/{subscription_id}", "get"),
        ("/subscriptions/{subscription_id}", "delete"),
        ("/subscriptions/{subscription_id}/test", "post"),
        ("/subscriptions/{subscription_id}/secret", "post"),
        ("/subscriptions/{subscription_id}/enable", "post"),
        ("/subscriptions/{subscription_id}/delivery", "put"),
        ("/schemas", "get"), ("/schemas/{name}", "get"),
        ("/silences", "post"), ("/silences", "get"),
        ("/silences/{silence_id}", "get"), ("/silences/{silence_id}", "delete"),
        ("/alerts", "get"), ("/dyads/{dyad}", "get"),
    }  # fmt: skip
    assert "SubscriptionIn" in document["components"]["schemas"]


def test_unknown_route_is_404(world: ApiWorld) -> None:
    assert call("GET", "/nothing-here").status == 404
