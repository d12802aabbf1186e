"""A batch's view of its pairs: `PairStore` in memory over the DyadsTable, written once a pair.

The score service decides each article of an SQS batch in order, with the same code as one by
one (`ScorePipeline.decide`), on this view: a pair's state and the buckets its decisions read
are read once, when the batch first folds into it; each fold is added to them in memory as the
table would hold it (`dyad_items.stored_tally`), each decision reads them there, and `write`
then writes the pair once: one update of each hour the batch folded into (all its new folds,
refused whole if any of them is there already), the citations, the bucket of each other day
it folded into and of the day that was open until now, and the state with the alerts fired on
the way and the open day's sum (`dyad_items.OPEN_DAY`), conditional on the version read. A
pair's articles of a batch cost one state read, two queries and one state write, not that many
each.

These are the decisions the articles get one by one when nothing else writes the pair
meanwhile: each decision sees the buckets as read plus the batch's folds before it
(tests/integration/score/test_two_homes.py). When something does (a concurrent batch moved
the state, recorded one of the alerts, or folded one of the same articles), `reload` reads the
pair again and the service decides its articles again on what is there, as a retry does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import reduce
from typing import Any

from tensionwatch.models import Alert, Article, Score
from tensionwatch.signals.alerts import ArticleRef
from tensionwatch.signals.fold import PairFold, added, article_folds
from tensionwatch.signals.pairs import FoldPlan
from tensionwatch.signals.state import PairState, Snapshot, pair_now, snapshot
from tensionwatch.signals.storage import AlertLedger, AlertRecord, Commit
from tensionwatch.signals.windows import Tally
from tensionwatch.store import dyad_items as items
from tensionwatch.store.dyads import DyadStore

# Digests a bucket update asks about in its condition: 25 keep it far below DynamoDB's 4 KB
# expression limit; a pair's bigger share of a batch is written in several updates.
DIGESTS_PER_UPDATE = 25
HOURS, DAYS = "H#", "D#"
_LAST = "~"  # sorts after every hour and day key: a range open to the end


@dataclass
class _Fold:
    """One article's fold into one bucket, not written yet."""

    digest: bytes
    stored: Tally
    expires: int


@dataclass
class _Pair:
    """What the batch holds of one pair."""

    read: PairState  # as read: the state write is conditional on its version
    state: PairState  # after the batch's decisions so far
    open_day: tuple[date, Tally] | None  # what the state item sums (items.OPEN_DAY), as written
    first: dict[str, str] = field(default_factory=dict)  # HOURS/DAYS: first key read
    hours: dict[datetime, Tally] = field(default_factory=dict)  # in key order, as queried
    days: dict[date, Tally] = field(default_factory=dict)
    days_read: dict[date, int] = field(default_factory=dict)  # day: its bucket's articles, read
    days_touched: dict[date, int] = field(default_factory=dict)  # day folded into: expiry
    marks: dict[str, set[bytes]] = field(default_factory=dict)  # bucket key: digests in it
    legacy: dict[str, frozenset[str]] = field(default_factory=dict)  # bucket key: old ids
    unwritten: dict[str, list[_Fold]] = field(default_factory=dict)  # bucket key: new folds
    citations: dict[str, dict[str, ArticleRef]] = field(default_factory=dict)  # hour: unput
    refs: dict[str, ArticleRef] = field(default_factory=dict)  # key: the batch's citations
    folds: list[PairFold] = field(default_factory=list)  # in order, for a replay
    alerts: list[Alert] = field(default_factory=list)
    steps: list[tuple[PairState, PairState]] = field(default_factory=list)  # each commit


class BatchLedger:
    """The alert ledger as a batch's decisions see it: the alerts it recorded in memory, then
    the table's. Only `get` is asked while deciding; the rest is the table's."""

    def __init__(self, ledger: AlertLedger) -> None:
        self._ledger = ledger
        self.recorded: dict[str, Alert] = {}

    def get(self, alert_id: str) -> AlertRecord | None:
        alert = self.recorded.get(alert_id)
        return AlertRecord(alert, "recorded") if alert else self._ledger.get(alert_id)

    def claim(self, alert_id: str, now: float, lease_seconds: float) -> Alert | None:
        return self._ledger.claim(alert_id, now, lease_seconds)

    def release(self, alert_id: str) -> None:
        self._ledger.release(alert_id)

    def mark_published(self, alert_id: str, message_id: str) -> None:
        self._ledger.mark_published(alert_id, message_id)

    def mark_silenced(self, alert_id: str, silence_id: str) -> None:
        self._ledger.mark_silenced(alert_id, silence_id)


