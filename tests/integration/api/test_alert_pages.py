"""GET /alerts over the real AlertsTable (moto): `since` is clamped to the table's retention,
results come in pages behind an opaque cursor, and each request makes a bounded number of
DynamoDB Queries, counted where botocore makes the call."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from tensionwatch.models import Alert
from tensionwatch.store import alerts as alert_store
from tensionwatch.store.alerts import ALERT_TTL_DAYS, AlertStore
from tests.factories import T0, make_alert
from tests.integration.api.client import Reply, call
from tests.integration.api.conftest import ApiWorld

NOW = T0 + timedelta(days=30)
# The retention (400 days) spans 15 month partitions, and one more lies ahead of the clock:
# an all-pairs page is at most one Query per month and a few to follow DynamoDB's own pages.
MAX_QUERIES_PER_REQUEST = 20
PAIRS = ("JP-KR", "CN-US", "GR-TR")


@pytest.fixture
def queries(world: ApiWorld) -> Iterator[list[dict[str, Any]]]:
    """The parameters of every Query the API's DynamoDB client sends, in order."""
    sent: list[dict[str, Any]] = []
    hook = lambda params, **_: sent.append(params)  # noqa: E731
    world.dynamodb.meta.events.register("before-call.dynamodb.Query", hook)
    world.services.clock = lambda: NOW
    yield sent
    world.dynamodb.meta.events.unregister("before-call.dynamodb.Query", hook)


def record(world: ApiWorld, alerts: list[Alert]) -> None:
    store = world.services.alerts
    assert isinstance(store, AlertStore)
    for start in range(0, len(alerts), 30):  # 3 actions an alert; 100 per transaction
        actions = store.record_actions(alerts[start : start + 30])
        world.dynamodb.transact_write_items(TransactItems=actions)


def get(
    queries: list[dict[str, Any]], query: dict[str, str], bound: int = MAX_QUERIES_PER_REQUEST
) -> Reply:
    before = len(queries)
    reply = call("GET", "/alerts", query=query)
    assert len(queries) - before <= bound, len(queries) - before
    return reply


def walk(
    queries: list[dict[str, Any]], query: dict[str, str], bound: int = MAX_QUERIES_PER_REQUEST
) -> tuple[list[str], int]:
    """Follow the cursor to the end; the ids in order, and how many pages it took."""
    ids: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        reply = get(queries, {**query, **({"cursor": cursor} if cursor else {})}, bound)
        assert reply.status == 200, reply.body
        ids += [a["id"] for a in reply.body["alerts"]]
        pages += 1
        cursor = reply.body["next_cursor"]
        if cursor is None:
            return ids, pages


@pytest.mark.parametrize("since", ["1900-01-01T00:00:00Z", "0001-01-01T00:00:00Z"])
@pytest.mark.parametrize("dyad", [None, "JP-KR"])
def test_since_long_ago_is_clamped_to_the_retention_in_bounded_queries(
    world: ApiWorld, queries: list[dict[str, Any]], since: str, dyad: str | None
) -> None:
    kept = make_alert("JP-KR", fired_at=NOW - timedelta(days=ALERT_TTL_DAYS - 1))
    expired = make_alert("JP-KR", fired_at=NOW - timedelta(days=ALERT_TTL_DAYS + 1))
    record(world, [kept, expired])  # moto, like DynamoDB for up to days, still holds `expired`
    reply = get(queries, {"since": since, **({"dyad": dyad} if dyad else {})})
    assert reply.status == 200, reply.body
    assert [a["id"] for a in reply.body["alerts"]] == [kept.id]
    oldest = NOW - timedelta(days=ALERT_TTL_DAYS)
    assert reply.body["since"] == oldest.isoformat().replace("+00:00", "Z")
    assert reply.body["next_cursor"] is None


