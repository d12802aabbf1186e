"""A pending email subscription cannot be removed from SNS: it is muted instead."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from tensionwatch.store.subscriptions import NO_KIND, EmailSubscriptions


class PendingSns:
    """Answers like SNS for a subscription still pending confirmation."""

    def __init__(self) -> None:
        self.attributes: dict[str, str] = {}

    def unsubscribe(self, **_: Any) -> None:
        error = {"Error": {"Code": "InvalidParameter", "Message": "pending confirmation"}}
        raise ClientError(error, "Unsubscribe")  # type: ignore[arg-type]

    def set_subscription_attributes(self, **kwargs: Any) -> None:
        self.attributes[kwargs["AttributeName"]] = kwargs["AttributeValue"]


def test_pending_subscription_gets_a_policy_nothing_matches() -> None:
    sns = PendingSns()
    EmailSubscriptions("arn:topic", sns).unsubscribe("arn:topic:pending")  # type: ignore[arg-type]
    assert json.loads(sns.attributes["FilterPolicy"]) == {"kind": [NO_KIND]}