class PairBatch:
    """`PairStore` for one SQS batch of the score function (module doc). `ledger` is the
    alert ledger its decisions ask; `write` then writes each pair it folded into."""

    def __init__(self, store: DyadStore, ledger: AlertLedger) -> None:
        self._store = store
        self.ledger = BatchLedger(ledger)
        self._pairs: dict[str, _Pair] = {}

    @property
    def pairs(self) -> tuple[str, ...]:
        """The pairs folded into, in the order the batch first did."""
        return tuple(self._pairs)

    @property
    def recorded(self) -> dict[str, Alert]:
        """The alerts the batch's decisions recorded (in memory until `write`), by id."""
        return self.ledger.recorded

    def fold(self, article: Article, score: Score, plan: FoldPlan) -> bool:
        """As `DyadStore.fold`: an article that folds into no pair has nothing to make once."""
        folds = article_folds(article, score, plan, self._store.config)
        return self._fold_all(folds) if folds else True

    def state(self, dyad: str) -> PairState:
        return self._pair(dyad).state

    def snapshot(self, dyad: str, now: datetime) -> Snapshot:
        pair = self._pair(dyad)
        self._cover(dyad, pair, now)
        return snapshot(pair.hours, pair.days, now, self._store.config)

    def articles(self, dyad: str, start: datetime, end: datetime) -> list[ArticleRef]:
        """The table's citations in [start, end] with the batch's folded so far, in the
        table's order (by key)."""
        low, high = f"A#{start.isoformat()}", f"A#{end.isoformat()}~"
        found = {items.citation_sk(ref): ref for ref in self._store.articles(dyad, start, end)}
        pair = self._pairs.get(dyad)
        found |= {sk: ref for sk, ref in (pair.refs.items() if pair else ()) if low <= sk <= high}
        return [found[sk] for sk in sorted(found)]

    def commit(
        self, dyad: str, prev: PairState, new: PairState, alerts: Sequence[Alert] = ()
    ) -> Commit:
        """Taken in memory, as the table would take it: refused when one of `alerts` is
        recorded already (by this batch or before it)."""
        pair = self._pair(dyad)
        if prev.version != pair.state.version:
            return Commit.CONFLICT
        if any(self.ledger.get(alert.id) is not None for alert in alerts):
            return Commit.DUPLICATE
        pair.steps.append((pair.state, new))
        pair.alerts.extend(alerts)
        self.ledger.recorded |= {alert.id: alert for alert in alerts}
        pair.state = replace(new, pending=pair.state.pending | {a.id for a in alerts})
        return Commit.DONE

    def clear_pending(self, dyad: str, alert_id: str) -> None:
        self._store.clear_pending(dyad, alert_id)

    def write(self, dyad: str) -> tuple[Commit, frozenset[str]]:
        """Write what the batch did to `dyad`: its buckets' new folds, its citations, then its
        state with the alerts it fired. DONE and the alert ids pending publication; CONFLICT
        when the pair moved under the batch (`reload` it and decide again)."""
        pair = self._pairs[dyad]
        # every bucket written, each whether or not another was clean
        clean = [self._write_bucket(dyad, sk, folds) for sk, folds in pair.unwritten.items()]
        pair.unwritten.clear()
        for hour in list(pair.citations):
            refs = list(pair.citations.pop(hour).values())
            last = max(ref.published_at for ref in refs)
            expires = int(last.timestamp()) + self._store.keep_seconds()
            self._store.put(items.citations_item(dyad, refs, expires))
        if not all(clean):
            return Commit.CONFLICT, frozenset()
        open_day = self._open_day(pair)
        self._write_days(dyad, pair, open_day)
        if not pair.steps and open_day == pair.open_day:
            return Commit.DONE, pair.state.pending
        # a fold into the open day that moved no decision still changes the day's sum
        new = pair.state if pair.steps else replace(pair.state, version=pair.read.version + 1)
        result = self._store.write_state(dyad, pair.read, new, pair.alerts,
                                         self._index(dyad, pair), open_day=open_day)  # fmt: skip
        if result is not Commit.DONE:
            return Commit.CONFLICT, frozenset()
        pair.read = pair.state = new
        pair.steps, pair.alerts, pair.open_day = [], [], open_day
        return Commit.DONE, pair.state.pending

    def reload(self, dyad: str) -> list[PairFold]:
        """Forget what the batch holds of `dyad` and read it again; its folds, in order, to
        fold (`refold`, each found there now) and decide again."""
        pair = self._pairs.pop(dyad)
        for alert in pair.alerts:
            self.ledger.recorded.pop(alert.id, None)
        return pair.folds

    def refold(self, fold: PairFold) -> None:
        self._fold_all([fold])

    def _fold_all(self, folds: list[PairFold]) -> bool:
        new = False
        for fold in folds:
            new = self._fold(fold) or new
        return new

    def _fold(self, fold: PairFold) -> bool:
        """Add `fold` to its hour bucket unless it holds it already, and to its day, whose
        bucket `write` puts as the sum of its hours; an hour older than the batch read (an
        article later than the pair's window) is folded into the table at once, as one by
        one."""
        at, dyad = fold.ref.published_at, fold.dyad
        pair = self._pair(dyad)
        pair.folds.append(fold)
        self._cover(dyad, pair, pair_now(pair.state.latest, at))
        digest, expires = items.short_digest(fold.ref.id), self._store.expires(fold)
        stored = items.stored_tally(fold.tally)
        hour, day = items.hour_sk(at), at.date()
        pair.days_touched[day] = max(expires, pair.days_touched.get(day, 0))
        if hour < pair.first[HOURS]:
            update = items.hour_update(self._store.table, dyad, at, fold.tally, expires,
                                       article_id=fold.ref.id)  # fmt: skip
            new = self._store.update_new(update)
        else:
            marks = pair.marks.setdefault(hour, set())
            legacy = pair.legacy.get(hour, frozenset())
            new = digest not in marks and fold.ref.id[: items.LEGACY_ID_CHARS] not in legacy
            if new:
                marks.add(digest)
                pair.unwritten.setdefault(hour, []).append(_Fold(digest, stored, expires))
                self._add(pair, HOURS, hour, stored)
        if new and items.day_sk(day) >= pair.first[DAYS]:
            self._add(pair, DAYS, items.day_sk(day), stored)
        sk = items.citation_sk(fold.ref)
        pair.citations.setdefault(hour, {})[sk] = fold.ref
        pair.refs[sk] = items.stored_ref(fold.ref)
        return new

    @staticmethod
    def _add(pair: _Pair, kind: str, sk: str, stored: Tally) -> None:
        if kind == HOURS:
            hour = items.hour_of_sk(sk)
            before = pair.hours.get(hour)
            pair.hours[hour] = added(before, stored)
            if before is None:
                pair.hours = dict(sorted(pair.hours.items()))  # a new bucket: key order
        else:
            day = items.day_of_sk(sk)
            earlier = pair.days.get(day)
            pair.days[day] = added(earlier, stored)
            if earlier is None:
                pair.days = dict(sorted(pair.days.items()))

    def _pair(self, dyad: str) -> _Pair:
        pair = self._pairs.get(dyad)
        if pair is None:
            state, open_day = self._store.state_read(dyad)
            pair = self._pairs[dyad] = _Pair(state, state, open_day)
        return pair

    def _cover(self, dyad: str, pair: _Pair, now: datetime) -> None:
        """Read the buckets a decision at `now` reads, and every later one, where the batch
        has not yet: once a pair, unless its clock is carried back (`pair_now`'s ceiling)."""
        first_hour, first_day = self._store.first_buckets(now)
        # the days before their hours: a day put on the count read here then sums hours read
        # after it, so a run that wrote both in between makes the put refused, never stale
        for kind, first in ((DAYS, first_day), (HOURS, first_hour)):
            held = pair.first.get(kind)
            if held is not None and held <= first:
                continue
            high = kind + _LAST if held is None else held
            for item in self._store.buckets(dyad, first, high):
                sk = item["sk"]["S"]
                if sk in pair.marks:  # the first key held: read before
                    continue
                pair.marks[sk] = set(items.marks_of(item))
                pair.legacy[sk] = items.legacy_ids_of(item)
                tally = items.tally_of(item)
                if kind == HOURS:
                    pair.hours[items.hour_of_sk(sk)] = tally
                else:
                    pair.days[items.day_of_sk(sk)] = tally
                    pair.days_read[items.day_of_sk(sk)] = tally.articles
            pair.first[kind] = first
            pair.hours = dict(sorted(pair.hours.items()))
            pair.days = dict(sorted(pair.days.items()))
        # the open day is read with the state, before the days and hours, as a day's count is
        pair.days = items.with_open_day(pair.days, pair.open_day)

    def _open_day(self, pair: _Pair) -> tuple[date, Tally] | None:
        """The day of the pair's latest article and the sum of its hours as the batch holds
        them, for the state item to sum (`items.OPEN_DAY`); the one read when the batch did not
        read all that day's hours."""
        if pair.state.latest is None:
            return pair.open_day
        day = pair.state.latest.date()
        hours = self._day_hours(pair, day)
        return pair.open_day if hours is None else (day, reduce(added, hours, Tally()))

    @staticmethod
    def _day_hours(pair: _Pair, day: date) -> list[Tally] | None:
        """`day`'s hour buckets as the batch holds them; None when it did not read them all."""
        if items.day_hours(day)[0] < pair.first.get(HOURS, _LAST):
            return None
        return [tally for hour, tally in pair.hours.items() if hour.date() == day]

    def _write_days(self, dyad: str, pair: _Pair, open_day: tuple[date, Tally] | None) -> None:
        """Put the bucket of each day the batch folded into but the open day, which the state
        write sums, and of the day that was open until now, which no state will sum again."""
        if pair.open_day is not None and (open_day is None or open_day[0] != pair.open_day[0]):
            closed = pair.open_day[0]
            expires = self._store.day_expires(closed)
            pair.days_touched[closed] = max(expires, pair.days_touched.get(closed, 0))
        for day, expires in sorted(pair.days_touched.items()):
            if open_day is None or day != open_day[0]:
                self._write_day(dyad, pair, day, expires)
        pair.days_touched.clear()

    def _write_day(self, dyad: str, pair: _Pair, day: date, expires: int) -> None:
        """Put `day`'s bucket as the sum of its hours from the batch's view when it read the
        day and, after it, all its hours (today's always: the window reads back a day and an
        hour), on the condition that the day is as read; else, or when another run wrote the
        day since, sum it as the table holds it, as one by one (`settle_day`). The batch's
        decisions stand, as concurrent batches' always have."""
        hours = self._day_hours(pair, day) if items.day_sk(day) >= pair.first[DAYS] else None
        if hours is not None and self._store.put_day(
            dyad, day, hours, pair.days_read.get(day), expires
        ):
            return
        self._store.settle_day(dyad, day, expires)

    def _write_bucket(self, dyad: str, sk: str, folds: list[_Fold]) -> bool:
        """The bucket's new folds in as few updates as its condition allows; False when one
        found a fold there already (a concurrent run's): then each is folded alone, once."""
        clean = True
        for start in range(0, len(folds), DIGESTS_PER_UPDATE):
            chunk = folds[start : start + DIGESTS_PER_UPDATE]
            if self._update(dyad, sk, chunk):
                continue
            clean = False
            for fold in chunk:
                self._update(dyad, sk, [fold])
        return clean

    def _update(self, dyad: str, sk: str, folds: list[_Fold]) -> bool:
        stored = folds[0].stored
        for fold in folds[1:]:
            stored = added(stored, fold.stored)
        digests = [f.digest for f in folds]
        update = items.batch_bucket_update(self._store.table, dyad, sk, stored, digests,
                                           expires=folds[-1].expires)  # fmt: skip
        return self._store.update_new(update)

    def _index(self, dyad: str, pair: _Pair) -> list[dict[str, Any]]:
        """The digest's index actions of each decision's state change, the last per item."""
        actions: dict[tuple[str, str], dict[str, Any]] = {}
        for prev, new in pair.steps:
            for action in self._store.index_actions(dyad, prev, new):
                target = action.get("Put", {}).get("Item") or action["Delete"]["Key"]
                actions[(target["pk"]["S"], target["sk"]["S"])] = action
        return list(actions.values())
