"""The demo: the offline stack, the fake news server and local receivers, subscribed through
the real API, run over the sample's two simulated weeks. Call `run_demo()` inside an active
`moto.mock_aws()`."""

from __future__ import annotations

import io
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import boto3

from tensionwatch.digests.model import Digest
from tensionwatch.local.lambda_events import http_api_event
from tensionwatch.local.news import DAYS, START, sample_copies
from tensionwatch.local.news_server import API_KEY, NewsServer
from tensionwatch.local.readings import StoryReading, story_readings
from tensionwatch.local.receivers import Received, SlackReceiver, WebhookReceiver, target_ports
from tensionwatch.local.runner import CONCURRENT, Invocation, Runner, SimClock
from tensionwatch.local.sources import demo_sources_text
from tensionwatch.local.stack import REGION, Stack, build_stack
from tensionwatch.models import Alert, Article
from tensionwatch.store.subscriptions import SubscriptionStore

POLL_EVERY = timedelta(hours=3)  # simulated; AWS polls every 5 min, the sample is this coarse
SOURCES_PARAMETER = "/tensionwatch/sources"  # under /tensionwatch/, as the template requires
KEY_PARAMETERS = ("/tensionwatch-local/newsapi/api-key", "/tensionwatch-local/guardian/api-key")
EMAIL = "desk@example.com"
# The demo's subscriptions: what each channel asks for, so the report shows filters at work.
SUBSCRIPTIONS: dict[str, dict[str, Any]] = {
    "slack": {"filter": {}, "description": "everything"},
    "webhook": {"filter": {"directions": ["escalation"]}, "description": "escalations only"},
    "email": {"filter": {"dyads": ["GR-TR"]}, "description": "Greece and Turkey only"},
}
# One subscriber's daily brief across the demo's pairs, on Slack and by webhook (item 6 of the
# digests issue): 09:00 in London, every pair, one line on a quiet day.
DIGEST_SCHEDULE = {"cadence": "daily", "at": "09:00", "timezone": "Europe/London"}
DIGEST: dict[str, Any] = {"filter": {}, "description": "the desk's daily brief",
                          "delivery": {"mode": "digest", "digest": DIGEST_SCHEDULE}}  # fmt: skip
DIGEST_PATH = "/digest"  # the brief's own path on each receiver, so the report tells them apart
LOCAL_ENV = {
    "POWERTOOLS_METRICS_DISABLED": "true",  # EMF lines would drown the report
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "CRITICAL",  # failures are in the report, with their reasons
    "ALLOW_HTTP_TARGETS": "true",  # the receivers are http://127.0.0.1
}


@dataclass
class DemoResult:
    started: datetime
    ended: datetime
    polls: int = 0
    queued: int = 0
    duplicates: int = 0
    syndicated: int = 0
    scored: int = 0
    score_failures: int = 0
    source_failures: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)  # polls a source sat out (budget)
    unhealthy: dict[str, str] = field(default_factory=dict)  # source -> first verdict
    requests: Counter[str] = field(default_factory=Counter)
    alerts: list[Alert] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)  # as the scorer first received them
    slack: list[Received] = field(default_factory=list)
    webhook: list[Received] = field(default_factory=list)
    emails: list[Alert] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)  # the webhook's, signature verified
    slack_digests: list[Received] = field(default_factory=list)
    readings: dict[str, StoryReading] = field(default_factory=dict)  # by story article id
    cited: dict[str, set[str]] = field(default_factory=dict)  # pair -> article ids it cites
    dead_letters: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


# Fake credentials and a region before anything creates a boto3 client: the demo talks only to
# moto, and no request can be signed for a real account.
OFFLINE_ENV = {
    "AWS_ACCESS_KEY_ID": "demo",
    "AWS_SECRET_ACCESS_KEY": "demo",
    "AWS_SESSION_TOKEN": "demo",
    "AWS_DEFAULT_REGION": REGION,
}


