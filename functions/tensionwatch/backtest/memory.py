"""The signal's second home: `PairStore`, `AlertLedger`, silences and a publisher on dicts.

The backtest runs the score service itself (`tensionwatch.pipeline.score.ScorePipeline`) on
these, so it makes the decisions production makes; only where the numbers live differs. Memory
stays bounded by pairs x window, not by the archive: a pair keeps the buckets and citations its
decisions can still read (what `DyadStore.snapshot` and `articles` query), and an article's
fold is remembered as long as DynamoDB keeps the bucket that guards it, all by event time.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Protocol

from tensionwatch.models import Alert, Article, Score, Silence
from tensionwatch.signals.alerts import ArticleRef
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.fold import PairFold, added, article_folds
from tensionwatch.signals.pairs import FoldPlan
from tensionwatch.signals.running import RunningSnapshot
from tensionwatch.signals.state import PairState, Snapshot, changed
from tensionwatch.signals.storage import AlertRecord, Commit
from tensionwatch.signals.windows import Tally, hour_of

# How long a fold is remembered: as long as the hour bucket whose `folds` set guards it lives
# (store.dyads.DyadStore keeps buckets for the baseline plus 10 days).
BUCKET_DAYS_PAST_BASELINE = 10


class PairWatcher(Protocol):
    """Sees what the store sees, for a report: every fold and every snapshot decided on."""

    def folded(self, fold: PairFold) -> None: ...

    def deciding(self, dyad: str, snap: Snapshot, state: PairState) -> None:
        """A decision is about to be made on `snap`, from `state`."""
        ...


@dataclass(frozen=True)
class Held:
    """What the store holds of one pair: bounded by the window, not by the news."""

    hours: int
    days: int
    citations: int


@dataclass
class _Pair:
    running: RunningSnapshot  # its snapshot, kept as its buckets grow and its windows slide
    hours: dict[datetime, Tally] = field(default_factory=dict)
    days: dict[date, Tally] = field(default_factory=dict)
    refs: deque[ArticleRef] = field(default_factory=deque)
    state: PairState = field(default_factory=PairState)
    stories: int = 0  # folded into it, over the whole replay
    copies: int = 0
    pruned_at: datetime | None = None  # the hour up to which old buckets were dropped


class MemoryAlertLedger:
    """Alerts recorded once by id, with the publish claim's lease, as the AlertsTable keeps."""

    def __init__(self) -> None:
        self.records: dict[str, AlertRecord] = {}
        self._leases: dict[str, float] = {}
        self._published: list[tuple[datetime, str]] = []  # a heap: (fired_at, id), oldest first

    def record(self, alerts: Sequence[Alert]) -> bool:
        """Record all of `alerts`, or none when one id is recorded already."""
        if any(a.id in self.records for a in alerts):
            return False
        for alert in alerts:
            self.records[alert.id] = AlertRecord(alert, "recorded")
        return True

    def get(self, alert_id: str) -> AlertRecord | None:
        return self.records.get(alert_id)

    def claim(self, alert_id: str, now: float, lease_seconds: float) -> Alert | None:
        record = self.records.get(alert_id)
        lapsed = record is not None and self._leases.get(alert_id, now) < now
        if record is None or not (record.status == "recorded" or lapsed):
            return None
        self.records[alert_id] = replace(record, status="publishing")
        self._leases[alert_id] = now + lease_seconds
        return record.alert

    def release(self, alert_id: str) -> None:
        self._finish(alert_id, AlertRecord(self.records[alert_id].alert, "recorded"))

    def mark_published(self, alert_id: str, message_id: str) -> None:
        record = self.records[alert_id]
        self._finish(alert_id, AlertRecord(record.alert, "published", message_id=message_id))
        heapq.heappush(self._published, (record.alert.fired_at, alert_id))

    def mark_silenced(self, alert_id: str, silence_id: str) -> None:
        record = self.records[alert_id]
        self._finish(alert_id, AlertRecord(record.alert, "silenced", silenced_by=silence_id))

    def forget(self, before: datetime) -> None:
        """Drop the published alerts fired before `before`, so a long replay holds its recent
        alerts only. A decision reads the ledger for its own pending alerts and, to find a
        duplicate, for an alert of its pair, kind and direction fired in the same hour as its
        window's end, which only moves forward: give a `before` well behind every pair's now
        (the replay gives the poll's SEEN_TTL_DAYS, as long as it remembers an article)."""
        while self._published and self._published[0][0] < before:
            self.records.pop(heapq.heappop(self._published)[1], None)

    def _finish(self, alert_id: str, record: AlertRecord) -> None:
        self.records[alert_id] = record
        self._leases.pop(alert_id, None)