def test_pages_return_every_alert_once_in_order(
    world: ApiWorld, queries: list[dict[str, Any]]
) -> None:
    alerts = [make_alert(PAIRS[i % 3], fired_at=NOW - timedelta(days=390) + timedelta(hours=74 * i))
              for i in range(130)]  # fmt: skip  # a year of alerts across 13 months
    record(world, alerts)
    expected = [a.id for a in sorted(alerts, key=lambda a: (a.fired_at, a.id))]
    since = {"since": "2020-01-01T00:00:00Z"}
    assert walk(queries, {**since, "limit": "100"}) == (expected, 2)
    assert walk(queries, {**since, "limit": "17"}) == (expected, 8)
    pair = [a.id for a in sorted(alerts, key=lambda a: (a.fired_at, a.id)) if a.dyad == "CN-US"]
    assert walk(queries, {**since, "dyad": "CN-US", "limit": "25"}) == (pair, 2)
    assert all(q.get("Limit", 0) <= 100 for q in queries)


@pytest.mark.parametrize(("bound", "value"), [("MAX_PAGE_QUERIES", 2), ("MAX_PAGE_BYTES", 5000)])
def test_a_page_cut_short_by_its_bounds_goes_on_where_it_stopped(
    world: ApiWorld,
    queries: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    bound: str,
    value: int,
) -> None:
    monkeypatch.setattr(alert_store, bound, value)
    alerts = [make_alert(PAIRS[i % 3], fired_at=NOW - timedelta(days=29 * i)) for i in range(13)]
    record(world, alerts)
    limit = value if bound == "MAX_PAGE_QUERIES" else MAX_QUERIES_PER_REQUEST
    ids, pages = walk(queries, {"since": "2020-01-01T00:00:00Z", "limit": "100"}, limit)
    assert ids == [a.id for a in sorted(alerts, key=lambda a: (a.fired_at, a.id))]
    assert pages > 2


def test_a_page_with_no_limit_holds_the_default(
    world: ApiWorld, queries: list[dict[str, Any]]
) -> None:
    record(world, [make_alert("JP-KR", fired_at=NOW - timedelta(hours=h)) for h in range(150)])
    first = get(queries, {})  # default since: 7 days
    assert len(first.body["alerts"]) == 100
    assert len(get(queries, {"cursor": first.body["next_cursor"]}).body["alerts"]) == 50


def test_a_cursor_the_api_did_not_issue_is_a_400_naming_it(
    world: ApiWorld, queries: list[dict[str, Any]]
) -> None:
    forged = base64.urlsafe_b64encode(b'{"after": "0001-01-01"}').decode()
    for cursor in ["not-a-cursor", "e30", forged, "x" * 5000]:
        reply = get(queries, {"cursor": cursor})
        assert reply.status in {400, 422}, reply.body
        assert "cursor" in reply.body["message"]
        assert cursor[:20] not in reply.body["message"]


def test_limit_out_of_range_is_a_422(world: ApiWorld) -> None:
    for limit in ["0", "501", "many"]:
        reply = call("GET", "/alerts", query={"limit": limit})
        assert reply.status == 422
        assert reply.body["errors"][0]["field"] == "query.limit"


def test_alerts_stored_plain_before_compression_are_listed_with_the_compressed_ones(
    world: ApiWorld, queries: list[dict[str, Any]]
) -> None:
    older, newer = (make_alert("JP-KR", fired_at=NOW - timedelta(days=d)) for d in (3, 1))
    record(world, [newer])
    store = world.services.alerts
    assert isinstance(store, AlertStore)
    for action in store.record_actions([older]):
        plain = action["Put"] | {
            "Item": action["Put"]["Item"] | {"alert": {"S": older.model_dump_json()}}
        }
        plain.pop("ConditionExpression", None)
        world.dynamodb.put_item(**plain)
    reply = get(queries, {"since": "2020-01-01T00:00:00Z", "dyad": "JP-KR"})
    assert [a["id"] for a in reply.body["alerts"]] == [older.id, newer.id]
    found = store.get(older.id)
    assert found is not None and found.alert == older
