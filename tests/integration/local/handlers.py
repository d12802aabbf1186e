"""Tiny recording handlers for the stack and runner tests (the real ones are tested elsewhere)."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3

TICKS: list[dict[str, Any]] = []
BATCHES: list[dict[str, Any]] = []


def tick(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Records the event and publishes one message per tick, as the scorer publishes alerts."""
    TICKS.append({"event": event, "table": os.environ["TABLE"], "function": context.function_name})
    boto3.client("sns").publish(
        TopicArn=os.environ["TOPIC_ARN"],
        Message=json.dumps({"at": event["scheduled_time"], "poison": len(TICKS) == 2}),
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "tick"}},
    )
    return {"ok": True}


def work(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Fails the records whose body says poison, reporting them as batch item failures."""
    BATCHES.append(event)
    failures = [
        {"itemIdentifier": record["messageId"]}
        for record in event["Records"]
        if json.loads(record["body"])["poison"]
    ]
    return {"batchItemFailures": failures}
