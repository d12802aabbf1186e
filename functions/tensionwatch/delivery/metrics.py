"""Delivery outcomes as CloudWatch metrics (EMF through Powertools), one series per channel."""

from __future__ import annotations

from typing import Literal, Protocol

from aws_lambda_powertools import single_metric
from aws_lambda_powertools.metrics import MetricUnit

# Deferred: not attempted, the invocation was out of time (the next one takes it up).
Outcome = Literal["Sent", "Retrying", "Failed", "Disabled", "Skipped", "Deferred"]


class DeliveryMetrics(Protocol):
    def count(self, outcome: Outcome, channel: str) -> None: ...


class NoMetrics:
    def count(self, outcome: Outcome, channel: str) -> None:
        """Record nothing (tests and the offline stack)."""


class PowertoolsDeliveryMetrics:
    """`Notifications<Outcome>` with a `channel` dimension; a single metric per call so one
    channel's failures never take another's dimensions."""

    def count(self, outcome: Outcome, channel: str) -> None:
        with single_metric(name=f"Notifications{outcome}", unit=MetricUnit.Count,
                           value=1) as metric:  # fmt: skip
            metric.add_dimension(name="channel", value=channel)
