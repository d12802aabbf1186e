"""The load run: generated news through the offline stack (moto, the fake news server, local
Slack and webhook receivers, the real handlers), then an accounting that must balance exactly.

Call `run_load(size)` inside an active `moto.mock_aws()`; `Accounting.problems()` lists every
imbalance (empty when everything conserved). AWS calls are counted at the botocore client's
API-call entry and charged to the function being invoked ("runner" = the event source mapping's
own SQS receives and deletes, and setup).
"""

from __future__ import annotations

import io
import json
import logging
import os
import random
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, nullcontext, redirect_stdout
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import boto3
from botocore.client import BaseClient
from botocore.exceptions import ClientError
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from tensionwatch.local.lambda_events import http_api_event
from tensionwatch.local.news_server import API_KEY, NewsServer
from tensionwatch.local.receivers import SlackReceiver, WebhookReceiver, target_ports
from tensionwatch.local.runner import CONCURRENT, Invocation, Runner, SimClock
from tensionwatch.local.stack import REGION, build_stack
from tensionwatch.models import Alert
from tensionwatch.pipeline import score as score_module
from tensionwatch.pipeline.poll_report import PollReport, PowertoolsPollMetrics
from tensionwatch.sources.urls import article_id, canonical_url
from tensionwatch.store.ddb import cancelled_conditions, error_code
from tensionwatch.subscriptions import SubscriptionFilter, matches
from tests.reliability import capacity
from tests.reliability.cost import IDLE_RECEIVE
from tests.reliability.moto_speed import moto_speedups
from tests.reliability.newsgen import Load, generate, sources_text

START = datetime(2026, 11, 2, tzinfo=UTC)
POLL_MINUTES = 30  # simulated; AWS polls every 5 min, the generator paces items to this
SOURCES_PARAMETER = "/tensionwatch/sources"
KEY_PARAMETERS = ("/tensionwatch-local/newsapi/api-key", "/tensionwatch-local/guardian/api-key")
ENV = {
    "POWERTOOLS_LOG_LEVEL": "CRITICAL",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "ALLOW_HTTP_TARGETS": "true",
}
_SLACK_ALERT = re.compile(r"alert `([0-9a-f]+)`")
ADAPTERS = ("newsapi", "gdelt", "guardian", "rss")
# With faults, warnings and errors are captured into the books (each fault must be visible in
# the logs as well as the metrics); the handlers' loggers hang under the Powertools service.
FAULT_LOG_LEVEL = "WARNING"
# The load's subscriptions: Slack takes the default filter (state changes and flashes), the
# webhook escalations only, so the books check filters as well as counts.
FILTERS: dict[str, dict[str, Any]] = {"slack": {}, "webhook": {"directions": ["escalation"]}}


@dataclass(frozen=True)
class LogLine:
    level: str
    message: str
    reason: str  # the record's `reason`, else its exception as "Type: text", else ""