class MemoryPairStore:
    """Each pair's hourly and daily tallies, citations and state, in dicts; `watcher`, if
    given, sees every fold and every snapshot decided on."""

    def __init__(
        self, ledger: MemoryAlertLedger, config: SignalConfig, watcher: PairWatcher | None = None
    ) -> None:
        self._ledger = ledger
        self._config = config
        self._watcher = watcher
        self._pairs: dict[str, _Pair] = {}
        self._folded: set[str] = set()  # articles folded into a pair, as the buckets know
        self._folded_until: deque[tuple[datetime, str]] = deque()  # (expires, article id)
        self._bucket_days = timedelta(days=config.baseline_days + BUCKET_DAYS_PAST_BASELINE)
        # What DyadStore.snapshot and .articles query back from a pair's now.
        self._hours_back = timedelta(hours=max(config.window_hours, config.flash_window_hours) + 1)
        self._days_back = timedelta(days=config.baseline_days + config.window_hours // 24 + 2)

    def folded(self) -> dict[str, tuple[int, int]]:
        """Per pair folded into so far: (stories, syndicated copies)."""
        return {d: (p.stories, p.copies) for d, p in self._pairs.items() if p.stories + p.copies}

    def held(self, dyad: str) -> Held:
        pair = self._pairs.get(dyad)
        return Held(len(pair.hours), len(pair.days), len(pair.refs)) if pair else Held(0, 0, 0)

    def fold(self, article: Article, score: Score, plan: FoldPlan) -> bool:
        folds = article_folds(article, score, plan, self._config)
        if not self._once(article, folds):
            return False
        self._add(folds)
        return True

    def state(self, dyad: str) -> PairState:
        pair = self._pairs.get(dyad)
        return pair.state if pair else PairState()

    def snapshot(self, dyad: str, now: datetime) -> Snapshot:
        pair = self._pair(dyad)
        # before pruning: a window moving on takes off the buckets it leaves
        snap = pair.running.snapshot(pair.hours, pair.days, now)
        self._prune(pair, now)
        if self._watcher is not None:
            self._watcher.deciding(dyad, snap, pair.state)
        return snap

    def articles(self, dyad: str, start: datetime, end: datetime) -> list[ArticleRef]:
        pair = self._pairs.get(dyad)
        found = [r for r in pair.refs if start <= r.published_at <= end] if pair else []
        # DynamoDB answers in sort-key order: `A#<published ISO>#<id>`.
        return sorted(found, key=lambda r: (r.published_at.isoformat(), r.id))

    def commit(
        self, dyad: str, prev: PairState, new: PairState, alerts: Sequence[Alert] = ()
    ) -> Commit:
        pair = self._pair(dyad)
        if pair.state.version != prev.version:
            return Commit.CONFLICT
        if not self._ledger.record(alerts):
            return Commit.DUPLICATE
        # `pending` is only ever added to and taken from, as DynamoDB's ADD and DELETE do.
        pending = pair.state.pending | {a.id for a in alerts}
        pair.state = new if new.pending == pending else changed(new, pending=pending)
        return Commit.DONE

    def clear_pending(self, dyad: str, alert_id: str) -> None:
        pair = self._pairs[dyad]
        pair.state = changed(pair.state, pending=pair.state.pending - {alert_id})

    def expire(self, now: datetime) -> None:
        """Forget what DynamoDB's TTL has taken by `now`: a fold once its hour bucket is gone
        (an article seen again after that folds again). (Buckets and citations need no TTL
        here: see `_prune`.)"""
        while self._folded_until and self._folded_until[0][0] < now:
            self._folded.discard(self._folded_until.popleft()[1])

    def _pair(self, dyad: str) -> _Pair:
        pair = self._pairs.get(dyad)
        if pair is None:
            pair = self._pairs[dyad] = _Pair(RunningSnapshot(self._config))
        return pair

    def _once(self, article: Article, folds: list[PairFold]) -> bool:
        """As DynamoDB makes a fold happen once: by the article's id in its first pair's hour
        bucket. One that folds into no pair has nothing to make once."""
        if not folds:
            return True
        if article.id in self._folded:
            return False
        self._folded.add(article.id)
        self._folded_until.append((article.published_at + self._bucket_days, article.id))
        return True

    def _add(self, folds: list[PairFold]) -> None:
        for fold in folds:
            pair = self._pair(fold.dyad)
            at = fold.ref.published_at
            hour, day = hour_of(at), at.date()
            before = pair.hours.get(hour), pair.days.get(day)
            after = added(before[0], fold.tally), added(before[1], fold.tally)
            pair.hours[hour], pair.days[day] = after
            pair.running.folded(hour, day, before, after)
            pair.refs.append(fold.ref)
            if fold.ref.is_copy:
                pair.copies += 1
            else:
                pair.stories += 1
            if self._watcher is not None:
                self._watcher.folded(fold)

    def _prune(self, pair: _Pair, now: datetime) -> None:
        """Drop what no decision at `now` or later reads: a pair's now only moves forward."""
        hour = hour_of(now)
        if pair.pruned_at is not None and hour <= pair.pruned_at:
            return
        pair.pruned_at = hour
        first_hour, first_day = now - self._hours_back, (now - self._days_back).date()
        # Oldest first, as the buckets were made: one that came late (out of time order) goes
        # when those made before it have gone, a little later but as surely.
        hours, days, oldest_hour = pair.hours, pair.days, hour_of(first_hour)
        while hours and (old := next(iter(hours))) < oldest_hour:
            del hours[old]
        while days and (gone := next(iter(days))) < first_day:
            del days[gone]
            pair.running.days_changed(gone)
        while pair.refs and pair.refs[0].published_at < first_hour:
            pair.refs.popleft()


class MemorySilences:
    """Silences given up front (a backtest's `--silences` file)."""

    def __init__(self, silences: Sequence[Silence] = ()) -> None:
        self._silences = sorted(silences, key=lambda s: (s.starts_at, s.id))

    def active(self, at: datetime) -> list[Silence]:
        return [s for s in self._silences if s.starts_at <= at < s.ends_at]


class Publisher:
    """Publishes to a function: what the AlertsTopic would have sent, in order."""

    def __init__(self, on_publish: Callable[[Alert], None]) -> None:
        self._on_publish = on_publish
        self._sent = 0

    def publish(self, alert: Alert) -> str:
        self._on_publish(alert)
        self._sent += 1
        return f"backtest-{self._sent}"
