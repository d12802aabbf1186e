"""What the runner needs to know about each function of the template: its handler, its
resolved environment, its SQS event sources and its schedules."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from tensionwatch.local.template import Resolver

SQS_BATCH_DEFAULT = 10  # SAM's default BatchSize for an SQS event
_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
# Every N minutes on the clock, every hour and day: the one cron form the template uses.
_CRON_MINUTES = re.compile(r"^cron\(0/(\d+) \* \* \* \? \*\)$")


@dataclass(frozen=True)
class SqsSource:
    queue: str  # logical id
    batch_size: int
    report_failures: bool
    max_concurrency: int = 1  # ScalingConfig.MaximumConcurrency: workers taking batches at once


@dataclass(frozen=True)
class Schedule:
    every: timedelta
    input: dict[str, Any]


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    handler: str  # dotted: module.function
    environment: dict[str, str]
    timeout: int
    sqs: tuple[SqsSource, ...] = ()
    schedules: tuple[Schedule, ...] = field(default=())


def function_spec(
    name: str,
    spec: dict[str, Any],
    globals_: dict[str, Any],
    resolver: Resolver,
    queue_of: Callable[[str], str],
) -> FunctionSpec:
    """The runner's view of one `AWS::Serverless::Function`; raises Unresolved or ValueError
    (a schedule expression the runner cannot simulate)."""
    props = spec.get("Properties") or {}
    variables = {
        **((globals_.get("Environment") or {}).get("Variables") or {}),
        **((props.get("Environment") or {}).get("Variables") or {}),
    }
    environment = {key: _text(value) for key, value in resolver.resolve(variables).items()}
    sqs: list[SqsSource] = []
    schedules: list[Schedule] = []
    for event in (props.get("Events") or {}).values():
        kind, event_props = event["Type"], resolver.resolve(event.get("Properties") or {})
        if kind == "SQS":
            sqs.append(_sqs(event_props, queue_of))
        elif kind in ("Schedule", "ScheduleV2"):
            schedules.append(_schedule(event_props))
    return FunctionSpec(
        name=name,
        handler=props.get("Handler") or globals_["Handler"],
        environment=environment,
        timeout=int(props.get("Timeout") or globals_.get("Timeout") or 3),
        sqs=tuple(sqs),
        schedules=tuple(schedules),
    )


def _sqs(props: dict[str, Any], queue_of: Callable[[str], str]) -> SqsSource:
    return SqsSource(
        queue=queue_of(props["Queue"]),
        batch_size=int(props.get("BatchSize", SQS_BATCH_DEFAULT)),
        report_failures="ReportBatchItemFailures" in props.get("FunctionResponseTypes", []),
        max_concurrency=int((props.get("ScalingConfig") or {}).get("MaximumConcurrency", 1)),
    )


def _schedule(props: dict[str, Any]) -> Schedule:
    expression = str(props.get("ScheduleExpression") or props.get("Schedule") or "").strip()
    raw = props.get("Input") or "{}"
    body = json.loads(raw) if isinstance(raw, str) else raw
    if found := _RATE.match(expression):
        return Schedule(every=timedelta(**{found[2].rstrip("s") + "s": int(found[1])}), input=body)
    if found := _CRON_MINUTES.match(expression):
        return Schedule(every=timedelta(minutes=int(found[1])), input=body)
    raise ValueError(f"schedule {expression!r}: the runner simulates rate() and "
                     "cron(0/N * * * ? *) expressions only")  # fmt: skip


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)