@dataclass
class Accounting:
    load: Load
    seconds: float = 0.0
    polls: list[PollReport] = field(default_factory=list)
    rejected: Counter[str] = field(default_factory=Counter)  # title -> times rejected
    queued: Counter[str] = field(default_factory=Counter)  # article id -> messages sent
    scored: Counter[str] = field(default_factory=Counter)  # article id -> successful records
    score_failures: int = 0
    score_dlq: Counter[str] = field(default_factory=Counter)
    published: Counter[str] = field(default_factory=Counter)  # alert id -> SNS publishes
    alerts: dict[str, Alert] = field(default_factory=dict)
    slack: Counter[str] = field(default_factory=Counter)
    webhook: Counter[str] = field(default_factory=Counter)
    delivery_dlq: Counter[str] = field(default_factory=Counter)
    calls: Counter[tuple[str, str]] = field(default_factory=Counter)  # (function, op) -> n
    errors: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # + error code
    units: Counter[tuple[str, str]] = field(default_factory=Counter)  # (function, RRU|WRU)
    # (function, operation, RRU|WRU): where a function's units go
    operation_units: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    # (function, item kind): write units by what is written (`item_kind`)
    item_units: Counter[tuple[str, str]] = field(default_factory=Counter)
    invocations: Counter[str] = field(default_factory=Counter)  # function -> invocations
    # CPU seconds of the handlers' thread inside each function's handler, and the part of it
    # spent inside its AWS calls (moto here, the network in Lambda): the rest is the
    # function's own compute. CPU, not wall, time: a shared machine's load does not bill.
    handler_seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    call_seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    memory_mb: dict[str, int] = field(default_factory=dict)  # function -> template MemorySize
    metrics: Counter[str] = field(default_factory=Counter)  # EMF metric name -> sum
    source_failures: Counter[str] = field(default_factory=Counter)
    left: dict[str, int] = field(default_factory=dict)  # queue -> messages still on it
    logs: list[LogLine] = field(default_factory=list)  # warnings and errors (fault runs only)
    ledger: Counter[str] = field(default_factory=Counter)  # AlertsTable record status -> alerts
    poll_faults: bool = False  # faults were injected into the poll: hand-offs may be abandoned

    def abandoned(self) -> int:
        """Fetched in a poll whose hand-off then failed (a source failure with its reason):
        neither queued nor a duplicate, read again by the next poll. Zero without faults."""
        accounted = sum(self.total(name) for name in ("queued", "duplicates", "unsent"))
        return self.total("fetched") - accounted

    def total(self, name: str) -> int:
        return sum(int(getattr(report, name)) for report in self.polls)

    def problems(self) -> list[str]:
        """Every way the books fail to balance; empty when nothing was lost or doubled."""
        found: list[str] = []
        ids = {article_id(canonical_url(url)) for url in self.load.valid}
        if self.abandoned() and not self.poll_faults:
            found.append(f"poll: {self.abandoned()} fetched but neither queued nor duplicate")
        if set(self.queued) != ids:
            found.append(
                f"queued ids differ: {len(ids - set(self.queued))} never queued, "
                f"{len(set(self.queued) - ids)} unexpected"
            )
        found += [f"queued {n}x: {i}" for i, n in self.queued.items() if n != 1]
        missing = set(self.load.malformed) - set(self.rejected)
        if missing:
            found.append(f"{len(missing)} malformed items never rejected")
        for ident in self.queued:
            if self.scored[ident] + self.score_dlq[ident] != 1:
                found.append(
                    f"article {ident}: scored {self.scored[ident]}x, "
                    f"in DLQ {self.score_dlq[ident]}x"
                )
        found += [f"alert {i} published {n}x" for i, n in self.published.items() if n != 1]
        # Every alert the score function recorded went out (or was silenced): none left
        # 'recorded' or 'publishing' in its ledger, which the topic's audit cannot see.
        found += [f"{n} alerts left {s} in the ledger" for s, n in self.ledger.items() if s not in
                  ("published", "silenced")]  # fmt: skip
        if self.ledger["published"] != len(self.published):
            found.append(
                f"ledger: {self.ledger['published']} published, topic {len(self.published)}"
            )
        for ident, alert in self.alerts.items():
            for channel, got in (("slack", self.slack), ("webhook", self.webhook)):
                wanted = int(matches(SubscriptionFilter.model_validate(FILTERS[channel]), alert))
                parked = wanted and not got[ident] and self.delivery_dlq[ident]
                if got[ident] != wanted and not parked:
                    found.append(f"alert {ident}: {channel} {got[ident]}x, wanted {wanted}")
        return found

    def delivered_wanted(self, channel: str) -> int:
        """Alerts the channel's subscription filter accepts."""
        spec = SubscriptionFilter.model_validate(FILTERS[channel])
        return sum(matches(spec, alert) for alert in self.alerts.values())


RECEIVE = "sqs.ReceiveMessage"


