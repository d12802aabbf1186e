"""Subscriptions and their filters. Pure.

One filter, two evaluators with the same meaning: `matches()` for the Slack and webhook
subscriptions the deliver function serves, and `sns_filter_policy()` for email subscriptions,
which SNS filters itself. A hypothesis test holds the two equal through moto's SNS.

A subscription also says how alerts reach it (`Delivery`): each at once (`immediate`), in a
daily or weekly `digest`, or `both` with a severity split (critical at once, the rest in the
digest). The SNS policy of an email subscription says the same (`email_filter_policy`).

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

from tensionwatch.digests.schedule import DigestSchedule
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
DeliveryMode = Literal["immediate", "digest", "both"]
QuietChoice = Literal["one_line", "skip"]
# The AlertsTopic `kind` of a digest for one subscription: only that subscription's email
# policy lists it, so SNS hands the digest to that address alone (docs/digests.md).
DIGEST_KIND_PREFIX = "digest:"

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
        if problem := policy_problem(sns_filter_policy(self)):
            raise ValueError(problem)
        return self

    @property
    def accepted_kinds(self) -> tuple[AlertKind, ...]:
        resolved: tuple[AlertKind, ...] = ("resolved",) if self.include_resolved else ()
        return (*self.kinds, *resolved)

    @property
    def accepted_severities(self) -> tuple[Severity, ...]:
        floor = SEVERITY_RANK[self.min_severity]
        return tuple(name for name, rank in SEVERITY_RANK.items() if rank >= floor)


class Delivery(Frozen):
    """How matching alerts reach a subscription: each at once, in a digest, or both."""

    mode: DeliveryMode = "immediate"
    at_once_from: Severity = Field(
        default="critical",
        description="mode 'both': alerts at or above this severity go at once, the rest wait",
    )
    digest: DigestSchedule | None = Field(default=None, description="for 'digest' and 'both'")
    when_quiet: QuietChoice = Field(
        default="one_line",
        description="a period where nothing moved: a one-line digest, or none",
    )

    @model_validator(mode="after")
    def _schedule_when_digested(self) -> Delivery:
        if self.mode != "immediate" and self.digest is None:
            raise ValueError(f"digest: mode '{self.mode}' needs a digest schedule")
        if self.mode == "immediate" and self.digest is not None:
            raise ValueError("digest: mode 'immediate' takes no digest schedule")
        return self

    def at_once(self, severity: Severity) -> bool:
        """Whether an alert of `severity` is sent as it fires (else only in the digest)."""
        if self.mode == "both":
            return SEVERITY_RANK[severity] >= SEVERITY_RANK[self.at_once_from]
        return self.mode == "immediate"


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
    delivery: Delivery = Field(default_factory=Delivery)

    def disabled(self, reason: str) -> Subscription:
        """This subscription, disabled with `reason`."""
        return self.model_copy(update={"status": "disabled", "status_reason": reason})


def covers(spec: SubscriptionFilter, dyad: str) -> bool:
    """Whether the pair `dyad` is one `spec` is about (its pairs-or-countries clause)."""
    if not (spec.dyads or spec.countries):
        return True
    return dyad in spec.dyads or any(c in spec.countries for c in dyad.split("-"))


def matches(spec: SubscriptionFilter, alert: Alert) -> bool:
    """Whether `alert` passes `spec`; the same answer SNS gives for `sns_filter_policy(spec)`."""
    if not covers(spec, alert.dyad):
        return False
    if spec.directions and alert.direction not in spec.directions:
        return False
    if alert.severity not in spec.accepted_severities:
        return False
    return alert.kind in spec.accepted_kinds


def sends_at_once(subscription: Subscription, alert: Alert) -> bool:
    """Whether `alert` goes to `subscription` as it fires: it matches the filter and the
    delivery mode sends its severity at once."""
    return matches(subscription.filter, alert) and subscription.delivery.at_once(alert.severity)


def digest_kind(subscription_id: str) -> str:
    """The `kind` attribute of a digest for one subscription."""
    return DIGEST_KIND_PREFIX + subscription_id


def email_filter_policy(
    subscription_id: str, spec: SubscriptionFilter, delivery: Delivery
) -> dict[str, Any]:
    """The SNS policy of an email subscription: the alerts it takes at once, and its own
    digests. A digest carries attributes that pass its subscription's own clauses (its pairs
    and countries, every direction and severity, `kind` = `digest_kind(id)`), so the digest
    costs one more `kind` value and no `$or` (docs/digests.md)."""
    if delivery.mode == "digest":
        return {"kind": [digest_kind(subscription_id)]}
    floor = spec.min_severity
    if delivery.mode == "both" and SEVERITY_RANK[delivery.at_once_from] > SEVERITY_RANK[floor]:
        floor = delivery.at_once_from
    policy = sns_filter_policy(spec.model_copy(update={"min_severity": floor}))
    if delivery.mode == "both":
        policy["kind"] = [*policy["kind"], digest_kind(subscription_id)]
    return policy


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


def policy_problem(policy: dict[str, Any]) -> str | None:
    """Why SNS would refuse `policy` (counted the strict way, see `_combinations`), or None."""
    combinations = _combinations(policy)
    if combinations > SNS_MAX_COMBINATIONS:
        return (f"filter has {combinations} value combinations; SNS allows "
                f"{SNS_MAX_COMBINATIONS}: list fewer dyads, countries or directions")  # fmt: skip
    return None


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
