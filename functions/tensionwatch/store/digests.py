"""What a digest reads, bounded by the pairs it covers: DyadsTable (pair indexes, states,
buckets, article citations) and AlertsTable (a period's alerts, and which were silenced).

No scan: a digest finds the pairs of a country or all-pairs filter through the day index
(`ACTIVE#<day>`, one Query per UTC day of the period) and the unsteady index (one Query), and
reads each pair by key. Reads are eventually consistent (half the price of the signal's
strongly consistent ones): a digest written a second after a fold may miss it, and the next
digest has it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import boto3

from tensionwatch.digests.build import PairHistory, Period
from tensionwatch.models import Alert
from tensionwatch.signals.alerts import ArticleRef
from tensionwatch.signals.windows import total
from tensionwatch.store import dyad_items as items
from tensionwatch.store.alerts import alert_of
from tensionwatch.store.ddb import query_all

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

BATCH_GET_MAX = 100  # DynamoDB BatchGetItem keys per call


class DigestReads:
    """A period's pairs, their histories and alerts."""

    def __init__(
        self, dyads_table: str, alerts_table: str, client: DynamoDBClient | None = None
    ) -> None:
        self._dyads = dyads_table
        self._alerts = alerts_table
        self._client: Any = client or boto3.client("dynamodb")

    def active_pairs(self, period: Period) -> set[str]:
        """Pairs with news on any UTC day of `period`, and pairs not steady now."""
        found = {item["sk"]["S"] for item in self._partition(self._dyads, items.UNSTEADY_PK)}
        for day in _days(period.start.date(), period.end.date()):
            found |= {
                item["sk"]["S"] for item in self._partition(self._dyads, items.active_pk(day))
            }
        return found

    def states(self, dyads: list[str]) -> dict[str, items.StateRead]:
        """Each pair's state item (the initial state for a pair never seen), a hundred per
        request."""
        keys = [items.key(items.pair_pk(d), items.STATE_SK) for d in dyads]
        found = {item["pk"]["S"]: item for item in self._batch_get(self._dyads, keys)}
        return {d: items.state_read(found.get(items.pair_pk(d))) for d in dyads}

    def history(
        self, dyad: str, read: items.StateRead, period: Period, baseline_days: int
    ) -> PairHistory:
        """The pair's period: its hourly buckets summed, and its daily buckets from
        `baseline_days` before the period to its end (its open day as its state item sums
        it: `items.OPEN_DAY`)."""
        pk = items.pair_pk(dyad)
        first = period.start.date() - timedelta(days=baseline_days + 1)
        hours = self._range(pk, items.hour_sk(period.start), items.hour_sk(period.end))
        days = self._range(pk, items.day_sk(first), items.day_sk(period.end.date()))
        in_period = [
            i for i in hours if period.start <= items.hour_of_sk(i["sk"]["S"]) < period.end
        ]
        buckets = {items.day_of_sk(i["sk"]["S"]): items.tally_of(i) for i in days}
        open_day = read.open_day
        if open_day is not None and not first <= open_day[0] <= period.end.date():
            open_day = None
        return PairHistory(
            dyad=dyad,
            state=read.state,
            period=total(items.tally_of(item) for item in in_period),
            days=items.with_open_day(buckets, open_day),
        )

    def articles(self, dyad: str, period: Period) -> list[ArticleRef]:
        """The articles of the pair published in the period (its citations)."""
        found = self._range(items.pair_pk(dyad), items.citations_low(period.start),
                            f"A#{period.end.isoformat()}~")  # fmt: skip
        refs = items.citations_in(found, period.start, period.end)
        return [ref for ref in refs if ref.published_at < period.end]  # the next one's at end

    def alerts(self, dyads: Iterable[str] | None, period: Period) -> list[Alert]:
        """The alerts fired in the period, of `dyads` (None: of every pair), less those a
        silence muted: a digest is a notification, and a silence mutes notifications."""
        low, high = period.start.isoformat(), f"{period.end.isoformat()}~"
        partitions = ([f"DYAD#{d}" for d in dyads] if dyads is not None
                      else [f"MONTH#{m}" for m in _months(period)])  # fmt: skip
        found: dict[str, Alert] = {}
        for pk in partitions:
            for item in self._range(pk, low, high, table=self._alerts):
                alert = alert_of(item)
                if period.start <= alert.fired_at < period.end:
                    found[alert.id] = alert
        silenced = self._silenced(list(found))
        return [alert for alert_id, alert in found.items() if alert_id not in silenced]

    def _silenced(self, alert_ids: list[str]) -> set[str]:
        keys = [{"pk": {"S": f"ALERT#{i}"}, "sk": {"S": "ALERT"}} for i in alert_ids]
        found = self._batch_get(self._alerts, keys, "pk, #s", {"#s": "status"})
        return {item["pk"]["S"].removeprefix("ALERT#") for item in found
                if item.get("status", {}).get("S") == "silenced"}  # fmt: skip

    def _batch_get(self, table: str, keys: list[dict[str, Any]], projection: str = "",
                   names: dict[str, str] | None = None) -> list[dict[str, Any]]:  # fmt: skip
        found: list[dict[str, Any]] = []
        for start in range(0, len(keys), BATCH_GET_MAX):
            wanted: dict[str, Any] = {"Keys": keys[start : start + BATCH_GET_MAX]}
            if projection:
                wanted |= {"ProjectionExpression": projection, "ExpressionAttributeNames": names}
            request: dict[str, Any] = {table: wanted}
            while request:
                answer = self._client.batch_get_item(RequestItems=request)
                found += answer["Responses"].get(table, [])
                request = answer.get("UnprocessedKeys") or {}
        return found

    def _partition(self, table: str, pk: str) -> list[dict[str, Any]]:
        request = {"TableName": table, "KeyConditionExpression": "pk = :pk",
                   "ExpressionAttributeValues": {":pk": {"S": pk}}}  # fmt: skip
        return query_all(self._client, request)

    def _range(self, pk: str, low: str, high: str, *, table: str = "") -> list[dict[str, Any]]:
        return query_all(self._client, {
            "TableName": table or self._dyads,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": {":pk": {"S": pk}, ":low": {"S": low},
                                          ":high": {"S": high}},
        })  # fmt: skip


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _months(period: Period) -> list[str]:
    return sorted({f"{day:%Y-%m}" for day in _days(period.start.date(), period.end.date())})