@dataclass
class Faults:
    """AWS faults injected at the botocore call entry while the handlers run: `before` calls
    fail with a throttling error without effect; `after` calls take effect, then raise as if the
    answer (the ack) was lost or the Lambda crashed right after; `again` calls take effect, their
    answer is lost and the SDK retries the same request, whose answer the caller gets (for a
    conditional write: a ConditionalCheckFailed caused by its own first try). Keys:
    (function, op), or (function, "op Table") for one table's calls alone
    ("dynamodb.PutItem Articles")."""

    before: frozenset[tuple[str, str]] = frozenset()
    after: frozenset[tuple[str, str]] = frozenset()
    again: frozenset[tuple[str, str]] = frozenset()
    rate: float = 0.05
    seed: int = 11
    injected: Counter[str] = field(default_factory=Counter)
    enabled: bool = True

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def decide(self, function: str, op: str, table: str = "") -> str | None:
        """'before', 'after', 'again' or None for this call (on `table`, its short name)."""
        if not self.enabled or self._rng.random() >= self.rate:
            return None
        kinds = (("before", self.before), ("after", self.after), ("again", self.again))
        on_table = (function, f"{op} {table}")
        when = next((kind for kind, keys in kinds if {(function, op), on_table} & keys), None)
        if when:
            self.injected[f"{when} {function} {op}"] += 1
        return when


def _throttled(op: str) -> ClientError:
    code = (
        "ThrottlingException"
        if op.startswith(("sns.", "sqs."))
        else "ProvisionedThroughputExceededException"
    )
    return ClientError({"Error": {"Code": code, "Message": "injected"}}, op.split(".")[1])


def run_load(
    size: int, seed: int = 7, faults: Faults | None = None, start: datetime = START
) -> Accounting:
    """Generate `size` items published from `start`, run them through the stack, and return
    the books. With `faults`, a few clean polls follow the faulty run (faults off), as the
    next schedule would."""
    load = generate(size, start, POLL_MINUTES, seed)
    books = Accounting(load)
    books.poll_faults = bool(faults and any(f == "PollFunction" for f, _ in faults.before))
    clock = SimClock(start)
    stack = build_stack(parameters={"SourcesParameterName": SOURCES_PARAMETER})
    books.memory_mb = memory_sizes(stack.template)
    news, slack, webhook = NewsServer(load.copies, clock), SlackReceiver(), WebhookReceiver()
    stdout = io.StringIO()
    try:
        _parameters(news.url)
        runner = CountingRunner(stack, clock, books, logs=FAULT_LOG_LEVEL if faults else None,
                                ports=target_ports(slack, webhook))  # fmt: skip
        _subscribe(runner, slack, webhook)
        audit = _audit_queue(stack.topics["AlertsTopic"])
        end = start + load.span + timedelta(minutes=POLL_MINUTES)
        services = {"tensionwatch", *(f.environment.get("POWERTOOLS_SERVICE_NAME", "")
                                      for f in stack.functions.values())}  # fmt: skip
        logs = _capturing_logs(books, services) if faults else nullcontext()
        with _recording(books, runner, faults), logs, redirect_stdout(stdout):
            began = time.perf_counter()
            runner.run(until=end, every=timedelta(minutes=POLL_MINUTES))
            books.seconds = time.perf_counter() - began
            if faults:
                faults.enabled = False
                runner.run(
                    until=end + timedelta(minutes=3 * POLL_MINUTES),
                    every=timedelta(minutes=POLL_MINUTES),
                )
        _close_books(books, stack.queues, audit, slack, webhook)
        books.ledger = _ledger(stack.tables["AlertsTable"])
    finally:
        for server in (news, slack, webhook):
            server.close()
    books.metrics = _emf_totals(stdout.getvalue())
    return books


