"""The score service: score an article, fold it into each of its pairs, decide, record, publish.

Order per record (each step safe to repeat, so SQS may redeliver at any point):
1. score the article and fold it into every pair its reading names (at most
   MAX_PAIRS_PER_ARTICLE; none when off-topic), each bucket once (its `folds` digests: a
   redelivered article folds nothing); a syndicated copy is read on its own text too and folds
   as a copy, under its story's id;
2. for each of those pairs, decide on a snapshot at the pair's event time and write the next
   state conditionally on its version, in the same transaction as the alerts it fires
   (recorded once per deterministic id, their ids kept in the state's `pending` set);
3. flush each pair's `pending`: claim each alert (a lease), then mark it silenced or publish
   it and mark it published. A crash before the mark republishes on retry: at-least-once to
   SNS, deduplicated by alert id downstream (docs/signals.md).

The Lambda takes an SQS batch at once (`handle_batch`): steps 1 and 2 for each article in
order on a view of the batch's pairs in memory (`tensionwatch.store.dyad_batch`), the same
decisions, then each pair's writes once and step 3.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Protocol

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from tensionwatch.config import ScoreSettings
from tensionwatch.models import Alert, Article, Score
from tensionwatch.signals.alerts import build_alert
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.fold import PairFold
from tensionwatch.signals.pairs import fold_plan
from tensionwatch.signals.silences import silenced_by
from tensionwatch.signals.state import Decision, decide, pair_now
from tensionwatch.signals.storage import (
    MAX_ATTEMPTS,
    AlertLedger,
    AlertPublisher,
    Commit,
    PairStore,
    SilenceList,
    StateConflict,
)
from tensionwatch.sources.text import FUTURE_SKEW

logger = Logger(child=True)
# A publish claim lapses after 2x the function's 30 s timeout: its holder is dead by then, and
# the record's next receive (visibility 200 s) finds the lease expired.
PUBLISH_LEASE_SECONDS = 60.0
# How a failed record is logged (with its traceback): the words Powertools' batch processor
# logged before the batch was taken whole, which the logs' readers search for.
FAILED_RECORD = "Record processing exception; skipping this record"


class ScoreMetrics(Protocol):
    def count(self, name: str, value: int = 1) -> None: ...


class PairBatchStore(PairStore, Protocol):
    """A batch's pairs in memory (`tensionwatch.store.dyad_batch.PairBatch`)."""

    @property
    def ledger(self) -> AlertLedger:
        """The alert ledger its decisions ask: its own alerts, then the table's."""
        ...

    @property
    def pairs(self) -> tuple[str, ...]: ...

    @property
    def recorded(self) -> Mapping[str, Alert]:
        """The alerts the batch's decisions recorded, by id."""
        ...

    def write(self, dyad: str) -> tuple[Commit, frozenset[str]]:
        """Write the batch's folds, citations and state of `dyad`; the ids pending."""
        ...

    def reload(self, dyad: str) -> list[PairFold]:
        """Read `dyad` again; the batch's folds into it, in order, to fold and decide again."""
        ...

    def refold(self, fold: PairFold) -> None: ...


