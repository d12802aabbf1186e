"""Runs the stack's functions the way AWS would: a simulated clock fires the schedules, and
each SQS queue is drained into its function as real SQS events (batches, receipt handles,
message attributes, deletes of the successful records only, redrive to the DLQ by moto).

Handlers are called in-process. Each invocation sees the function's own resolved environment;
settings caches are cleared per invocation (cheap, and they must read that function's
variables), handler factories once per runner (Lambda also keeps them per warm container).

The functions named in `concurrent` (the poll workers by default) take their queue's batches
with as many workers at once as their event source's MaximumConcurrency allows: threads that
take turns (`tensionwatch.local.turns`), so their network waits overlap as Lambda's containers'
do. The others take one batch at a time, in order, as the books of their tests assume.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import ModuleType
from typing import Any

import boto3
from botocore.exceptions import ClientError

from tensionwatch.local.functions import FunctionSpec, SqsSource
from tensionwatch.local.lambda_events import FakeContext, sqs_event
from tensionwatch.local.stack import REGION, Stack
from tensionwatch.local.turns import Turns

SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"  # EventBridge Scheduler's context attribute
MAX_ROUNDS = 20  # receive rounds per drain: more than any maxReceiveCount in the template
SQS_RECEIVE_MAX = 10  # ReceiveMessage returns at most 10 messages
CONCURRENT = frozenset({"PollFunction"})  # one source per worker: the fan-out's shape


class SimClock:
    """The simulated 'now'; the runner moves it, the fake news server reads it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Invocation:
    function: str
    records: int
    failed: int
    result: Any
    event: dict[str, Any] = field(default_factory=dict)