def memory_sizes(template: dict[str, Any]) -> dict[str, int]:
    """Each function's MemorySize in the template (its own, else the Globals')."""
    default = int(template.get("Globals", {}).get("Function", {}).get("MemorySize", 128))
    return {
        name: int(resource["Properties"].get("MemorySize", default))
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


class CountingRunner(Runner):
    """The stack's runner, tallying each invocation into the books."""

    def __init__(
        self,
        stack: Any,
        clock: SimClock,
        books: Accounting,
        logs: str | None = None,
        ports: dict[str, str] | None = None,
    ) -> None:
        env = {**ENV, **(ports or {}), **({"POWERTOOLS_LOG_LEVEL": logs} if logs else {})}
        # Faults are decided per call in order, so a faulty run takes the poll's tasks one
        # at a time (its seeded faults then land where they did); a clean run, concurrently.
        super().__init__(stack, clock, overrides={"*": env}, on_invoke=self._tally,
                         concurrent=frozenset() if logs else CONCURRENT)  # fmt: skip
        self.books = books
        # Which function is running, per thread: concurrent poll workers are invoked from
        # threads of their own, and each call and invocation is the calling thread's.
        self._running = threading.local()
        queue = stack.template["Resources"]["ScoreQueue"]["Properties"]
        self._visibility = float(queue["VisibilityTimeout"])
        self._redelivered = 0.0

    @property
    def current(self) -> str:
        return str(getattr(self._running, "function", "runner"))

    @current.setter
    def current(self, function: str) -> None:
        self._running.function = function

    def lease_clock(self) -> float:
        """The score function's clock for its publish leases: simulated time, plus one
        visibility timeout per earlier receive of the batch's records. SQS shows a failed record
        again only after its visibility timeout; the runner hands it back at once."""
        return self.clock.now.timestamp() + self._redelivered

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        if function == "ScoreFunction":
            receives = [int(r["attributes"]["ApproximateReceiveCount"]) for r in event["Records"]]
            self._redelivered = self._visibility * (max(receives, default=1) - 1)
        self.current, previous = function, self.current
        began = time.thread_time()
        try:
            return super().invoke(function, event)
        finally:
            self.current = previous
            if previous == "runner":  # not a function invoked from inside another's call
                self.books.invocations[function] += 1
                self.books.handler_seconds[function] += time.thread_time() - began

    def _tally(self, call: Invocation) -> None:
        books = self.books
        if call.function == "PollFunction":
            for report in (call.result or {}).get("reports", []):
                for where in report["failures"]:
                    books.source_failures[where] += 1
        if call.function != "ScoreFunction":
            return
        failed = {f["itemIdentifier"] for f in (call.result or {}).get("batchItemFailures", [])}
        for record in call.event.get("Records", []):
            ident = json.loads(record["body"])["id"]
            if record["attributes"].get("ApproximateReceiveCount") == "1":
                books.queued[ident] += 1
            if record["messageId"] in failed:
                books.score_failures += 1
            else:
                books.scored[ident] += 1


@contextmanager
def _recording(books: Accounting, runner: CountingRunner, faults: Faults | None) -> Iterator[None]:
    """Hooks: each poll's report, each rejected feed entry, each AWS API call; and moto's
    transactions and queries at the cost of what they touch (moto_speed: same answers)."""
    totals = PowertoolsPollMetrics.totals
    real_score_pipeline = score_module.score_pipeline
    original_call = BaseClient._make_api_call  # type: ignore[attr-defined]  # the API-call entry

    def record_totals(self: PowertoolsPollMetrics, report: PollReport) -> None:
        books.polls.append(report)
        totals(self, report)

    def count_call(client: BaseClient, operation: str, params: Any) -> Any:
        op = f"{client.meta.service_model.service_name}.{operation}"
        books.calls[(runner.current, op)] += 1
        table = table_name(params.get("TableName", "")) if isinstance(params, dict) else ""
        when = faults.decide(runner.current, op, table) if faults else None
        if when == "before":
            raise _throttled(op)
        began = time.thread_time()
        before = stored_sizes(operation, params)
        try:
            answer = original_call(client, operation, params)
            if when == "again":  # the answer was lost: botocore sends the same request again
                books.calls[(runner.current, op)] += 1
                answer = original_call(client, operation, params)
        except ClientError as error:
            books.call_seconds[runner.current] += time.thread_time() - began
            failed = bool(cancelled_conditions(error))  # a transaction refused by a condition
            code = f"{error_code(error)}{':ConditionalCheckFailed' if failed else ''}"
            books.errors[(runner.current, op, code)] += 1
            _charge(books, runner.current, op, params, None, before)
            raise
        books.call_seconds[runner.current] += time.thread_time() - began
        if op == RECEIVE and not answer.get("Messages"):  # an idle poll, not an article's cost
            books.calls[(runner.current, op)] -= 1
            books.calls[(runner.current, IDLE_RECEIVE)] += 1
        after = stored_sizes(operation, params)
        _charge(books, runner.current, op, params, answer, list(map(max, before, after)))
        if when == "after":
            raise _throttled(op)
        return answer

    def score_pipeline(settings: Any, metrics: Any) -> Any:
        built = real_score_pipeline(settings, metrics)
        built.clock = runner.lease_clock
        return built

    with ExitStack() as stack:
        stack.enter_context(moto_speedups())
        stack.enter_context(mock.patch.object(PowertoolsPollMetrics, "totals", record_totals))
        stack.enter_context(mock.patch.object(BaseClient, "_make_api_call", count_call))
        stack.enter_context(mock.patch.object(score_module, "score_pipeline", score_pipeline))
        for name in ADAPTERS:
            module = f"tensionwatch.sources.{name}"
            real = __import__(module, fromlist=["add_entry"]).add_entry
            stack.enter_context(mock.patch(f"{module}.add_entry", _rejecting(real, books)))
        yield


class _LogCapture(logging.Handler):
    def __init__(self, books: Accounting) -> None:
        super().__init__(logging.WARNING)
        self.books = books

    def emit(self, record: logging.LogRecord) -> None:
        reason = getattr(record, "reason", None)
        if reason is None and record.exc_info and record.exc_info[1] is not None:
            reason = f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        self.books.logs.append(LogLine(record.levelname, record.getMessage(), str(reason or "")))


@contextmanager
def _capturing_logs(books: Accounting, services: set[str]) -> Iterator[None]:
    """Warnings and errors of every project logger into `books.logs`. The capture sits on the
    Powertools service loggers (the handlers' own; the modules' child loggers propagate to
    them); loggers that exist already are opened to warnings (an earlier import may have left
    them quieter), ones created during the run read the runner's POWERTOOLS_LOG_LEVEL."""
    services |= {os.environ.get("POWERTOOLS_SERVICE_NAME", "")} - {""}
    capture = _LogCapture(books)
    ours = [
        logging.getLogger(name)
        for name in list(logging.root.manager.loggerDict)
        if name.split(".")[0] in services or name.startswith("tensionwatch.")
    ]
    levels = [(logger, logger.level) for logger in ours]
    parents = [logging.getLogger(service) for service in services - {""}]
    for logger in ours:
        logger.setLevel(min(logger.getEffectiveLevel(), logging.WARNING))
    for parent in parents:
        parent.addHandler(capture)
    try:
        yield
    finally:
        for parent in parents:
            parent.removeHandler(capture)
        for logger, level in levels:
            logger.setLevel(level)


def _charge(
    books: Accounting, function: str, op: str, params: Any, answer: Any, stored: list[int]
) -> None:
    """DynamoDB's capacity units of the call, for the cost model (writes by the larger stored
    size of each item written, before or after the call)."""
    service, operation = op.split(".")
    if service == "dynamodb":
        rru, wru = capacity.units(operation, params, answer, stored)
        books.units[(function, "RRU")] += rru
        books.units[(function, "WRU")] += wru
        books.operation_units[(function, operation, "RRU")] += rru
        books.operation_units[(function, operation, "WRU")] += wru
        if stored and isinstance(params, dict):
            each = capacity.item_write_units(operation, params, stored)
            for (table, key), n in zip(capacity.written(operation, params), each, strict=True):
                books.item_units[(function, f"{operation} {item_kind(table, key)}")] += n


def item_kind(table: str, key: dict[str, Any]) -> str:
    """What an item is, for the books: its table and its keys' leading words
    (`Dyads pk=dyad sk=H`)."""
    leading = {name: str(next(iter(key[name].values()))).split("#", 1)[0]
               for name in ("pk", "sk") if name in key}  # fmt: skip
    # a word names a kind; a timestamp, digest or pair code names one item
    words = [f"{name}={word if word.isalpha() else '*'}" for name, word in leading.items()]
    return " ".join([table_name(table), *words])


def table_name(physical: str) -> str:
    """A table's short name for the books and the faults (`Articles`)."""
    return physical.rsplit("-", maxsplit=1)[-1].removesuffix("Table")


def stored_sizes(operation: str, params: Any) -> list[int]:
    """The stored size (0 when absent) of each item a DynamoDB write call writes, read from
    moto's tables directly (no API call); [] for any other call. A concurrent worker's write
    between the two readings can make one item read a little large or small."""
    written = capacity.written(operation, params) if isinstance(params, dict) else []
    if not written:
        return []
    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]
    sizes = []
    for table_name, key in written:
        table = backend.tables.get(table_name)
        try:
            item = table.get_item(*backend.get_keys_value(table, key)) if table else None
        except Exception:  # a key moto refuses: the call itself fails the same way
            item = None
        sizes.append(capacity.item_size(item.to_json()["Attributes"]) if item else 0)
    return sizes