@dataclass
class ScorePipeline:
    """The one code that folds, decides, records and publishes: on DynamoDB and SNS in Lambda
    (`score_pipeline`), on dicts in a backtest (`tensionwatch.backtest.memory`)."""

    dyads: PairStore
    alerts: AlertLedger
    silences: SilenceList
    topic: AlertPublisher
    scorer: Callable[[Article], Score]
    metrics: ScoreMetrics
    config: SignalConfig = field(default_factory=SignalConfig)
    # Wall clock: for publish leases, and as the ceiling of a pair's event-time clock.
    clock: Callable[[], float] = time.time
    # A view of a batch's pairs, new for each batch (`handle_batch`); None: one by one only.
    batch: Callable[[], PairBatchStore] | None = None

    def handle(self, article: Article) -> None:
        """Fold, decide and publish for one article, in each pair it is about. Raises
        StateConflict or the adapters' errors: each fails this record alone (and its retry
        re-decides every pair; folds are once)."""
        for dyad, pending in self.decide(article):
            self._flush(dyad, pending)

    def handle_batch(self, records: Sequence[tuple[str, Article]]) -> list[str]:
        """`handle` for each (record id, article) in order, each pair written once: its
        articles folded and decided on a view of the batch's pairs, then each pair's writes
        and its alerts' publishing. The ids of the records that failed, each logged with its
        reason: alone where `handle` fails them; every record of a pair whose writes failed
        (the other pairs' go on); the last of a pair whose alerts were not published (its
        retry publishes them). A retry folds nothing twice."""
        if self.batch is None:
            raise ValueError("ScorePipeline.handle_batch needs a batch view")
        view = self.batch()
        deciding = replace(self, dyads=view, alerts=view.ledger)
        failed: dict[str, Exception] = {}
        touched: dict[str, tuple[str, ...]] = {}
        for record_id, article in records:
            try:
                touched[record_id] = tuple(dyad for dyad, _ in deciding.decide(article))
            except Exception as error:
                failed[record_id] = error
        written: dict[str, frozenset[str]] = {}
        for dyad in view.pairs:
            ours = [record for record, dyads in touched.items() if dyad in dyads]
            try:
                written[dyad] = self._write_pair(deciding, view, dyad)
            except Exception as error:
                failed |= {record: error for record in ours if record not in failed}
        for dyad, reason in self._unpublished(written, view.recorded).items():
            if ours := [record for record, dyads in touched.items() if dyad in dyads]:
                failed.setdefault(ours[-1], reason)
        for record_id, reason in failed.items():
            logger.warning(FAILED_RECORD, exc_info=reason, extra={"record_id": record_id})
        return [record for record, _ in records if record in failed]

    def _write_pair(
        self, deciding: ScorePipeline, view: PairBatchStore, dyad: str
    ) -> frozenset[str]:
        """Write what the batch decided for `dyad`; when the pair moved under it, read it
        again and decide its articles again. The alert ids pending publication."""
        for _ in range(MAX_ATTEMPTS):
            result, pending = view.write(dyad)
            if result is Commit.DONE:
                return pending
            self.metrics.count("StateConflicts")
            for fold in view.reload(dyad):
                view.refold(fold)
                deciding._evaluate(dyad, fold.ref.published_at)
        raise StateConflict(f"{dyad}: state changed under {MAX_ATTEMPTS} attempts")

    def _unpublished(
        self, pending: Mapping[str, frozenset[str]], fired: Mapping[str, Alert]
    ) -> dict[str, Exception]:
        """Flush each pair's pending alerts, in the order they fired across the pairs (as one
        by one publishes them; ones pending from before the batch first); the pairs whose
        publishing failed, and why (their other alerts wait for the retry)."""

        def order(item: tuple[str, str]) -> tuple[datetime, str]:
            alert = fired.get(item[1])
            return (alert.fired_at if alert else datetime.min.replace(tzinfo=UTC), item[1])

        failed: dict[str, Exception] = {}
        queue = [(dyad, alert_id) for dyad, ids in pending.items() for alert_id in ids]
        for dyad, alert_id in sorted(queue, key=order):
            if dyad not in failed:
                try:
                    self._flush_one(dyad, alert_id)
                except Exception as error:
                    failed[dyad] = error
        return failed

    def decide(self, article: Article) -> list[tuple[str, frozenset[str]]]:
        """Fold `article` and decide each pair it is about: each pair and the alert ids
        pending publication there. Raises as `handle`."""
        new, dyads = self._fold(article)
        if not new:
            self.metrics.count("ArticlesRedelivered")
        return [(dyad, self._evaluate(dyad, article.published_at)) for dyad in dyads]

    def _fold(self, article: Article) -> tuple[bool, tuple[str, ...]]:
        """Score an article, a syndicated copy on its own text too, and fold it into its
        pairs; (newly folded, the pairs)."""
        score = self.scorer(article)
        plan = fold_plan(score)
        new = self.dyads.fold(article, score, plan)
        self.metrics.count("ArticlesScored")
        if article.story_id not in (None, article.id):
            self.metrics.count("SyndicatedCopies")
        if plan.off_topic:
            self.metrics.count("ArticlesOffTopic")
        elif not plan.pairs:
            self.metrics.count("ArticlesWithoutPair")
        if plan.dropped:
            self.metrics.count("PairsDropped", plan.dropped)
        if len(plan.pairs) > 1:
            self.metrics.count("ArticlesWithSeveralPairs")
        return new, plan.dyads

    def _evaluate(self, dyad: str, at: datetime) -> frozenset[str]:
        """Decide and commit; the alert ids pending publication afterwards."""
        duplicates: set[str] = set()
        for _ in range(MAX_ATTEMPTS):
            prev = self.dyads.state(dyad)
            ceiling = datetime.fromtimestamp(self.clock(), UTC) + FUTURE_SKEW
            now = pair_now(prev.latest, at, ceiling)
            decision = decide(prev, self.dyads.snapshot(dyad, now), self.config)
            if decision.state == prev:
                return prev.pending
            alerts = [a for a in self._alerts(dyad, decision) if a.id not in duplicates]
            new = replace(decision.state, version=prev.version + 1)
            result = self.dyads.commit(dyad, prev, new, alerts)
            if result is Commit.DONE:
                self._fired(alerts)
                return prev.pending | {a.id for a in alerts}
            if result is Commit.DUPLICATE:
                # Same pair, direction, kind and hour as a recorded alert: the same alert.
                duplicates |= {a.id for a in alerts if self.alerts.get(a.id) is not None}
            else:
                self.metrics.count("StateConflicts")
        raise StateConflict(f"{dyad}: state changed under {MAX_ATTEMPTS} attempts")

    def _alerts(self, dyad: str, decision: Decision) -> list[Alert]:
        if not decision.intents:
            return []
        start = min(i.window.start for i in decision.intents)
        end = max(i.window.end for i in decision.intents)
        refs = self.dyads.articles(dyad, start, end)
        return [build_alert(dyad, intent, refs, self.config) for intent in decision.intents]

    def _fired(self, alerts: list[Alert]) -> None:
        for alert in alerts:
            facts = {"alert_id": alert.id, "kind": alert.kind, "rationale": alert.rationale}
            logger.info("alert fired", extra=facts)
        if alerts:
            self.metrics.count("AlertsFired", len(alerts))

    def _flush(self, dyad: str, pending: frozenset[str]) -> None:
        """Publish or silence each pending alert once; leave ones another run is publishing."""
        for alert_id in sorted(pending):
            self._flush_one(dyad, alert_id)

    def _flush_one(self, dyad: str, alert_id: str) -> None:
        alert = self.alerts.claim(alert_id, self.clock(), PUBLISH_LEASE_SECONDS)
        if alert is None:
            record = self.alerts.get(alert_id)
            if record is None or record.status in ("published", "silenced"):
                self.dyads.clear_pending(dyad, alert_id)
            return
        silence = silenced_by(alert, self.silences.active(alert.fired_at))
        if silence is not None:
            self.alerts.mark_silenced(alert_id, silence.id)
            self.metrics.count("AlertsSilenced")
        else:
            self._publish(alert)
        self.dyads.clear_pending(dyad, alert_id)

    def _publish(self, alert: Alert) -> None:
        try:
            message_id = self.topic.publish(alert)
        except Exception:
            # SNS said no: nothing went out, so the next try need not wait for the lease.
            # (A lost acknowledgement looks the same from here; docs/signals.md.)
            self.alerts.release(alert.id)
            self.metrics.count("PublishFailures")
            raise
        self.alerts.mark_published(alert.id, message_id)
        self.metrics.count("AlertsPublished")


