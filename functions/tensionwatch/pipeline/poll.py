"""The poll service: fetch each (source, query), drop what was seen, group syndicated copies,
queue the rest, and advance the cursor only once every article it covers is safely queued.

Order per (source, query) — nothing lost, nothing queued twice:
0. drop the articles the source's last poll listed and found committed (`SourceState.recent`,
   kept in the leased state item): a re-read of an overlapping window costs no read;
1. read the others' seen-records; a record whose run committed is a duplicate; one claimed by
   a run still in flight (younger than LEASE) holds this cursor back; an older uncommitted one
   is retaken;
2. claim the new articles (plain puts, 25 a call: two polls claiming one URL at the same
   moment both queue it, and the score stage folds it once);
3. send the claimed articles to the ScoreQueue; release (delete) the claims of any that could
   not be sent, so the next poll retries them;
4. commit the run (one item), index the stories sent (their band slot), then advance the
   cursor (kept in the source's state, stored as its lease is released: a poll that dies
   first leaves the cursors where they were, and its articles are read again).

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
from tensionwatch.sources.stories import plan_claims
from tensionwatch.store.articles import ArticleStore
from tensionwatch.store.cursors import CursorStore
from tensionwatch.store.queue import ScoreQueue
from tensionwatch.store.source_states import Held, SourceState, SourceStateStore, id_digest

logger = Logger(child=True)
LEASE_SECONDS = 15 * 60  # Lambda's maximum timeout: a claim older than that has no live owner
LATE_AFTER_SECONDS = 300.0  # the default schedule period: a task queued longer missed its turn


class PollEvent(BaseModel):
    """EventBridge Scheduler input."""

    sources: list[str] | None = None
    scheduled_time: UtcDateTime | None = None
    # Set on a queued task (the pipeline clock's seconds): how long it waited is its lateness.
    dispatched_at: float | None = None


@dataclass(frozen=True)
class _Outcome:
    """One (source, query) poll: its newest article, or the reason it failed."""

    query: str
    newest: datetime | None = None
    failure: str | None = None


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
        """Every query of `source`, stopping once it is rate limited; the state after."""
        started = time.perf_counter()
        source.pacer.begin(state.next_request_at)
        outcomes: list[_Outcome] = []
        listed = _Listed(state.recent)
        cursors = dict(state.cursors)
        for query_id in source.query_ids():
            if outcomes and outcomes[-1].failure == "rate_limited":
                report.skipped[f"{source.name}/{query_id}"] = "rate_limited earlier in this poll"
                continue
            outcomes.append(
                self._poll_query(source, query_id, now, run, report, listed=listed, cursors=cursors)
            )
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
        ).with_recent(listed.committed)

    def _poll_query(
        self,
        source: Source,
        query_id: str,
        now: datetime,
        run: str,
        report: PollReport,
        *,
        listed: _Listed,
        cursors: dict[str, Cursor],
    ) -> _Outcome:
        """Fetch and hand off one query from its cursor; the cursor moves in `cursors` (stored
        with the source's state) once every article it covers is queued."""
        where = f"{source.name}/{query_id}"
        try:
            # A state stored before the cursors moved into it: the query's own cursor item.
            cursor = cursors.get(query_id) or self._cursors.get(source.name, query_id)
            fetched = source.fetch(query_id, cursor, now)
            if self._hand_off(fetched, f"{run}/{query_id}", report, listed):
                cursors[query_id] = fetched.cursor
            return _Outcome(query_id, newest=fetched.newest)
        except (HttpError, SourceError) as error:
            self._fail(where, error.reason, str(error), report)
            return _Outcome(query_id, failure=error.reason)
        except Exception as error:  # one source's surprise must not stop the others
            # Type and source only: a message or traceback can quote a URL, header or key.
            logger.error("source failed unexpectedly",
                         extra={"source": where, "error_type": type(error).__name__})  # fmt: skip
            self._fail(where, "unexpected", type(error).__name__, report)
            return _Outcome(query_id, failure="unexpected")

    def _fail(self, where: str, reason: str, message: str, report: PollReport) -> None:
        report.failures[where] = reason
        self._metrics.source_failure(where.split("/", maxsplit=1)[0], reason)
        logger.warning("source failed; its cursor stays",
                       extra={"source": where, "reason": reason, "error": message})  # fmt: skip

    def _hand_off(self, fetched: Fetched, run: str, report: PollReport, listed: _Listed) -> bool:
        """Claim, queue and commit the fetch's new articles; True when the cursor may move.
        What is known committed goes into `listed`."""
        report.fetched += len(fetched.articles)
        report.rejected += fetched.rejected
        report.undated += fetched.undated
        report.future += fetched.future
        report.removed += fetched.removed
        now = self._clock()
        unlisted = listed.drop_known(fetched.articles)
        report.duplicates += len(fetched.articles) - len(unlisted)
        plan = plan_claims(unlisted, self._articles, now - LEASE_SECONDS)
        report.duplicates += plan.duplicates
        listed.add(plan.committed)
        report.pending += plan.pending
        result = self._articles.claim(plan.claims, run, now)
        by_id = {article.id: article for article in fetched.articles}
        queued: list[Article] = [
            by_id[c.id].model_copy(update={"story_id": c.story_id}) for c in result.claimed
        ]
        unsent = self._queue.send(queued)
        if unsent:
            self._articles.release(article.id for article in unsent)
        unsent_ids = {article.id for article in unsent}
        sent = [article.id for article in queued if article.id not in unsent_ids]
        if sent:
            self._articles.commit(run, now)
            listed.add(sent)
            # last: a slot lost to a failure here costs late matches, never an article
            stories = [c for c in result.claimed if c.is_story and c.id not in unsent_ids]
            self._articles.index(stories, run, now)
        report.queued += len(queued) - len(unsent)
        report.unsent += len(unsent)
        report.syndicated += sum(1 for a in queued if a.story_id != a.id) - sum(
            1 for a in unsent if a.story_id != a.id
        )
        return not (plan.pending or result.failed or unsent)


class _Listed:
    """One poll's memory of a source's listing: the digests its last poll found committed
    (`known`), and those this poll finds committed, to remember for the next (`committed`)."""

    def __init__(self, known: frozenset[bytes]) -> None:
        self._known = known
        self.committed: list[bytes] = []

    def drop_known(self, articles: list[Article]) -> list[Article]:
        """`articles` less those known committed (each listed one is remembered again)."""
        unlisted = []
        for article in articles:
            digest = id_digest(article.id)
            if digest in self._known:
                self.committed.append(digest)
            else:
                unlisted.append(article)
        return unlisted

    def add(self, ids: Iterable[str]) -> None:
        self.committed.extend(id_digest(i) for i in ids)