def _rejecting(real: Any, books: Accounting) -> Any:
    def add_entry(fetched: Any, **entry: Any) -> None:
        before = fetched.rejected
        real(fetched, **entry)
        if fetched.rejected > before:
            books.rejected[str(entry.get("title"))] += 1

    return add_entry


def _parameters(base_url: str) -> None:
    ssm: Any = boto3.client("ssm", region_name=REGION)
    ssm.put_parameter(Name=SOURCES_PARAMETER, Type="String", Value=sources_text(base_url))
    for name in KEY_PARAMETERS:
        ssm.put_parameter(Name=name, Type="SecureString", Value=API_KEY)


def _subscribe(runner: Runner, slack: SlackReceiver, webhook: WebhookReceiver) -> None:
    for channel, target in (("slack", slack.url), ("webhook", webhook.url)):
        body = {"channel": channel, "target": target, "filter": FILTERS[channel]}
        answer = runner.invoke("ApiFunction", http_api_event("POST", "/subscriptions", body))
        assert answer["statusCode"] == 201, answer
        if channel == "webhook":
            webhook.set_secret(json.loads(answer["body"])["secret"])


def _audit_queue(topic: str) -> str:
    sqs: Any = boto3.client("sqs", region_name=REGION)
    url = str(sqs.create_queue(QueueName="load-audit")["QueueUrl"])
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    boto3.client("sns", region_name=REGION).subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn["Attributes"]["QueueArn"],
        Attributes={"RawMessageDelivery": "true"},
    )
    return url