class Runner:
    def __init__(
        self,
        stack: Stack,
        clock: SimClock,
        *,
        overrides: Mapping[str, Mapping[str, str]] | None = None,
        on_invoke: Callable[[Invocation], None] | None = None,
        concurrent: frozenset[str] = CONCURRENT,
    ) -> None:
        """`overrides`: extra environment per function logical id ("*" for all);
        `concurrent`: the functions whose batches run in concurrent workers."""
        self.stack = stack
        self._concurrent = concurrent
        self._turns = Turns()
        self._entered: str | None = None  # the function whose environment a drain holds
        self.clock = clock
        self._overrides = overrides or {}
        self._on_invoke = on_invoke or (lambda _: None)
        self._sqs: Any = boto3.client("sqs", region_name=REGION)
        self._modules: dict[str, ModuleType] = {}

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        """Call the function's handler with `event` in its own environment."""
        spec = self.stack.functions[function]
        module_name, handler_name = spec.handler.rsplit(".", 1)
        with self._environment(spec):
            _clear_settings()
            if module_name not in self._modules:
                self._modules[module_name] = importlib.import_module(module_name)
                _clear_factories(self._modules[module_name])
            handler = getattr(self._modules[module_name], handler_name)
            return handler(event, FakeContext(function_name=function))

    def fire_schedules(self) -> None:
        """Invoke every scheduled function once, as of the clock's now."""
        stamp = self.clock.now.strftime("%Y-%m-%dT%H:%M:%SZ")
        for name, spec in self.stack.functions.items():
            for schedule in spec.schedules:
                event = _substitute(schedule.input, stamp)
                result = self.invoke(name, event)
                self._on_invoke(Invocation(name, 0, 0, result, event))

    def drain(self, functions: frozenset[str] | None = None) -> int:
        """Deliver every visible message to its function (of `functions`, None: all) until
        the queues are quiet; returns the number of records handled. Failed records become
        visible again at once: the simulated time between ticks is longer than any
        visibility timeout."""
        handled = 0
        for _ in range(MAX_ROUNDS):
            round_handled, failed = 0, []
            for name, spec in self.stack.functions.items():
                if functions is not None and name not in functions:
                    continue
                for source in spec.sqs:
                    count, retry = self._drain_queue(name, source)
                    round_handled += count
                    failed.extend(retry)
            for url, receipt in failed:
                self._make_visible(url, receipt)
            handled += round_handled
            if not round_handled:
                break
        return handled

    def run(
        self,
        until: datetime,
        every: timedelta,
        on_tick: Callable[[datetime], None] | None = None,
    ) -> None:
        """Fire the schedules every `every` of simulated time up to `until`, draining after
        each."""
        while self.clock.now <= until:
            self.fire_schedules()
            self.drain()
            if on_tick:
                on_tick(self.clock.now)
            self.clock.now += every

    def _drain_queue(self, function: str, source: SqsSource) -> tuple[int, list[tuple[str, str]]]:
        if function in self._concurrent and source.max_concurrency > 1:
            return self._drain_concurrently(function, source)
        return self._drain_source(function, source.queue, source.batch_size,
                                  report=source.report_failures)  # fmt: skip

    def _drain_concurrently(
        self, function: str, source: SqsSource
    ) -> tuple[int, list[tuple[str, str]]]:
        """`source.max_concurrency` workers, each taking batches until the queue is empty."""
        spec = self.stack.functions[function]
        results: list[tuple[int, list[tuple[str, str]]]] = []

        def worker() -> None:
            with self._turns.turn():
                results.append(self._drain_source(function, source.queue, source.batch_size,
                                                  report=source.report_failures))  # fmt: skip

        with self._environment(spec), self._turns.network_waits_overlap():
            self._entered = function
            try:
                with ThreadPoolExecutor(source.max_concurrency) as pool:
                    for future in [pool.submit(worker) for _ in range(source.max_concurrency)]:
                        future.result()
            finally:
                self._entered = None
        return sum(n for n, _ in results), [f for _, failed in results for f in failed]

    def _drain_source(
        self, function: str, queue: str, batch_size: int, *, report: bool
    ) -> tuple[int, list[tuple[str, str]]]:
        url, handled, failed = self.stack.queues[queue], 0, []
        while messages := self._receive(url, batch_size):
            event = sqs_event(messages, self.stack.queue_arns[queue], REGION)
            try:
                result = self.invoke(function, event)
                bad = _failed_ids(result) if report else set()
            except Exception:  # Lambda's view: the whole batch failed and comes back
                result, bad = None, {m["MessageId"] for m in messages}
            good = [m for m in messages if m["MessageId"] not in bad]
            for start in range(0, len(good), SQS_RECEIVE_MAX):
                self._sqs.delete_message_batch(QueueUrl=url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                    for i, m in enumerate(good[start:start + SQS_RECEIVE_MAX])])  # fmt: skip
            failed += [(url, m["ReceiptHandle"]) for m in messages if m["MessageId"] in bad]
            handled += len(messages)
            self._on_invoke(Invocation(function, len(messages), len(bad), result, event))
        return handled, failed

    def _make_visible(self, url: str, receipt: str) -> None:
        try:
            self._sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=receipt,
                                                VisibilityTimeout=0)  # fmt: skip
        except ClientError as error:
            # The handler made it visible itself (a give-up, for the redrive) and it was
            # received again in this round, or moved to its DLQ: this receipt is stale.
            if error.response["Error"]["Code"] != "ReceiptHandleIsInvalid":
                raise

    def _receive(self, url: str, batch_size: int) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        while len(messages) < batch_size:
            got = self._sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=min(SQS_RECEIVE_MAX, batch_size - len(messages)),
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            if not got:
                break
            messages.extend(got)
        return messages

    @contextmanager
    def _environment(self, spec: FunctionSpec) -> Iterator[None]:
        if self._entered == spec.name:  # a concurrent drain set it for all its workers
            yield
            return
        wanted = {**spec.environment, **self._overrides.get("*", {}),
                  **self._overrides.get(spec.name, {})}  # fmt: skip
        saved = {key: os.environ.get(key) for key in wanted}
        os.environ.update(wanted)
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def _substitute(value: Any, stamp: str) -> Any:
    if isinstance(value, dict):
        return {key: _substitute(item, stamp) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, stamp) for item in value]
    return stamp if value == SCHEDULED_TIME else value


def _failed_ids(result: Any) -> set[str]:
    failures = (result or {}).get("batchItemFailures", []) if isinstance(result, dict) else []
    return {str(item["itemIdentifier"]) for item in failures}


def _clear_settings() -> None:
    from tensionwatch import config

    for value in vars(config).values():
        clear = getattr(value, "cache_clear", None)
        if callable(clear):
            clear()


def _clear_factories(module: ModuleType) -> None:
    """The handler module's @cache'd factories, and Powertools' cached parameters."""
    from aws_lambda_powertools.utilities import parameters

    for value in vars(module).values():
        if callable(value) and getattr(value, "__module__", None) == module.__name__:
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()
    parameters.clear_caches()  # type: ignore[no-untyped-call]
