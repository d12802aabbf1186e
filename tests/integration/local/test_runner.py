"""The runner fires schedules on simulated time and drains queues as Lambda would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest

from tensionwatch.local.runner import Invocation, Runner, SimClock
from tensionwatch.local.stack import build_stack
from tests.integration.local import handlers

MINI = Path(__file__).with_name("mini_template.yaml")
START = datetime(2026, 11, 2, tzinfo=UTC)


@pytest.fixture
def runner(aws: None) -> Iterator[Runner]:
    handlers.TICKS.clear()
    handlers.BATCHES.clear()
    yield Runner(build_stack(MINI), SimClock(START))


def test_schedule_fires_with_simulated_time_and_function_environment(runner: Runner) -> None:
    runner.run(until=START + timedelta(hours=2), every=timedelta(hours=1))
    assert [t["event"]["scheduled_time"] for t in handlers.TICKS] == [
        "2026-11-02T00:00:00Z",
        "2026-11-02T01:00:00Z",
        "2026-11-02T02:00:00Z",
    ]
    assert handlers.TICKS[0]["table"] == runner.stack.tables["ArticlesTable"]
    assert handlers.TICKS[0]["function"] == "TickFunction"


def test_records_arrive_as_sqs_events_with_attributes(runner: Runner) -> None:
    runner.run(until=START, every=timedelta(hours=1))
    record = handlers.BATCHES[0]["Records"][0]
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == runner.stack.queue_arns["WorkQueue"]
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["messageAttributes"]["kind"]["stringValue"] == "tick"
    assert record["receiptHandle"]


def test_failed_record_is_retried_then_redriven_to_the_dlq(runner: Runner) -> None:
    seen: list[Invocation] = []
    runner = Runner(runner.stack, runner.clock, on_invoke=seen.append)
    runner.run(until=START + timedelta(hours=2), every=timedelta(hours=1))
    sqs = boto3.client("sqs", region_name="us-east-1")
    dlq = sqs.receive_message(QueueUrl=runner.stack.queues["WorkDLQ"], MaxNumberOfMessages=10)
    parked = dlq.get("Messages", [])
    assert len(parked) == 1
    assert '"poison": true' in parked[0]["Body"]
    poison_counts = [
        r["attributes"]["ApproximateReceiveCount"]
        for batch in handlers.BATCHES
        for r in batch["Records"]
        if '"poison": true' in r["body"]
    ]
    assert poison_counts == ["1", "2", "3"]  # maxReceiveCount tries, then the DLQ
    assert sum(i.failed for i in seen) == 3


def test_successful_records_are_deleted(runner: Runner) -> None:
    runner.run(until=START + timedelta(hours=3), every=timedelta(hours=1))
    sqs = boto3.client("sqs", region_name="us-east-1")
    left = sqs.get_queue_attributes(
        QueueUrl=runner.stack.queues["WorkQueue"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    assert left == {
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
    }
    bodies = [r["body"] for b in handlers.BATCHES for r in b["Records"]]
    assert len([b for b in bodies if '"poison": false' in b]) == 3
