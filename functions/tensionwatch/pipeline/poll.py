"""The poll service: fetch each (source, query), drop what was queued before, group syndicated
copies, queue the rest, and advance each query's cursor only once every article it covers is
sent.

A source's poll fetches each of its queries from its cursor (stopping at the first rate-limited
one; a query whose fetch fails is reported with its reason and the others go on), then hands off
the union of their articles once — nothing lost; queued twice only in the races named below:
0. drop the articles the source's last poll listed and knew queued (`SourceState.recent`, kept
   in the leased state item): the exact dedup of a source's re-reads, before anything else;
1. drop the others that the worker's memory of the band slots knows sent (`ArticleStore.queued`:
   every hand-off's slot names the digest of every article it sent; the worker reads the
   slots written since its last read, one query, and the rest is a lookup in memory; an
   article two queries list is a duplicate the second time), and tie each new article to its
   story, earliest first across the queries (tensionwatch.sources.stories);
2. send them to the ScoreQueue (ten a call, the queries' articles together);
3. record what was sent in one band slot (more only past its size limit: its stories' band
   keys and signatures, every sent article's digest), merged into the worker's memory before
   the put: after the send, so an article that was not sent is never recorded, and the next
   poll reads it again from its cursor, which stays; then advance the cursor of each query
   whose every article is known queued (an article two queries list holds both cursors; kept
   in the source's state, stored as its lease is released: a poll that dies first leaves the
   cursors where they were, and its articles are read again, dropped by the recent ids or the
   slots). A hand-off that fails (the slots' read, the send or the put) is reported, with its
   reason, for each query it held an article of, and their cursors stay; a query whose
   articles were all dropped at 0 still moves.
No item an article, no claim, no commit: the lease keeps two polls off one source, and across
sources the slots are the record. What remains possible: two workers listing one URL at the same
moment, a slot another worker wrote not yet visible to this one, or a slot put that fails after
its send, queue one article twice; the score stage folds it once (each bucket keeps the digests
of the articles it folded: tests/integration/score/test_racing_polls.py).

Per source, around its queries: the poll first takes the source's lease (its state item, a
conditional write that lapses; tensionwatch.store.source_states), so two polls never poll one
source at once wherever they run; a source another poll holds is skipped and reported. A
source whose daily budget or whose API's Retry-After says wait is skipped (reported, never a
failure); a rate-limited source stops for this poll; after its turn each source is judged
failing or silent (tensionwatch.sources.health), and its state, with the time its next request
may go, is stored as the lease is released.

Fan-out (tensionwatch.pipeline.poll_dispatch): the schedule's tick queues one task per source
on the PollQueue; each worker invocation runs this pipeline for its task's source. A task
started more than `late_after` seconds after it was queued is reported late.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from aws_lambda_powertools import Logger
from pydantic import BaseModel

from tensionwatch.http import HttpError
from tensionwatch.models import Article, UtcDateTime
from tensionwatch.pipeline.poll_report import PollMetrics, PollReport
from tensionwatch.sources import budget, health
from tensionwatch.sources.base import Cursor, Fetched, Source, SourceError
from tensionwatch.sources.stories import plan_queue
from tensionwatch.store.articles import ArticleStore
from tensionwatch.store.cursors import CursorStore
from tensionwatch.store.queue import ScoreQueue
from tensionwatch.store.source_states import Held, SourceState, SourceStateStore
from tensionwatch.store.story_bands import id_digest

logger = Logger(child=True)
LEASE_SECONDS = 15 * 60  # Lambda's maximum timeout: a lease held longer has no live owner
LATE_AFTER_SECONDS = 300.0  # the default schedule period: a task queued longer missed its turn
# A source's poll hands off its queries' articles together, unless its pacing makes the next
# request wait longer than this: then what it fetched so far goes first. Another poll finds a
# story's slot only once it is put, so a copy it lists meanwhile is kept as a story of its own;
# a paced API's spacing (GDELT's 5 s) must not hold the slot back, a short one (NewsAPI's 1 s)
# costs less matching than a slot put and a send more a poll.
HAND_OFF_BEFORE_WAIT = 2.0


class PollEvent(BaseModel):
    """EventBridge Scheduler input."""

    sources: list[str] | None = None
    scheduled_time: UtcDateTime | None = None
    # Set on a queued task (the pipeline clock's seconds): how long it waited is its lateness.
    dispatched_at: float | None = None


@dataclass(frozen=True)
class _Outcome:
    """One (source, query) poll: its fetch, or the reason its fetch or its hand-off failed."""

    query: str
    fetched: Fetched | None = None
    failure: str | None = None

    @property
    def newest(self) -> datetime | None:
        """Its newest article, once handed off."""
        return self.fetched.newest if self.fetched and not self.failure else None


class PollPipeline:
    def __init__(
        self,
        sources: Mapping[str, Source],
        *,
        articles: ArticleStore,
        cursors: CursorStore,
        states: SourceStateStore,
        queue: ScoreQueue,
        metrics: PollMetrics,
        clock: Callable[[], float] = time.time,
        late_after: float = LATE_AFTER_SECONDS,
    ) -> None:
        self._sources = sources
        self._late_after = late_after
        self._articles = articles
        self._cursors = cursors
        self._states = states
        self._queue = queue
        self._metrics = metrics
        self._clock = clock

    @property
    def source_names(self) -> list[str]:
        return list(self._sources)

    def run(
        self, event: PollEvent, run_id: str | None = None, lease_seconds: float = LEASE_SECONDS
    ) -> PollReport:
        """Poll the named sources (all for None) as of the event's scheduled time, holding
        each source's lease for at most `lease_seconds` (the invocation's remaining time);
        raises ValueError for an unknown source name. Source failures are reported, not
        raised; a source waiting for its budget or a Retry-After, or held by another poll, is
        reported as skipped."""
        names = event.sources if event.sources is not None else list(self._sources)
        unknown = sorted(set(names) - self._sources.keys())
        if unknown:
            raise ValueError(f"unknown sources: {', '.join(unknown)}")
        now = event.scheduled_time or datetime.fromtimestamp(self._clock(), UTC)
        run_id = run_id or uuid.uuid4().hex[:12]
        report = PollReport()
        for name in names:
            self._note_lateness(name, event, report)
            try:
                self._turn(self._sources[name], now, f"{run_id}/{name}", report, lease_seconds)
            except Exception as error:  # the state table's trouble must not stop the others
                kind = type(error).__name__
                logger.error("source state unavailable", extra={"source": name, "error_type": kind})
                self._fail(f"{name}/state", "unexpected", kind, report)
        self._metrics.totals(report)
        logger.info("poll finished", extra={"report": report.__dict__})
        return report

    def _note_lateness(self, name: str, event: PollEvent, report: PollReport) -> None:
        """Report a task that waited longer than `late_after` in the queue: the workers
        cannot keep up with the sources (raise the concurrency), and the source's interval
        was not kept."""
        if event.dispatched_at is None:
            return
        waited = self._clock() - event.dispatched_at
        if waited > self._late_after:
            report.late[name] = round(waited, 1)
            self._metrics.source_late(name, waited)
            logger.warning("source polled late", extra={"source": name, "waited_s": waited})

    def _turn(
        self, source: Source, now: datetime, run: str, report: PollReport, lease_seconds: float
    ) -> None:
        """Take the source's lease; poll it unless its budget or its API says wait; store
        its state as the lease is released; then judge its health."""
        state = self._states.acquire(source.name, run, self._clock(), lease_seconds)
        if isinstance(state, Held):
            until = datetime.fromtimestamp(state.until, UTC)
            report.skipped[source.name] = f"busy: polled by {state.holder} until {until:%H:%M:%SZ}"
            self._metrics.source_busy(source.name)
            logger.warning("source held by another poll", extra={"source": source.name,
                           "holder": state.holder, "until": until.isoformat()})  # fmt: skip
            return
        wait = budget.skip(state.ledger, source.policy.budget, now)
        if wait is None:
            state = self._poll_source(source, state, now, run, report)
        else:
            report.skipped[source.name] = str(wait)
            logger.info("source skipped", extra={"source": source.name, "why": str(wait)})
        if not self._states.release(source.name, run, state):
            # The lease outlived the invocation's time only if the clock jumped: say so.
            self._fail(f"{source.name}/lease", "lease_lost", "lease lapsed before release", report)
        verdict = health.verdict(state.health, now, source.policy.silence_after)
        self._metrics.source_health(source.name, verdict is not None)
        if verdict is not None:
            report.unhealthy[source.name] = verdict
            logger.warning("source unhealthy", extra={"source": source.name, "why": verdict})

    def _poll_source(
        self, source: Source, state: SourceState, now: datetime, run: str, report: PollReport
    ) -> SourceState:
        """Every query of `source` (stopping once it is rate limited), then one hand-off of
        their new articles; the state after."""
        started = time.perf_counter()
        source.pacer.begin(state.next_request_at)
        listed = _Listed(state.recent)
        cursors = dict(state.cursors)
        outcomes = self._poll_queries(source, now, run, report, listed=listed, cursors=cursors)
        self._metrics.latency(source.name, (time.perf_counter() - started) * 1000)
        failed = [f"{o.query}: {o.failure}" for o in outcomes if o.failure]
        newest = max((o.newest for o in outcomes if o.newest), default=None)
        pacer = source.pacer
        return replace(
            state,
            ledger=budget.record(state.ledger, now, pacer.requests, pacer.asked_wait),
            health=health.after_poll(state.health, now, failed[-1] if failed else None, newest),
            next_request_at=pacer.next_allowed(),
            cursors=cursors,
        ).with_recent(listed.queued)

    def _poll_queries(
        self,
        source: Source,
        now: datetime,
        run: str,
        report: PollReport,
        *,
        listed: _Listed,
        cursors: dict[str, Cursor],
    ) -> list[_Outcome]:
        """Fetch each query of `source` from its cursor, in order, until one is rate limited
        (the rest are reported skipped), and hand off the new articles of those fetched: once
        at the end, and before any wait longer than HAND_OFF_BEFORE_WAIT that the source's
        pacing puts before its next request. The outcomes."""
        queries = list(source.query_ids())
        outcomes: list[_Outcome] = []
        pending: list[_Outcome] = []  # fetched, not handed off yet
        limited = False  # a query was rate limited: the source's next ones wait
        for position, query_id in enumerate(queries, 1):
            if limited:
                report.skipped[f"{source.name}/{query_id}"] = "rate_limited earlier in this poll"
            else:
                pending.append(self._fetch(source, query_id, now, report, cursors))
                limited = pending[-1].failure == "rate_limited"
            last = position == len(queries)
            if pending and (last or source.pacer.wait_due() > HAND_OFF_BEFORE_WAIT):
                # each hand-off its own slot name: two in one clock tick must not share one
                hand_off = f"{run}/{pending[0].query}"
                outcomes += self._hand_off(
                    source.name, pending, hand_off, report, listed=listed, cursors=cursors
                )
                pending = []
        return outcomes

    def _fetch(
        self,
        source: Source,
        query_id: str,
        now: datetime,
        report: PollReport,
        cursors: dict[str, Cursor],
    ) -> _Outcome:
        """One query's fetch from its cursor, or its failure (reported)."""
        try:
            # A state stored before the cursors moved into it: the query's own cursor item.
            cursor = cursors.get(query_id) or self._cursors.get(source.name, query_id)
            return _Outcome(query_id, fetched=source.fetch(query_id, cursor, now))
        except Exception as error:  # one source's surprise must not stop the others
            reason = self._report_error(f"{source.name}/{query_id}", error, report)
            return _Outcome(query_id, failure=reason)

    def _report_error(self, where: str, error: Exception, report: PollReport) -> str:
        """Report `where` failed with `error`: an HttpError's or SourceError's reason, else
        "unexpected"; the reason."""
        if isinstance(error, (HttpError, SourceError)):
            self._fail(where, error.reason, str(error), report)
            return error.reason
        # Type and source only: a message or traceback can quote a URL, header or key.
        logger.error("source failed unexpectedly",
                     extra={"source": where, "error_type": type(error).__name__})  # fmt: skip
        self._fail(where, "unexpected", type(error).__name__, report)
        return "unexpected"

    def _fail(self, where: str, reason: str, message: str, report: PollReport) -> None:
        report.failures[where] = reason
        self._metrics.source_failure(where.split("/", maxsplit=1)[0], reason)
        logger.warning("source failed; its cursor stays",
                       extra={"source": where, "reason": reason, "error": message})  # fmt: skip

    def _hand_off(
        self,
        source: str,
        outcomes: list[_Outcome],
        run: str,
        report: PollReport,
        *,
        listed: _Listed,
        cursors: dict[str, Cursor],
    ) -> list[_Outcome]:
        """One hand-off of every fetched query's new articles; the outcomes after it. A
        query's cursor moves in `cursors` once each of its articles is known queued (one that
        two queries list holds both); a hand-off that fails fails the queries it held
        articles of, and their cursors stay."""
        fetches = [o.fetched for o in outcomes if o.fetched is not None]
        articles = [article for fetched in fetches for article in _tally(fetched, report)]
        unlisted = listed.drop_known(articles)
        report.duplicates += len(articles) - len(unlisted)
        try:
            held, error = self._queue_new(unlisted, run, report, listed), None
        except Exception as failed:  # the queue's or the slots' trouble: re-read next poll
            held, error = {article.id for article in unlisted}, failed
        return [
            self._settle(o, held, error, report, where=f"{source}/{o.query}", cursors=cursors)
            for o in outcomes
        ]

    def _settle(
        self,
        outcome: _Outcome,
        held: set[str],
        error: Exception | None,
        report: PollReport,
        *,
        where: str,
        cursors: dict[str, Cursor],
    ) -> _Outcome:
        """Move the query's cursor unless the hand-off holds one of its articles (not sent,
        or not known sent as it failed); a failed hand-off is that query's failure."""
        fetched = outcome.fetched
        if fetched is None:
            return outcome
        if not any(article.id in held for article in fetched.articles):
            cursors[outcome.query] = fetched.cursor
        elif error is not None:
            failure = self._report_error(where, error, report)
            return replace(outcome, failure=failure)
        return outcome

    def _queue_new(
        self, unlisted: list[Article], run: str, report: PollReport, listed: _Listed
    ) -> set[str]:
        """Queue the articles not queued before, each with its story, and record what was sent
        in a band slot; the ids not sent. What is known queued goes into `listed`."""
        if not unlisted:
            return set()
        now = self._clock()
        plan = plan_queue(unlisted, self._articles)
        report.duplicates += len(unlisted) - len(plan.assigned)  # queued before, or listed twice
        listed.add(plan.known)
        by_id = {article.id: article for article in unlisted}
        queued = [by_id[a.id].model_copy(update={"story_id": a.story_id}) for a in plan.assigned]
        unsent = {article.id for article in self._queue.send(queued)}
        sent = [a for a in plan.assigned if a.id not in unsent]
        listed.add(a.id for a in sent)
        report.queued += len(sent)
        report.unsent += len(unsent)
        report.syndicated += sum(1 for a in sent if not a.is_story)
        if sent:
            # after the send: an article not sent is never recorded, so the next poll retries it
            self._articles.record(sent, run, now)
        return unsent


def _tally(fetched: Fetched, report: PollReport) -> list[Article]:
    """`fetched`'s articles, its counts added to `report`."""
    report.fetched += len(fetched.articles)
    report.rejected += fetched.rejected
    report.undated += fetched.undated
    report.future += fetched.future
    report.removed += fetched.removed
    return fetched.articles


class _Listed:
    """One poll's memory of a source's listing: the digests its last poll knew queued
    (`known`), and those this poll knows queued, to remember for the next (`queued`)."""

    def __init__(self, known: frozenset[bytes]) -> None:
        self._known = set(known)
        self.queued: list[bytes] = []

    def drop_known(self, articles: list[Article]) -> list[Article]:
        """`articles` less those known queued, by the last poll or by an earlier hand-off of
        this one (each listed one is remembered again)."""
        unlisted = []
        for article in articles:
            digest = id_digest(article.id)
            if digest in self._known:
                self.queued.append(digest)
            else:
                unlisted.append(article)
        return unlisted

    def add(self, ids: Iterable[str]) -> None:
        digests = [id_digest(i) for i in ids]
        self.queued.extend(digests)
        self._known.update(digests)
