"""DyadsTable: the per-pair signal. Folding an article is an ADD update of its hour's bucket
in each pair (then its day's sum, put whole), each conditional on the article's id not being
in the bucket's `folds` set yet, so a redelivered article changes nothing twice and concurrent
batches never read-modify-write a bucket; state moves only by a write conditional on its
version. An article folds into every pair its reading names (`signals.pairs.fold_plan`).
Item layout: see `tensionwatch.store.dyad_items`.

What each write costs decides what rides in a transaction (every item in one is charged twice;
docs/performance.md): only what must change together does. The citations are plain puts after
the fold's bucket updates, repeated whenever the article comes again (a put of the same item
is harmless), so a crash between the two leaves a record SQS redelivers, never a fold without
its citations for good; the buckets need no transaction either, as each guards itself; a
state write that records no alert and moves no index is one conditional update."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

from tensionwatch.models import Alert, Article, Score
from tensionwatch.signals.alerts import ArticleRef
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.fold import PairFold, added, article_folds
from tensionwatch.signals.pairs import FoldPlan, fold_plan
from tensionwatch.signals.signal import DyadSignal, signal_of
from tensionwatch.signals.state import PairState, Snapshot, snapshot
from tensionwatch.signals.storage import MAX_ATTEMPTS, Commit, StateConflict
from tensionwatch.signals.windows import Tally
from tensionwatch.store import dyad_items as items
from tensionwatch.store.ddb import error_code, failed_conditions, query_all, scan_pages

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from tensionwatch.store.alerts import AlertStore

__all__ = ["Commit", "DyadStore"]  # the answers of this adapter


class DyadStore:
    """The country-pair signal table: `tensionwatch.signals.storage.PairStore` on DynamoDB.
    `alerts` is the ledger whose records `commit` writes for the alerts a decision fires, in
    the same transaction as the state (a store of its own, so each store acts on one table
    and its policy can be read from its code)."""

    def __init__(
        self,
        table_name: str,
        config: SignalConfig | None = None,
        client: DynamoDBClient | None = None,
        alerts: AlertStore | None = None,
    ) -> None:
        self._table = table_name
        self._config = config or SignalConfig()
        self._client: Any = client or boto3.client("dynamodb")
        self._alerts = alerts

    @property
    def client(self) -> DynamoDBClient:
        """The DynamoDB client, to share with the other stores of the function (each client
        built costs ~30 ms of a cold start)."""
        return self._client  # type: ignore[no-any-return]

    def fold(self, article: Article, score: Score, plan: FoldPlan | None = None) -> bool:
        """Fold an article into every pair of `plan` (default: `fold_plan(score)`), each with
        its own direction, score and gravity, each bucket once, and cite it in each pair; a
        syndicated copy as a copy (`fold.article_folds`). False when it was folded before (a
        redelivery)."""
        folds = article_folds(article, score, plan or fold_plan(score), self._config)
        return self._fold(folds)

    def state(self, dyad: str) -> PairState:
        """The pair's stored state (strongly consistent); the initial state when new."""
        return self.state_read(dyad).state

    def state_read(self, dyad: str) -> items.StateRead:
        """The pair's stored state and the open day its item sums (`items.OPEN_DAY`)."""
        return items.state_read(self._get(items.key(items.pair_pk(dyad), items.STATE_SK)))

    def snapshot(self, dyad: str, now: datetime) -> Snapshot:
        """The pair's windows and baseline ending at `now`."""
        return self._snapshot(dyad, now, self.state_read(dyad).open_day)

    def _snapshot(self, dyad: str, now: datetime, open_day: tuple[date, Tally] | None) -> Snapshot:
        first_hour, first_day = self.first_buckets(now)
        hour_items = self.buckets(dyad, first_hour, items.hour_sk(now))
        day_items = self.buckets(dyad, first_day, items.day_sk(now.date()))
        hours = {items.hour_of_sk(i["sk"]["S"]): items.tally_of(i) for i in hour_items}
        days = {items.day_of_sk(i["sk"]["S"]): items.tally_of(i) for i in day_items}
        return snapshot(hours, items.with_open_day(days, open_day), now, self._config)

    def first_buckets(self, now: datetime) -> tuple[str, str]:
        """The sort keys of the first hour and day bucket a decision at `now` reads."""
        cfg = self._config
        first_hour = now - timedelta(hours=max(cfg.window_hours, cfg.flash_window_hours) + 1)
        first_day = now - timedelta(days=cfg.baseline_days + cfg.window_hours // 24 + 2)
        return items.hour_sk(first_hour), items.day_sk(first_day.date())

    def buckets(self, dyad: str, low: str, high: str) -> list[dict[str, Any]]:
        """The pair's items whose sort keys lie in [low, high], in sort-key order."""
        return self._range(dyad, low, high)

    def articles(self, dyad: str, start: datetime, end: datetime) -> list[ArticleRef]:
        """The articles of the pair published in [start, end]."""
        found = self._range(dyad, items.citations_low(start), f"A#{end.isoformat()}~")
        return items.citations_in(found, start, end)

    def commit(
        self, dyad: str, prev: PairState, new: PairState, alerts: Sequence[Alert] = ()
    ) -> Commit:
        """Write `new` over `prev` (conditional on prev's version) together with the records
        of `alerts` in the AlertsTable (each conditional on its id being new), adding their
        ids to `pending`. Raises ValueError for alerts without an alerts store."""
        return self.write_state(dyad, prev, new, alerts, self.index_actions(dyad, prev, new))

    def index_actions(self, dyad: str, prev: PairState, new: PairState) -> list[dict[str, Any]]:
        """The digest's pair indexes, which ride on the state write (a new day, a new state):
        no extra request, and at most two small items per pair per day."""
        expires = int((new.latest or datetime.now(UTC)).timestamp()) + self.keep_seconds()
        return items.index_actions(self._table, dyad, prev, new, expires)

    def write_state(
        self,
        dyad: str,
        prev: PairState,
        new: PairState,
        alerts: Sequence[Alert],
        index: list[dict[str, Any]],
        *,
        open_day: tuple[date, Tally] | None = None,
    ) -> Commit:
        """`commit` with the digest's index actions given (`items.index_actions`), and the
        open day the state item sums from now on (None: as it is)."""
        if alerts and self._alerts is None:
            raise ValueError("DyadStore needs an AlertStore to record alerts")
        records = self._alerts.record_actions(alerts) if self._alerts else []
        expression, values = items.state_update(new, [a.id for a in alerts], open_day)
        condition = "attribute_not_exists(version)" if prev.version == 0 else "version = :prev"
        if prev.version:
            values[":prev"] = {"N": str(prev.version)}
        update = {"Update": {"TableName": self._table,
                             "Key": items.key(items.pair_pk(dyad), items.STATE_SK),
                             "UpdateExpression": expression, "ConditionExpression": condition,
                             "ExpressionAttributeNames": {"#state": "state"},
                             "ExpressionAttributeValues": values}}  # fmt: skip
        if not records and not index:
            return self._update_state(update["Update"])
        failed = failed_conditions(self._client, [update, *records, *index])
        if failed is None:
            return Commit.DONE
        return Commit.CONFLICT if not failed or 0 in failed else Commit.DUPLICATE

    def _update_state(self, update: dict[str, Any]) -> Commit:
        """The state alone: one conditional update, half a transaction's units."""
        try:
            self._client.update_item(**update)
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return Commit.CONFLICT
            raise
        return Commit.DONE

    def clear_pending(self, dyad: str, alert_id: str) -> None:
        """Forget a pending alert id once it is published or silenced."""
        self._client.update_item(
            TableName=self._table,
            Key=items.key(items.pair_pk(dyad), items.STATE_SK),
            UpdateExpression="DELETE pending :id",
            ExpressionAttributeValues={":id": {"SS": [alert_id]}},
        )

    def get(self, dyad: str) -> DyadSignal | None:
        """The pair's signal at its latest event time; None for a pair never seen."""
        state, open_day = self.state_read(dyad)
        if state.latest is None:
            return None
        snap = self._snapshot(dyad, state.latest, open_day)
        refs = self.articles(dyad, snap.window.start, snap.window.end)
        return signal_of(dyad, state, snap, refs)

    def keep_seconds(self) -> int:
        # Buckets, refs and index items outlive the longest look-back (baseline + window).
        return (self._config.baseline_days + 10) * 86_400

    def _fold(self, folds: list[PairFold]) -> bool:
        """The buckets, each once (a redelivery adds only what a cut-short run left out), then
        the citations (again on a redelivery: the first run may have stopped before them).
        True when any bucket took the article, or when it folds into no pair: there is then
        nothing to make once (its redelivery only costs the scorer again)."""
        if not folds:
            return True
        new = False
        for fold in folds:
            at, expires = fold.ref.published_at, self.expires(fold)
            update = items.hour_update(self._table, fold.dyad, at, fold.tally, expires,
                                       article_id=fold.ref.id)  # fmt: skip
            new = self.update_new(update) or new
            # again on a redelivery: a run cut short after the hour left the day to its retry
            self.settle_day(fold.dyad, at.date(), expires)
        for fold in folds:
            self.put(items.citation_item(fold.dyad, fold.ref, self.expires(fold)))
        return new

    def put(self, row: dict[str, Any]) -> None:
        """Put `row` (citations: the same item again on a repeat)."""
        self._client.put_item(TableName=self._table, Item=row)

    @property
    def table(self) -> str:
        return self._table

    @property
    def config(self) -> SignalConfig:
        return self._config

    def settle_day(self, dyad: str, day: date, expires: int) -> None:
        """Write `day`'s bucket as the sum of its hours as they stand, read again while
        another run writes it meanwhile."""
        for _ in range(MAX_ATTEMPTS):
            read = self.day_read(dyad, day)  # before the hours: see `put_day`
            if self.put_day(dyad, day, self.day_hours(dyad, day), read, expires):
                return
        raise StateConflict(f"{dyad}: day {day} changed under {MAX_ATTEMPTS} attempts")

    def put_day(
        self, dyad: str, day: date, hours: Iterable[Tally], read: int | None, expires: int
    ) -> bool:
        """Put `day`'s bucket as the sum of `hours` (stored tallies) if the bucket still holds
        the `read` articles (None: no bucket); nothing when it holds that sum already. False
        when another run wrote it since `read`. `read` must be read before `hours`: a run
        that wrote an hour and then the day between them makes the put refused; read after
        them, the put would match and leave that run's fold out of the day."""
        total = None
        for hour in hours:
            total = added(total, hour)
        if total is None or total.articles == read:
            return True
        return self._put_if(items.day_put(self._table, dyad, day, total, read, expires=expires))

    def settle_open_days(self) -> int:
        """Put every pair's open day (`items.OPEN_DAY`) in its day bucket as the sum of its
        hours, as a batch does once the day is closed: what a rollback to code that reads no
        open day needs first (one Scan of the table). The number of days settled."""
        request = {"TableName": self._table, "FilterExpression": "sk = :state",
                   "ProjectionExpression": "pk, #open",
                   "ExpressionAttributeNames": {"#open": items.OPEN_DAY},
                   "ExpressionAttributeValues": {":state": {"S": items.STATE_SK}}}  # fmt: skip
        settled = 0
        for page in scan_pages(self._client, request):
            for item in page:
                open_day = items.open_day_of(item)
                if open_day is not None:
                    dyad, day = item["pk"]["S"].removeprefix("DYAD#"), open_day[0]
                    self.settle_day(dyad, day, self.day_expires(day))
                    settled += 1
        return settled

    def day_hours(self, dyad: str, day: date) -> list[Tally]:
        """The stored tallies of `day`'s hour buckets, in key order (strongly consistent)."""
        return [items.tally_of(item) for item in self.buckets(dyad, *items.day_hours(day))]

    def day_read(self, dyad: str, day: date) -> int | None:
        """The articles `day`'s bucket holds; None when there is none."""
        found = self.buckets(dyad, items.day_sk(day), items.day_sk(day))
        return items.tally_of(found[0]).articles if found else None

    def update_new(self, update: dict[str, Any]) -> bool:
        """Apply a guarded update; False when its guard finds it applied before."""
        return self._guarded(self._client.update_item, update)

    def _put_if(self, put: dict[str, Any]) -> bool:
        """Apply a guarded put; False when its guard refuses it."""
        return self._guarded(self._client.put_item, put)

    def _guarded(self, write: Any, request: dict[str, Any]) -> bool:
        try:
            write(**request)
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def expires(self, fold: PairFold) -> int:
        return int(fold.ref.published_at.timestamp()) + self.keep_seconds()

    def day_expires(self, day: date) -> int:
        """The expiry of `day`'s bucket put with no fold of its own (a closed open day): as
        one of its last possible article's."""
        end = datetime.combine(day, time.max, tzinfo=UTC)
        return int(end.timestamp()) + self.keep_seconds()

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        item = self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        return item.get("Item")  # type: ignore[no-any-return]

    def _range(self, dyad: str, low: str, high: str) -> list[dict[str, Any]]:
        return query_all(self._client, {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": {":pk": {"S": items.pair_pk(dyad)},
                                          ":low": {"S": low}, ":high": {"S": high}},
            "ConsistentRead": True,
        })  # fmt: skip
