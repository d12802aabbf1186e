"""The AlertsTopic message shape of the contract, for tests that publish alerts themselves."""

from __future__ import annotations

import json
from typing import Any

from tensionwatch.models import Alert


def message_attributes(alert: Alert) -> dict[str, Any]:
    """The contract's attributes: dyad, countries (String.Array), direction, severity, kind,
    score (Number)."""

    def text(value: str) -> dict[str, str]:
        return {"DataType": "String", "StringValue": value}

    return {
        "dyad": text(alert.dyad),
        "countries": {"DataType": "String.Array", "StringValue": json.dumps(alert.countries)},
        "direction": text(alert.direction),
        "severity": text(alert.severity),
        "kind": text(alert.kind),
        "score": {"DataType": "Number", "StringValue": str(alert.score)},
    }


def publish(sns: Any, topic_arn: str, alert: Alert) -> None:
    """Publish `alert` the way the score function does (MessageStructure=json)."""
    body = alert.model_dump_json()
    sns.publish(
        TopicArn=topic_arn,
        MessageStructure="json",
        Message=json.dumps({"default": body, "email": alert.rationale}),
        MessageAttributes=message_attributes(alert),
    )