def _close_books(
    books: Accounting,
    queues: dict[str, str],
    audit: str,
    slack: SlackReceiver,
    webhook: WebhookReceiver,
) -> None:
    sqs: Any = boto3.client("sqs", region_name=REGION)
    for name, url in queues.items():
        got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        books.left[name] = int(got["ApproximateNumberOfMessages"]) + int(
            got["ApproximateNumberOfMessagesNotVisible"]
        )
    for body in _drain(audit):
        alert = Alert.model_validate_json(body)
        books.published[alert.id] += 1
        books.alerts[alert.id] = alert
    books.score_dlq.update(json.loads(b)["id"] for b in _drain(queues["ScoreDLQ"]))
    books.delivery_dlq.update(json.loads(b)["id"] for b in _drain(queues["DeliveryDLQ"]))
    for got in slack.received:
        match = _SLACK_ALERT.search(json.dumps(got.payload, ensure_ascii=False))
        books.slack[match.group(1) if match else "?"] += 1
    for got in webhook.received:
        if got.verified:
            books.webhook[got.payload["data"]["id"]] += 1


def _ledger(table: str) -> Counter[str]:
    """The status of every alert record in the AlertsTable (`ALERT#<id>`, `ALERT`)."""
    dynamodb: Any = boto3.client("dynamodb", region_name=REGION)
    found: Counter[str] = Counter()
    for page in dynamodb.get_paginator("scan").paginate(TableName=table):
        found.update(i["status"]["S"] for i in page["Items"] if i["sk"]["S"] == "ALERT")
    return found


def _drain(url: str) -> list[str]:
    sqs: Any = boto3.client("sqs", region_name=REGION)
    bodies: list[str] = []
    while got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        bodies += [m["Body"] for m in got]
        sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)
            ],
        )
    return bodies


def _emf_totals(output: str) -> Counter[str]:
    """Sum of every metric in the Powertools EMF lines the handlers printed."""
    totals: Counter[str] = Counter()
    for line in output.splitlines():
        if '"_aws"' not in line:
            continue
        blob = json.loads(line)
        for directive in blob["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                value = blob.get(metric["Name"], 0)
                totals[metric["Name"]] += sum(value) if isinstance(value, list) else value
    return totals
