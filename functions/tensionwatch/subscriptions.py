"""Subscriptions and their filters. Pure.

One filter, two evaluators with the same meaning: `matches()` for the Slack and webhook
subscriptions the deliver function serves, and `sns_filter_policy()` for email subscriptions,
which SNS filters itself. A hypothesis test holds the two equal through moto's SNS.

Semantics (each clause ANDed; an empty clause matches everything):
- `dyads` / `countries`: the alert's pair is one of `dyads`, OR one of its countries is one of
  `countries` (when both are given, either is enough: "JP-KR, and anything about CN");
- `directions`: the alert's direction is one of them;
- `min_severity`: the alert's severity is at least this;
- `kinds`: the alert's kind is one of them (default: state changes and flashes); resolved
  notices are delivered when `include_resolved` is set.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator

from tensionwatch.models import (
    SEVERITY_RANK,
    Alert,
    AlertKind,
    Direction,
    Frozen,
    Severity,
    UtcDateTime,
)

Channel = Literal["email", "slack", "webhook"]
Status = Literal["active", "pending", "disabled"]
NoticeKind = Literal["state_change", "flash"]

# SNS limits on one filter policy (SNS developer guide, "Filter policy constraints").
SNS_MAX_KEYS = 5
SNS_MAX_COMBINATIONS = 150
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DYAD = re.compile(r"^([A-Z]{2})-([A-Z]{2})$")


def _country(value: str) -> str:
    if not _COUNTRY.match(value):
        raise ValueError("not an ISO 3166-1 alpha-2 code like 'JP'")  # never the input: see api
    return value


def _dyad(value: str) -> str:
    found = _DYAD.match(value)
    if not found or found[1] >= found[2]:
        raise ValueError("not a sorted pair of alpha-2 codes like 'JP-KR'")
    return value


def canonical(value: Any) -> Any:
    """Upper case; a pair given as 'kr-jp' becomes 'JP-KR'."""
    if not isinstance(value, str):
        return value
    parts = value.upper().split("-")
    return "-".join(sorted(parts)) if len(parts) == 2 else value.upper()


Country = Annotated[str, AfterValidator(_country)]
Dyad = Annotated[str, AfterValidator(_dyad)]


class SubscriptionFilter(Frozen):
    """Which alerts a subscription receives."""

    dyads: tuple[Dyad, ...] = Field(default=(), description="pairs like 'JP-KR'; empty = any")
    countries: tuple[Country, ...] = Field(default=(), description="alpha-2 codes; empty = any")
    directions: tuple[Direction, ...] = Field(default=(), description="empty = any")
    min_severity: Severity = "info"
    kinds: tuple[NoticeKind, ...] = Field(default=("state_change", "flash"), min_length=1)
    include_resolved: bool = False

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in ("dyads", "countries"):
                if isinstance(data.get(key), list | tuple):
                    data = {**data, key: tuple(canonical(item) for item in data[key])}
        return data

    @model_validator(mode="after")
    def _fits_sns(self) -> SubscriptionFilter:
        combinations = _combinations(sns_filter_policy(self))
        if combinations > SNS_MAX_COMBINATIONS:
            raise ValueError(
                f"filter has {combinations} value combinations; SNS allows "
                f"{SNS_MAX_COMBINATIONS}: list fewer dyads, countries or directions"
            )
        return self

    @property
    def accepted_kinds(self) -> tuple[AlertKind, ...]:
        resolved: tuple[AlertKind, ...] = ("resolved",) if self.include_resolved else ()
        return (*self.kinds, *resolved)

    @property
    def accepted_severities(self) -> tuple[Severity, ...]:
        floor = SEVERITY_RANK[self.min_severity]
        return tuple(name for name, rank in SEVERITY_RANK.items() if rank >= floor)


class Subscription(Frozen):
    """Who receives what, where. `target` is an email address or a URL: never logged."""

    id: str
    channel: Channel
    target: str = Field(repr=False)
    filter: SubscriptionFilter = Field(default_factory=SubscriptionFilter)
    created_at: UtcDateTime
    status: Status = "active"
    status_reason: str = ""
    description: str = ""
    sns_subscription_arn: str | None = Field(default=None, repr=False)
    # The IAM principal that created it (see tensionwatch.api.access); None for subscriptions
    # stored before owners were recorded, which only admins see.
    owner: str | None = None

    def disabled(self, reason: str) -> Subscription:
        """This subscription, disabled with `reason`."""
        return self.model_copy(update={"status": "disabled", "status_reason": reason})


def matches(spec: SubscriptionFilter, alert: Alert) -> bool:
    """Whether `alert` passes `spec`; the same answer SNS gives for `sns_filter_policy(spec)`."""
    if spec.dyads or spec.countries:
        about_pair = alert.dyad in spec.dyads
        about_country = any(country in spec.countries for country in alert.countries)
        if not (about_pair or about_country):
            return False
    if spec.directions and alert.direction not in spec.directions:
        return False
    if alert.severity not in spec.accepted_severities:
        return False
    return alert.kind in spec.accepted_kinds


def sns_filter_policy(spec: SubscriptionFilter) -> dict[str, Any]:
    """The SNS filter policy (scope MessageAttributes) equivalent to `matches(spec, ·)`.

    Relies on the AlertsTopic attributes `dyad`, `countries` (String.Array), `direction`,
    `severity` and `kind`. An empty clause is left out, because SNS treats a missing key as
    "anything"."""
    policy: dict[str, Any] = {}
    if spec.dyads and spec.countries:
        policy["$or"] = [{"dyad": list(spec.dyads)}, {"countries": list(spec.countries)}]
    elif spec.dyads:
        policy["dyad"] = list(spec.dyads)
    elif spec.countries:
        policy["countries"] = list(spec.countries)
    if spec.directions:
        policy["direction"] = list(spec.directions)
    if spec.min_severity != "info":
        policy["severity"] = list(spec.accepted_severities)
    policy["kind"] = list(spec.accepted_kinds)
    return policy


def _combinations(policy: dict[str, Any]) -> int:
    """The policy's value combinations, counted the strict way moto does: each key multiplies
    by its value count, and each key inside an `$or` branch by twice its count (its depth). AWS
    counts `$or` branches as a sum, which is never more, so a policy that passes here passes
    both the deployed topic and the offline stack."""
    total = 1
    for key, values in policy.items():
        total *= len(values)
        if key == "$or":
            for branch in values:
                for inner in branch.values():
                    total *= len(inner) * 2
    return total
