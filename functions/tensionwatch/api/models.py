"""Request and response bodies of the HTTP API (they make its OpenAPI document)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Self
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tensionwatch.models import Alert, Direction, UtcDateTime
from tensionwatch.subscriptions import (
    Channel,
    Country,
    Delivery,
    Dyad,
    Status,
    Subscription,
    SubscriptionFilter,
    canonical,
    email_filter_policy,
    policy_problem,
)

# Deliberately loose (RFC 5322 is not worth a regex): SNS sends the confirmation that proves it.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
MAX_TARGET = 2048  # longest URL browsers and API Gateway handle comfortably


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubscriptionIn(Body):
    channel: Channel
    target: str = Field(
        min_length=3,
        max_length=MAX_TARGET,
        description="email address, Slack incoming-webhook URL or webhook URL",
    )
    filter: SubscriptionFilter = Field(default_factory=SubscriptionFilter)
    description: str = Field(default="", max_length=200)
    delivery: Delivery = Field(
        default_factory=Delivery,
        description="each alert at once (default), a daily or weekly digest, or both",
    )

    @model_validator(mode="after")
    def _target_fits_channel(self) -> Self:
        if self.channel == "email" and not _EMAIL.match(self.target):
            raise ValueError("target: an email subscription needs an email address")
        if self.channel != "email" and not self.target.lower().startswith(("https://", "http://")):
            raise ValueError(f"target: a {self.channel} subscription needs an https URL")
        if self.channel == "email" and (
            problem := email_policy_problem(self.filter, self.delivery)
        ):
            raise ValueError(f"delivery: {problem}")
        return self


def email_policy_problem(spec: SubscriptionFilter, delivery: Delivery) -> str | None:
    """Why SNS would refuse the email policy of `spec` with `delivery`, or None."""
    return policy_problem(email_filter_policy("sub_placeholder", spec, delivery))


class SubscriptionOut(BaseModel):
    id: str
    channel: Channel
    target: str = Field(description="email address, or the URL's scheme and host only")
    filter: SubscriptionFilter
    created_at: datetime
    status: Status
    status_reason: str
    description: str
    owner: str | None = Field(description="IAM principal that created it; null: admins only")
    delivery: Delivery

    @classmethod
    def of(cls, subscription: Subscription) -> SubscriptionOut:
        """The public view: a URL target shows only scheme and host (the path is a credential)."""
        return cls(**subscription.model_dump(exclude={"target", "sns_subscription_arn"}),
                   target=masked(subscription))  # fmt: skip


class SubscriptionCreated(SubscriptionOut):
    secret: str | None = Field(
        default=None, description="webhook signing secret (whsec_…): shown only in this answer"
    )


class SchemaList(BaseModel):
    schemas: list[str] = Field(description="names to GET at /schemas/{name}, e.g. 'digest.v1'")


class SecretRotated(BaseModel):
    secret: str
    previous_valid_until: datetime


class SilenceIn(Body):
    dyad: Dyad | None = None
    country: Country | None = None
    direction: Direction | None = None
    starts_at: UtcDateTime | None = Field(default=None, description="default: now")
    ends_at: UtcDateTime
    created_by: str = Field(min_length=1, max_length=100)
    comment: str = Field(default="", max_length=500)

    @field_validator("dyad", "country", mode="before")
    @classmethod
    def _canonical(cls, value: Any) -> Any:
        return canonical(value)

    @model_validator(mode="after")
    def _has_matcher_and_order(self) -> Self:
        if self.dyad is None and self.country is None and self.direction is None:
            raise ValueError("dyad: a silence needs at least one of dyad, country, direction")
        if self.starts_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("ends_at: must be after starts_at")
        return self


class AlertsPage(BaseModel):
    alerts: list[Alert]
    since: datetime = Field(description="the start used: `since`, or the retention's start")
    next_cursor: str | None = Field(description="`cursor` for the next page; null: no more")


class TestSent(BaseModel):
    delivered: bool
    alert_id: str
    detail: str


def masked(subscription: Subscription) -> str:
    """The target as every answer shows it: an email address as given; a URL as its scheme,
    host and port only. User info, path, query and fragment can each carry a credential (Slack
    puts it in the path, many webhooks in `?token=`), so none is ever shown; a URL that does
    not parse shows no host at all."""
    if subscription.channel == "email":
        return subscription.target
    found = _SCHEME.match(subscription.target)
    scheme = found[1].lower() if found else ""
    try:
        parts = urlsplit(subscription.target)
        host, port = parts.hostname or "", parts.port
    except ValueError:  # an unclosed IPv6 bracket, a port out of range
        return f"{scheme}://…"
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}{f':{port}' if port else ''}/…" if host else f"{scheme}://…"