@contextmanager
def offline() -> Iterator[None]:
    """Fake credentials, no profile, and moto answering every AWS call."""
    import moto

    os.environ.update(OFFLINE_ENV)
    os.environ.pop("AWS_PROFILE", None)
    with moto.mock_aws():
        yield


def run_demo(
    on_tick: Callable[[float], None] | None = None, *, concurrent_polls: bool = True
) -> DemoResult:
    """Run the whole pipeline over the sample news; `on_tick` gets the fraction done.
    `concurrent_polls=False` lets one poll worker at a time take the tick's tasks: which copy
    of a syndicated story is claimed first then follows the queue, so a replay can match it."""
    begun = time.perf_counter()
    clock = SimClock(START)
    stack = build_stack(parameters={"SourcesParameterName": SOURCES_PARAMETER})
    result = DemoResult(started=START, ended=START + timedelta(days=DAYS))
    news, slack, webhook = NewsServer(sample_copies(), clock), SlackReceiver(), WebhookReceiver()
    try:
        _store_parameters(news.url)
        env = {**LOCAL_ENV, **target_ports(slack, webhook)}
        runner = Runner(stack, clock, overrides={"*": env},
                        on_invoke=lambda call: _tally(call, result),
                        concurrent=CONCURRENT if concurrent_polls else frozenset())  # fmt: skip
        mailbox, audit = _subscribe(runner, stack, slack, webhook)
        total = result.ended - START
        # Powertools' single metrics print EMF lines whatever the settings; they go nowhere.
        with redirect_stdout(io.StringIO()):
            runner.run(until=result.ended, every=POLL_EVERY,
                       on_tick=lambda now: on_tick and on_tick((now - START) / total))  # fmt: skip
        result.alerts = [Alert.model_validate_json(body) for body in _drain(audit)]
        result.emails = [_email_alert(body) for body in _drain(mailbox)]
        result.slack, result.slack_digests = _split(slack.received)
        result.webhook, hooked = _split(webhook.received)
        result.digests = [Digest.model_validate(r.payload["data"]) for r in hooked if r.verified]
        result.requests = news.hits
        result.dead_letters = {name: _depth(stack.queues[name]) for name in stack.queues
                               if name.endswith("DLQ")}  # fmt: skip
        result.readings, result.cited = story_readings(
            stack.tables["DyadsTable"], boto3.client("dynamodb", region_name=REGION),
            result.articles)  # fmt: skip
    finally:
        for server in (news, slack, webhook):
            server.close()
    result.seconds = time.perf_counter() - begun
    return result


def _store_parameters(base_url: str) -> None:
    ssm: Any = boto3.client("ssm", region_name=REGION)
    ssm.put_parameter(Name=SOURCES_PARAMETER, Type="String", Value=demo_sources_text(base_url))
    for name in KEY_PARAMETERS:
        ssm.put_parameter(Name=name, Type="SecureString", Value=API_KEY)


def _subscribe(
    runner: Runner, stack: Stack, slack: SlackReceiver, webhook: WebhookReceiver
) -> tuple[str, str]:
    """Subscribe the receivers and an email address through the API; returns the URLs of the
    mailbox queue (the email subscription's filter, raw delivery off) and an audit queue that
    sees every alert published."""
    targets = {"slack": slack.url, "webhook": webhook.url, "email": EMAIL}
    for channel, spec in SUBSCRIPTIONS.items():
        body = {"channel": channel, "target": targets[channel], **spec}
        answer = runner.invoke("ApiFunction", http_api_event("POST", "/subscriptions", body))
        if answer["statusCode"] != 201:
            raise RuntimeError(f"subscribing {channel} failed: {answer.get('body')}")
        if channel == "webhook":
            webhook.set_secret(json.loads(answer["body"])["secret"])
    for channel, receiver in (("slack", slack), ("webhook", webhook)):
        body = {"channel": channel, "target": receiver.url + DIGEST_PATH, **DIGEST}
        answer = runner.invoke("ApiFunction", http_api_event("POST", "/subscriptions", body))
        if channel == "webhook":
            webhook.set_secret(json.loads(answer["body"])["secret"])
        _digests_from(stack, json.loads(answer["body"])["id"], START)
    topic = stack.topics["AlertsTopic"]
    sns: Any = boto3.client("sns", region_name=REGION)
    email = next(s for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
                 if s["Protocol"] == "email")  # fmt: skip
    policy = sns.get_subscription_attributes(SubscriptionArn=email["SubscriptionArn"])
    mailbox = _queue_on_topic(topic, "demo-mailbox", policy["Attributes"].get("FilterPolicy"))
    return mailbox, _queue_on_topic(topic, "demo-audit", None)


