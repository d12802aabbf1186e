"""The score service: score an article, fold it into each of its pairs, decide, record, publish.

Order per record (each step safe to repeat, so SQS may redeliver at any point):
1. fold the article into every pair its reading names (at most MAX_PAIRS_PER_ARTICLE; none when
   off-topic) behind its processed-marker (one transaction of ADD updates; a redelivered
   article folds nothing); a syndicated copy folds into its story's pairs with the story's
   readings, never re-scored;
2. for each of those pairs, decide on a snapshot at the pair's event time and write the next
   state conditionally on its version, in the same transaction as the alerts it fires
   (recorded once per deterministic id, their ids kept in the state's `pending` set);
3. flush each pair's `pending`: claim each alert (a lease), then mark it silenced or publish
   it and mark it published. A crash before the mark republishes on retry: at-least-once to
   SNS, deduplicated by alert id downstream (docs/signals.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Protocol

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from tensionwatch.config import ScoreSettings
from tensionwatch.models import Alert, Article, Score
from tensionwatch.signals.alerts import build_alert
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.pairs import fold_plan
from tensionwatch.signals.silences import silenced_by
from tensionwatch.signals.state import Decision, decide, pair_now
from tensionwatch.signals.storage import (
    AlertLedger,
    AlertPublisher,
    Commit,
    PairStore,
    SilenceList,
    StoryNotFolded,
)
from tensionwatch.sources.text import FUTURE_SKEW

logger = Logger(child=True)
MAX_ATTEMPTS = 5  # conditional state writes lost to concurrent batches before the record fails
# A publish claim lapses after 2x the function's 30 s timeout: its holder is dead by then, and
# the record's next receive (visibility 180 s) finds the lease expired.
PUBLISH_LEASE_SECONDS = 60.0


class StateConflict(Exception):
    """The pair's state kept moving under this record; SQS will retry it."""


class ScoreMetrics(Protocol):
    def count(self, name: str, value: int = 1) -> None: ...


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

    def handle(self, article: Article) -> None:
        """Fold, decide and publish for one article, in each pair it is about. Raises
        StoryNotFolded (a copy ahead of its story), StateConflict, or the adapters' errors:
        each fails this record alone (and its retry re-decides every pair; folds are once)."""
        story_id = article.story_id or article.id
        if story_id != article.id:
            reading = self.dyads.reading(story_id)
            if reading is None:
                self.metrics.count("CopiesAheadOfStory")
                raise StoryNotFolded(f"article {article.id}: story {story_id} not folded yet")
            new, dyads = self.dyads.fold_copy(article, reading), reading.dyads
            self.metrics.count("SyndicatedCopies")
        else:
            new, dyads = self._fold_story(article)
        if not new:
            self.metrics.count("ArticlesRedelivered")
        for dyad in dyads:
            self._flush(dyad, self._evaluate(dyad, article.published_at))

    def _fold_story(self, article: Article) -> tuple[bool, tuple[str, ...]]:
        """Score a first copy and fold it into its pairs; (newly folded, the pairs)."""
        score = self.scorer(article)
        plan = fold_plan(score)
        new = self.dyads.fold(article, score, plan)
        self.metrics.count("ArticlesScored")
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
            alert = self.alerts.claim(alert_id, self.clock(), PUBLISH_LEASE_SECONDS)
            if alert is None:
                record = self.alerts.get(alert_id)
                if record is None or record.status in ("published", "silenced"):
                    self.dyads.clear_pending(dyad, alert_id)
                continue
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
    from tensionwatch.store.dyads import DyadStore
    from tensionwatch.store.silences import SilenceStore
    from tensionwatch.store.topic import AlertTopic

    config = SignalConfig(
        **{f.name: getattr(settings, f.name.upper()) for f in fields(SignalConfig)}
    )
    alerts = AlertStore(settings.ALERTS_TABLE)
    return ScorePipeline(
        dyads=DyadStore(settings.DYADS_TABLE, config, alerts.client, alerts=alerts),
        alerts=alerts,
        silences=SilenceStore(settings.SILENCES_TABLE, alerts.client),
        topic=AlertTopic(settings.ALERTS_TOPIC_ARN),
        scorer=score_article,
        metrics=metrics,
        config=config,
    )
