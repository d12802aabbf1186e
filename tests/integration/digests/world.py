"""The digest function's world: the product template's stack in moto, the real handler driven
by a simulated clock (every 15 minutes, as the scheduler ticks), local Slack and Standard
Webhooks receivers, and a mailbox queue holding what SNS would email one subscription."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import boto3
from pytest_httpserver import HTTPServer

from tensionwatch.local.runner import Runner, SimClock
from tensionwatch.local.stack import REGION, Stack, build_stack
from tensionwatch.models import Alert, Article, Score
from tensionwatch.signals.state import PairState
from tensionwatch.store.alerts import AlertStore
from tensionwatch.store.dyads import DyadStore
from tensionwatch.store.secrets import SecretStore
from tensionwatch.store.subscriptions import EmailSubscriptions, SubscriptionStore
from tensionwatch.subscriptions import Channel, Delivery, Subscription, SubscriptionFilter
from tests.integration.delivery.receivers import SlackReceiver, WebhookReceiver, serve

TICK = timedelta(minutes=15)
# A retried message stays invisible for its backoff until the runner's next round makes it
# visible (the simulated time between rounds is longer than any backoff).
QUIET = {"POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "CRITICAL",
         "ALLOW_HTTP_TARGETS": "true"}  # fmt: skip
_DIGEST_ID = re.compile(r"digest `(dg_[0-9a-f]+)`")


@dataclass
class DigestWorld:
    stack: Stack
    runner: Runner
    clock: SimClock
    httpserver: HTTPServer
    slack: SlackReceiver = field(default_factory=SlackReceiver)
    webhook: WebhookReceiver = field(default_factory=lambda: WebhookReceiver([]))
    mailboxes: dict[str, str] = field(default_factory=dict)  # subscription id -> queue URL

    @property
    def subscriptions(self) -> SubscriptionStore:
        return SubscriptionStore(self.stack.tables["SubscriptionsTable"],
                                 boto3.client("dynamodb", region_name=REGION))  # fmt: skip

    def subscribe(
        self,
        sub_id: str,
        channel: Channel,
        delivery: dict[str, Any],
        spec: dict[str, Any] | None = None,
    ) -> None:
        """Store a subscription created at the clock's now."""
        targets = {"slack": serve(self.httpserver, f"/slack/{sub_id}", self.slack),
                   "webhook": serve(self.httpserver, f"/hook/{sub_id}", self.webhook),
                   "email": f"{sub_id}@example.com"}  # fmt: skip
        subscription = Subscription(
            id=sub_id, channel=channel, target=targets[channel],
            filter=SubscriptionFilter.model_validate(spec or {}),
            delivery=Delivery.model_validate(delivery), created_at=self.clock.now,
        )  # fmt: skip
        if channel == "email":
            sns = boto3.client("sns", region_name=REGION)
            topic = self.stack.topics["AlertsTopic"]
            arn = EmailSubscriptions(topic, sns).subscribe(
                subscription.target, subscription.filter, subscription.delivery, sub_id
            )
            subscription = subscription.model_copy(update={"sns_subscription_arn": arn})
            policy = sns.get_subscription_attributes(SubscriptionArn=arn)
            self.mailboxes[sub_id] = mailbox(topic, sub_id, policy["Attributes"]["FilterPolicy"])
        self.subscriptions.put(subscription)
        if channel == "webhook":
            secrets = SecretStore("tensionwatch/webhooks/",
                                  boto3.client("secretsmanager", region_name=REGION))  # fmt: skip
            self.webhook.secrets = [*self.webhook.secrets, secrets.create(sub_id)]

    def tick(self, at: datetime) -> dict[str, Any]:
        """The scheduler's tick at `at`, then, when it queued digests, the queues drained as
        Lambda would (an idle tick leaves nothing to drain: skipping the receives keeps a
        simulated fortnight at about one request per tick)."""
        self.clock.now = at
        planned: dict[str, Any] = self.runner.invoke(
            "DigestFunction", {"scheduled_time": at.strftime("%Y-%m-%dT%H:%M:%SZ")}
        )
        if planned["queued"]:
            self.runner.drain()
        return planned

    def run(
        self, start: datetime, end: datetime, *, skip: tuple[datetime, datetime] | None = None
    ) -> None:
        """A tick every 15 minutes from `start` to `end`, none inside `skip` (an outage)."""
        at = start
        while at <= end:
            if skip is None or not skip[0] <= at < skip[1]:
                self.tick(at)
            at += TICK

    def slack_digests(self, sub_id: str) -> list[str]:
        """Digest ids of the Slack messages the subscription's receiver got, in order."""
        found = []
        for payload in self.slack.received:
            footer = payload["blocks"][-1]["elements"][0]["text"]
            found += _DIGEST_ID.findall(footer)
        del sub_id
        return found

    def webhook_digests(self) -> list[dict[str, Any]]:
        return [body["data"] for body in self.webhook.received if body["type"] == "digest"]

    def emails(self, sub_id: str) -> list[dict[str, Any]]:
        """The digests SNS handed the subscription's mailbox (its own filter policy)."""
        sqs = boto3.client("sqs", region_name=REGION)
        found = []
        while got := sqs.receive_message(QueueUrl=self.mailboxes[sub_id],
                                         MaxNumberOfMessages=10).get("Messages", []):  # fmt: skip
            for message in got:
                envelope = json.loads(message["Body"])
                found.append({"subject": envelope.get("Subject"),
                              "digest": json.loads(envelope["Message"])})  # fmt: skip
                sqs.delete_message(QueueUrl=self.mailboxes[sub_id],
                                   ReceiptHandle=message["ReceiptHandle"])  # fmt: skip
        return found

    @cached_property
    def dyads(self) -> DyadStore:
        return DyadStore(self.stack.tables["DyadsTable"],
                         client=boto3.client("dynamodb", region_name=REGION))  # fmt: skip

    def seed(self, dyad: str, article: Article, score: Score, state: PairState) -> None:
        """Fold `article` into the pair and write its state, as the score function does."""
        dyads = self.dyads
        dyads.fold(article, score)
        prev = dyads.state(dyad)
        dyads.commit(dyad, prev, PairState(**{**vars(state), "version": prev.version + 1}))

    def record(self, alert: Alert, *, silenced: bool = False) -> None:
        """Record (and mark published or silenced) an alert, as the score function does."""
        client = boto3.client("dynamodb", region_name=REGION)
        alerts = AlertStore(self.stack.tables["AlertsTable"], client)
        client.transact_write_items(TransactItems=alerts.record_actions([alert]))
        if silenced:
            alerts.mark_silenced(alert.id, "sil_test")
        else:
            alerts.mark_published(alert.id, "m-1")


