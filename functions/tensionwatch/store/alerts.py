"""AlertsTable: the alert log, recorded once per id, with its publication status.

Items (pk, sk):
- `ALERT#<id>`, `ALERT`: the record (`alert`, `status`, `silenced_by`, `lease_until`,
  `holder`, `message_id`); put once, conditionally: the id is deterministic, so a replay finds it;
- `DYAD#<pair>`, `<fired_at>#<id>` and `MONTH#<YYYY-MM>`, `<fired_at>#<id>`: copies of the
  alert for history queries by pair, or across pairs, and time (no GSI needed).
`alert` is the alert's JSON compressed (`alert_body`; read by `alert_of`, which reads the
plain JSON of older items too): an alert's quotes make it 3-4 KB, written three times in a
transaction (twice the units) and rewritten by each status change, and it compresses to a
third.
Status: recorded -> publishing (leased) -> published | silenced.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

from tensionwatch.models import Alert
from tensionwatch.signals.storage import AlertRecord, Status
from tensionwatch.store.ddb import compressed, condition_failed, stored_text

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = ["AlertPage", "AlertRecord", "AlertStore", "alert_body", "alert_of", "record_actions"]

RECORD_SK = "ALERT"
ALERT_TTL_DAYS = 400  # a year of history for the API, and a margin
FUTURE_MARGIN_DAYS = 31  # months ahead of the clock that an all-pairs query still looks at
# One page's Queries at most: the retention spans 15 month partitions and the future margin one
# more, so an all-pairs page can look at every month and still follow a few of DynamoDB's own
# (1 MB) pages. A page cut short by this bound ends with a position to go on from.
MAX_PAGE_QUERIES = 20
# Alert JSON in one page at most: Lambda answers a synchronous call with at most 6 MB and an
# alert is under SNS's 256 KB, so a page that stops once past this still fits.
MAX_PAGE_BYTES = 4_000_000


@dataclass(frozen=True)
class AlertPage:
    """Alerts in (fired_at, id) order; `after`, where the next page starts (None: no more);
    `since`, the start the query used once clamped to the retention."""

    alerts: list[Alert]
    after: str | None
    since: datetime


def record_actions(table: str, alerts: Sequence[Alert]) -> list[dict[str, Any]]:
    """TransactItems recording `alerts` in `table`, each conditional on its id being new:
    written with the pair's state (`DyadStore.commit`), so a decision and its alerts land
    together or not at all."""
    actions: list[dict[str, Any]] = []
    for alert in alerts:
        body = alert_body(alert)
        expires = {"N": str(int(alert.fired_at.timestamp()) + ALERT_TTL_DAYS * 86_400)}
        record = {**_key(alert.id), "alert": body, "status": {"S": "recorded"},
                  "dyad": {"S": alert.dyad}, "expires_at": expires}  # fmt: skip
        new_only = "attribute_not_exists(pk)"
        actions.append({"Put": {"TableName": table, "Item": record,
                                "ConditionExpression": new_only}})  # fmt: skip
        sk = {"S": f"{alert.fired_at.isoformat()}#{alert.id}"}
        for pk in (f"DYAD#{alert.dyad}", f"MONTH#{alert.fired_at:%Y-%m}"):
            item = {"pk": {"S": pk}, "sk": sk, "alert": body, "expires_at": expires}
            actions.append({"Put": {"TableName": table, "Item": item}})
    return actions


def alert_body(alert: Alert) -> dict[str, Any]:
    """An alert as its items store it: its JSON, compressed."""
    return compressed(alert.model_dump_json())


def alert_of(item: dict[str, Any]) -> Alert:
    """The alert an item of this table stores (compressed, or plain JSON in older items)."""
    return Alert.model_validate_json(stored_text(item["alert"]))


def _key(alert_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"ALERT#{alert_id}"}, "sk": {"S": RECORD_SK}}


class AlertStore:
    """The alert history and the publish-once ledger."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table = table_name
        self._client: Any = client or boto3.client("dynamodb")

    @property
    def client(self) -> DynamoDBClient:
        """The DynamoDB client, to share with the other stores of the function (each client
        built costs ~30 ms of a cold start)."""
        return self._client  # type: ignore[no-any-return]

    def record_actions(self, alerts: Sequence[Alert]) -> list[dict[str, Any]]:
        """TransactItems recording `alerts`; each record is conditional on its id being new."""
        return record_actions(self._table, alerts)

    def get(self, alert_id: str) -> AlertRecord | None:
        """The record of `alert_id`, or None when it was never recorded."""
        answer = self._client.get_item(TableName=self._table, Key=_key(alert_id),
                                       ConsistentRead=True)  # fmt: skip
        return _record(answer["Item"]) if "Item" in answer else None

    def claim(self, alert_id: str, now: float, lease_seconds: float) -> Alert | None:
        """Take the right to publish `alert_id` for `lease_seconds`: the alert when it is
        recorded (or its last claim lapsed, its holder having died), None when another run
        holds it or it was already published or silenced."""
        # The claim names its holder, so the SDK's retry of this very request (its answer lost
        # after it committed) finds its own lease, not another run's: without it, the retry's
        # condition failure left the alert unpublished until the pair's next article.
        holder = uuid.uuid4().hex
        try:
            answer = self._client.update_item(
                TableName=self._table,
                Key=_key(alert_id),
                UpdateExpression="SET #s = :publishing, lease_until = :until, holder = :me",
                ConditionExpression="#s = :recorded OR (#s = :publishing AND "
                "(lease_until < :now OR holder = :me))",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":publishing": {"S": "publishing"},
                                           ":recorded": {"S": "recorded"},
                                           ":until": {"N": str(now + lease_seconds)},
                                           ":now": {"N": str(now)}, ":me": {"S": holder}},
                ReturnValues="ALL_NEW",
            )  # fmt: skip
        except ClientError as error:
            if condition_failed(error):
                return None
            raise
        return _record(answer["Attributes"]).alert

    def release(self, alert_id: str) -> None:
        """Give a claim back (the publish failed): the next run may publish at once."""
        self._client.update_item(
            TableName=self._table,
            Key=_key(alert_id),
            UpdateExpression="SET #s = :recorded REMOVE lease_until",
            ConditionExpression="#s = :publishing",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":recorded": {"S": "recorded"},
                                       ":publishing": {"S": "publishing"}},
        )  # fmt: skip

    def mark_published(self, alert_id: str, message_id: str) -> None:
        """Close the ledger entry: published, never again."""
        self._finish(alert_id, "published", {"message_id": message_id})

    def mark_silenced(self, alert_id: str, silence_id: str) -> None:
        """Close the ledger entry: recorded, muted by `silence_id`, not published."""
        self._finish(alert_id, "silenced", {"silenced_by": silence_id})

    def page(self, dyad: str | None, since: datetime, *, now: datetime, limit: int,
             after: str | None = None) -> AlertPage:  # fmt: skip
        """Up to `limit` alerts of one pair, or of all, fired at or after `since` but within
        the retention before `now`, oldest first, from just after `after` (a previous page's
        `after`) if given. At most MAX_PAGE_QUERIES Queries and about MAX_PAGE_BYTES of alerts;
        a page cut short by either still says where to go on."""
        since = max(since.astimezone(UTC), now - timedelta(days=ALERT_TTL_DAYS))
        start = since.isoformat()
        # Sort keys are `<fired_at>#<id>`; "YYYY-MM" sorts before every key of that month.
        low, op = (after, ">") if after is not None and after > start else (start, ">=")
        alerts: list[Alert] = []
        size = queries = 0
        for pk, next_month in _partitions(dyad, low, now):
            while True:
                if queries == MAX_PAGE_QUERIES:
                    return AlertPage(alerts, low, since)
                answer = self._client.query(
                    TableName=self._table, Limit=limit - len(alerts),
                    KeyConditionExpression=f"pk = :pk AND sk {op} :low",
                    ExpressionAttributeValues={":pk": {"S": pk}, ":low": {"S": low}},
                )  # fmt: skip
                queries += 1
                for item in answer["Items"]:
                    text = stored_text(item["alert"])  # a page's bound is its answer's JSON
                    alerts.append(Alert.model_validate_json(text))
                    size += len(text)
                    low, op = item["sk"]["S"], ">"
                    if len(alerts) == limit or size >= MAX_PAGE_BYTES:
                        return AlertPage(alerts, low, since)
                if "LastEvaluatedKey" not in answer:
                    break
            low, op = (next_month, ">") if next_month else (low, op)
        return AlertPage(alerts, None, since)

    def query(self, dyad: str | None, since: datetime) -> list[Alert]:
        """Every alert of one pair, or of all, fired at or after `since` (within the
        retention), oldest first: all pages of `page` (for tools and tests, not the API)."""
        now = datetime.now(UTC)
        found = self.page(dyad, since, now=now, limit=1000)
        alerts = list(found.alerts)
        while found.after is not None:
            found = self.page(dyad, since, now=now, limit=1000, after=found.after)
            alerts += found.alerts
        return alerts

    def _finish(self, alert_id: str, status: Status, extra: dict[str, str]) -> None:
        names = {"#s": "status", **{f"#{k}": k for k in extra}}
        sets = ", ".join(["#s = :s", *(f"#{k} = :{k}" for k in extra)])
        values = {":s": {"S": status}, **{f":{k}": {"S": v} for k, v in extra.items()}}
        self._client.update_item(TableName=self._table, Key=_key(alert_id),
                                 UpdateExpression=f"SET {sets} REMOVE lease_until",
                                 ExpressionAttributeNames=names,
                                 ExpressionAttributeValues=values)  # fmt: skip


def _record(item: dict[str, Any]) -> AlertRecord:
    return AlertRecord(
        alert=alert_of(item),
        status=item["status"]["S"],
        silenced_by=item["silenced_by"]["S"] if "silenced_by" in item else None,
        message_id=item["message_id"]["S"] if "message_id" in item else None,
    )


def _partitions(dyad: str | None, low: str, now: datetime) -> list[tuple[str, str | None]]:
    """The partitions a page walks from sort key `low` on, each with the "YYYY-MM" of the
    month after it (None for the last): a pair's own, or the months from `low`'s to a little
    past `now` (alerts carry event time: a replay may run ahead of the clock)."""
    if dyad is not None:
        return [(f"DYAD#{dyad}", None)]
    until = now + timedelta(days=FUTURE_MARGIN_DAYS)
    year, month = int(low[:4]), int(low[5:7])
    months: list[str] = []
    while (year, month) <= (until.year, until.month) or not months:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [(f"MONTH#{m}", n) for m, n in zip(months, [*months[1:], None], strict=True)]