def _digests_from(stack: Stack, subscription_id: str, start: datetime) -> None:
    """Digests from the simulation's first day: the API stamps a subscription with the wall
    clock, and the simulated fortnight may lie before it."""
    store = SubscriptionStore(stack.tables["SubscriptionsTable"],
                              boto3.client("dynamodb", region_name=REGION))  # fmt: skip
    subscription = store.get(subscription_id)
    if subscription is not None:
        store.set_delivery(subscription, subscription.delivery, start)


def _split(received: list[Received]) -> tuple[list[Received], list[Received]]:
    """What a receiver got as alerts, and as the digest subscriber's briefs."""
    briefs = [r for r in received if r.path.endswith(DIGEST_PATH)]
    return [r for r in received if not r.path.endswith(DIGEST_PATH)], briefs


def _queue_on_topic(topic: str, name: str, policy: str | None) -> str:
    sqs: Any = boto3.client("sqs", region_name=REGION)
    sns: Any = boto3.client("sns", region_name=REGION)
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    attributes = {"RawMessageDelivery": "true"} if policy is None else {"FilterPolicy": policy}
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn["Attributes"]["QueueArn"],
                  Attributes=attributes)  # fmt: skip
    return str(url)


def _drain(url: str) -> list[str]:
    sqs: Any = boto3.client("sqs", region_name=REGION)
    bodies: list[str] = []
    while got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        bodies += [message["Body"] for message in got]
        entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)]
        sqs.delete_message_batch(QueueUrl=url, Entries=entries)
    return bodies


def _email_alert(envelope: str) -> Alert:
    # SNS hands an SQS endpoint the `default` body; an email endpoint would get `email`, which
    # the report renders from this same alert with the same renderer.
    return Alert.model_validate_json(json.loads(envelope)["Message"])


def _depth(url: str) -> int:
    sqs: Any = boto3.client("sqs", region_name=REGION)
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def _tally_poll(report: dict[str, Any], result: DemoResult) -> None:
    result.queued += int(report.get("queued", 0))
    result.duplicates += int(report.get("duplicates", 0))
    for where in report.get("failures", {}):
        result.source_failures[where.split("/", 1)[0]] += 1
    for where in report.get("skipped", {}):
        result.skipped[where.split("/", 1)[0]] += 1
    for name, why in report.get("unhealthy", {}).items():
        result.unhealthy.setdefault(name, why)


def _tally(call: Invocation, result: DemoResult) -> None:
    if call.function == "PollFunction" and isinstance(call.result, dict):
        result.polls += "dispatched" in call.result  # a tick; its tasks' reports follow
        for report in call.result.get("reports", []):  # a worker's batch: one source each
            _tally_poll(report, result)
    elif call.function == "ScoreFunction":
        result.scored += call.records - call.failed
        result.score_failures += call.failed
        for record in call.event.get("Records", []):
            if record["attributes"].get("ApproximateReceiveCount") == "1":
                article = Article.model_validate_json(record["body"])
                result.articles.append(article)
                result.syndicated += article.story_id not in (None, article.id)