def daily(at: str, zone: str, **more: object) -> dict[str, object]:
    """A digest-mode delivery every day at `at` in `zone` (`more` adds or overrides fields)."""
    return {"mode": "digest", "digest": {"at": at, "timezone": zone}, **more}


def weekly(weekday: str, at: str, zone: str) -> dict[str, object]:
    """A digest-mode delivery every `weekday` at `at` in `zone`."""
    schedule = {"cadence": "weekly", "weekday": weekday, "at": at, "timezone": zone}
    return {"mode": "digest", "digest": schedule}


def mailbox(topic: str, name: str, policy: str) -> str:
    """An SQS queue on the topic with an email subscription's policy: what SNS would email."""
    sqs = boto3.client("sqs", region_name=REGION)
    sns = boto3.client("sns", region_name=REGION)
    url = sqs.create_queue(QueueName=f"mailbox-{name}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn["Attributes"]["QueueArn"],
                  Attributes={"FilterPolicy": policy})  # fmt: skip
    return str(url)


def digest_world(httpserver: HTTPServer, start: datetime) -> Iterator[DigestWorld]:
    stack = build_stack()
    clock = SimClock(start)
    env = {**QUIET, "TARGET_PORTS": str(httpserver.port)}
    runner = Runner(stack, clock, overrides={"*": env})
    yield DigestWorld(stack, runner, clock, httpserver)
