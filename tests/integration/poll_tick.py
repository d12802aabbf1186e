"""The poll function as Lambda runs it: a tick queues a task per source on the PollQueue, and
each task is handed to the same handler as an SQS batch of one (the Tasks event's BatchSize)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import boto3

from tensionwatch.config import poll_settings
from tensionwatch.handlers import poll
from tensionwatch.local.lambda_events import FakeContext, sqs_event
from tensionwatch.local.stack import REGION


def tick_and_work(event: dict[str, Any]) -> dict[str, Any]:
    """Run the tick `event`, then every task it queued; the tasks' reports merged: counts
    summed, per-source maps joined. Raises AssertionError when a task failed its batch."""
    poll.handler(event, FakeContext("PollFunction"))  # type: ignore[arg-type]
    sqs: Any = boto3.client("sqs", region_name=REGION)
    url = poll_settings().POLL_QUEUE_URL  # the environment the caller set, as the handler reads
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    merged: dict[str, Any] = {"failures": {}, "skipped": {}, "unhealthy": {}, "late": {}}
    counts: Counter[str] = Counter()
    while got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1,
                                     AttributeNames=["All"]).get("Messages", []):  # fmt: skip
        answer = poll.handler(sqs_event(got, arn["QueueArn"], REGION),
                              FakeContext("PollFunction"))  # type: ignore[arg-type]  # fmt: skip
        assert answer["batchItemFailures"] == [], answer
        sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
        for report in answer["reports"]:
            for key, value in report.items():
                if isinstance(value, dict):
                    merged[key].update(value)
                else:
                    counts[key] += value
    return {**merged, **counts, "queued": counts["queued"], "duplicates": counts["duplicates"]}
