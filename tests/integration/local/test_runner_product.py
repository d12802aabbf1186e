"""The runner drives the product's own handlers on the product's own template."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3

from tensionwatch.local.runner import Invocation, Runner, SimClock
from tensionwatch.local.stack import build_stack
from tests.factories import make_article

QUIET = {"*": {"POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "CRITICAL"}}


def test_a_malformed_article_is_retried_then_parked_in_the_score_dlq(aws: None) -> None:
    stack = build_stack()
    calls: list[Invocation] = []
    runner = Runner(stack, SimClock(datetime(2026, 11, 2, tzinfo=UTC)), overrides=QUIET,
                    on_invoke=calls.append)  # fmt: skip
    sqs = boto3.client("sqs", region_name="us-east-1")
    good = make_article("Greece and Turkey agree to resume talks").model_dump_json()
    for body in (good, '{"not": "an article"}'):
        sqs.send_message(QueueUrl=stack.queues["ScoreQueue"], MessageBody=body)

    runner.drain()

    parked = sqs.receive_message(QueueUrl=stack.queues["ScoreDLQ"], MaxNumberOfMessages=10)
    assert [m["Body"] for m in parked["Messages"]] == ['{"not": "an article"}']
    assert sum(c.failed for c in calls if c.function == "ScoreFunction") == 5  # maxReceiveCount
    assert sum(c.records - c.failed for c in calls) == 1  # the good one, once