@dataclass(frozen=True)
class PowertoolsScoreMetrics:
    """ScoreMetrics on Powertools' EMF metrics (flushed by the handler's decorator)."""

    metrics: Metrics

    def count(self, name: str, value: int = 1) -> None:
        self.metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def score_pipeline(settings: ScoreSettings, metrics: ScoreMetrics) -> ScorePipeline:
    """The score function's service from its settings (real AWS clients, the real scorer)."""
    from tensionwatch.scoring.scorer import score_article
    from tensionwatch.store.alerts import AlertStore
    from tensionwatch.store.dyad_batch import PairBatch
    from tensionwatch.store.dyads import DyadStore
    from tensionwatch.store.silences import SilenceStore
    from tensionwatch.store.topic import AlertTopic

    config = SignalConfig(
        **{f.name: getattr(settings, f.name.upper()) for f in fields(SignalConfig)}
    )
    alerts = AlertStore(settings.ALERTS_TABLE)
    dyads = DyadStore(settings.DYADS_TABLE, config, alerts.client, alerts=alerts)
    return ScorePipeline(
        dyads=dyads,
        alerts=alerts,
        silences=SilenceStore(settings.SILENCES_TABLE, alerts.client),
        topic=AlertTopic(settings.ALERTS_TOPIC_ARN),
        scorer=score_article,
        metrics=metrics,
        config=config,
        batch=lambda: PairBatch(dyads, alerts),
    )
