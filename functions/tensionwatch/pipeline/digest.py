"""The digest service: every 15 minutes, find the digests due and queue one message per
(subscription, period); for each queued message, build the digest and send it once.

- **One schedule for every subscription.** The tick lists the subscriptions (one Query) and
  asks each schedule which instants fell due since its cursor (`digest_through`): none, for
  almost every subscription on almost every tick. A late tick finds the periods its
  predecessors missed (back to `catch_up`), so a late run skips nothing.
- **Once per (subscription, period).** The digest's id is a hash of both; the courier claims it
  in the notification log before building, so a replayed tick, a re-queued message or a second
  consumer sends nothing twice. Failures retry through SQS and end in the DigestDLQ.
- **Reads bounded by the pairs covered** (`tensionwatch.store.digests`): the named pairs, or for
  a country or all-pairs filter the pairs the day and unsteady indexes list, at most
  `MAX_READ_PAIRS` of them (the rest counted); articles only of the pairs it quotes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aws_lambda_powertools import Logger

from tensionwatch.config import DigestSettings
from tensionwatch.delivery.deadline import Deadline
from tensionwatch.digests.build import (
    Period,
    build_digest,
    digest_id,
    story_pairs,
    summarise,
    top_stories,
)
from tensionwatch.digests.jobs import DigestJob
from tensionwatch.digests.model import Digest
from tensionwatch.pipeline.courier import Courier, DeliveryReport, Postponer, settle
from tensionwatch.signals.config import SignalConfig
from tensionwatch.store.digests import DigestReads
from tensionwatch.store.queue import ModelQueue
from tensionwatch.store.subscriptions import SubscriptionStore
from tensionwatch.subscriptions import Subscription, covers, matches

logger = Logger(child=True)
# Pairs one digest reads at most (three requests each): enough for its MAX_PAIRS and the
# movers among the rest, and a bound on one message's work (~5 s against DynamoDB).
MAX_READ_PAIRS = 250


@dataclass
class PlanReport:
    subscriptions: int = 0
    queued: int = 0
    unsent: int = 0  # left for the next tick (SQS refused them); the cursor stays before them


@dataclass
class DigestPipeline:
    subscriptions: SubscriptionStore
    queue: ModelQueue
    reads: DigestReads
    courier: Courier
    retries: Postponer
    config: SignalConfig
    catch_up: timedelta = timedelta(days=8)  # a weekly digest and a day: less than the log's TTL
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def plan(self, now: datetime) -> PlanReport:
        """Queue every digest due in (cursor, `now`] for every digested subscription."""
        report = PlanReport()
        for subscription, cursor in self.subscriptions.digest_cursors():
            schedule = subscription.delivery.digest
            if schedule is None or subscription.status == "disabled":
                continue
            report.subscriptions += 1
            due = schedule.due_between(max(cursor, now - self.catch_up), now)
            jobs = [DigestJob(subscription_id=subscription.id,
                              period_start=schedule.period_ending(end)[0], period_end=end)
                    for end in due]  # fmt: skip
            if not jobs:
                continue
            unsent = {job.period_end for job in self.queue.send(jobs)}
            queued = [job.period_end for job in jobs if job.period_end not in unsent]
            report.queued += len(queued)
            report.unsent += len(unsent)
            # Only up to the first refused period: the next tick queues it (and, again, any
            # later ones; the log drops those twice-queued).
            through = [end for end in queued if not unsent or end < min(unsent)]
            if through:
                self.subscriptions.advance_digest(subscription.id, through[-1])
        logger.info("digests planned", extra=vars(report))
        return report

    def handle(
        self,
        body: str,
        *,
        receive_count: int,
        queue_arn: str,
        receipt_handle: str,
        deadline: Deadline | None = None,
    ) -> DeliveryReport:
        """Build and send one queued digest, sending only until `deadline` (else it is
        deferred); raises DeliveryIncomplete when the message must come back or go on to the
        DLQ, ValueError for a body that is not a DigestJob."""
        job = DigestJob.model_validate_json(body)
        report = DeliveryReport()
        subscription = self.subscriptions.get(job.subscription_id)
        if subscription is None or subscription.delivery.digest is None:
            logger.info("digest dropped: subscription gone or no longer digested",
                        extra={"subscription_id": job.subscription_id})  # fmt: skip
            return report
        period = Period(job.period_start, job.period_end)
        notice = digest_id(subscription.id, job.period_end)
        self.courier.deliver(notice, subscription, lambda: self.build(subscription, period),
                             receive_count, report, deadline=deadline)  # fmt: skip
        settle(report, self.retries, queue_arn, receipt_handle, f"digest {notice}")
        return report

    def build(self, subscription: Subscription, period: Period) -> Digest | None:
        """The subscription's digest for `period`; None when nothing moved and the subscriber
        asked for no digest then."""
        spec, config = subscription.filter, self.config
        named_only = bool(spec.dyads) and not spec.countries
        found = set(spec.dyads) if named_only else self.reads.active_pairs(period)
        candidates = sorted({*spec.dyads, *(d for d in found if covers(spec, d))},
                            key=lambda d: (d not in spec.dyads, d))  # fmt: skip
        states = self.reads.states(candidates[:MAX_READ_PAIRS])
        histories = [self.reads.history(d, read, period, config.baseline_days)
                     for d, read in states.items()]  # fmt: skip
        pairs = [summarise(history, period, config) for history in histories]
        alerts = [a for a in self.reads.alerts(spec.dyads if named_only else None, period)
                  if matches(spec, a)]  # fmt: skip
        refs = {d: self.reads.articles(d, period) for d in story_pairs(pairs, alerts, config)}
        digest = build_digest(subscription, period, pairs=pairs, alerts=alerts,
                              stories=top_stories(refs), config=config)  # fmt: skip
        unread = max(0, len(candidates) - MAX_READ_PAIRS)
        if unread:
            digest = digest.model_copy(update={"more_pairs": digest.more_pairs + unread})
        if digest.quiet and subscription.delivery.when_quiet == "skip":
            return None
        return digest


def digest_pipeline(settings: DigestSettings) -> DigestPipeline:
    """The digest function's service from its settings (real AWS clients)."""
    from tensionwatch.delivery.metrics import PowertoolsDeliveryMetrics
    from tensionwatch.delivery.retry import RetryPolicy
    from tensionwatch.delivery.wiring import notifier
    from tensionwatch.store.notifications import DeliveryRetries, NotificationLog
    from tensionwatch.store.queue import DigestQueue
    from tensionwatch.store.topic import DigestMail

    subscriptions = SubscriptionStore(settings.SUBSCRIPTIONS_TABLE)
    policy = RetryPolicy(
        max_receives=settings.MAX_RECEIVES,
        max_consecutive_failures=settings.MAX_CONSECUTIVE_FAILURES,
        base_seconds=settings.RETRY_BASE_SECONDS,
        max_seconds=settings.RETRY_MAX_SECONDS,
    )
    email = DigestMail(settings.ALERTS_TOPIC_ARN)
    send = notifier(settings.WEBHOOK_SECRETS_PREFIX, allow_local=settings.ALLOW_HTTP_TARGETS,
                    ports=settings.TARGET_PORTS, email=email)  # fmt: skip
    log = NotificationLog(settings.NOTIFICATIONS_TABLE, ttl_days=settings.NOTIFICATION_TTL_DAYS)
    return DigestPipeline(
        subscriptions=subscriptions,
        queue=DigestQueue(settings.DIGEST_QUEUE_URL),
        reads=DigestReads(settings.DYADS_TABLE, settings.ALERTS_TABLE),
        courier=Courier(subscriptions=subscriptions, log=log, notifier=send, policy=policy,
                        clock=lambda: datetime.now(UTC), metrics=PowertoolsDeliveryMetrics()),
        retries=DeliveryRetries(),
        config=SignalConfig(baseline_days=settings.BASELINE_DAYS, min_spread=settings.MIN_SPREAD,
                            exit_margin=settings.EXIT_MARGIN),
        catch_up=timedelta(days=settings.CATCH_UP_DAYS),
    )  # fmt: skip
