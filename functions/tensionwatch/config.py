"""Settings: one model per function, read from the environment once, never at import time.

Field names equal the environment variable names in `template.yaml`; a contract test checks
that every function's `Environment` satisfies its model.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    @classmethod
    def from_environ(cls) -> Self:
        """Validate the process environment; a missing variable raises, naming it."""
        return cls.model_validate(dict(os.environ))


def _comma_separated(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


# Ports a Slack or webhook target may use besides 443, as "8443,9443" (the TARGET_PORTS
# allow-list; empty by default). Read from the environment as a comma-separated list.
Ports = Annotated[
    frozenset[Annotated[int, Field(ge=1, le=65535)]], BeforeValidator(_comma_separated)
]


class PollSettings(Settings):
    ARTICLES_TABLE: str
    CURSORS_TABLE: str
    SCORE_QUEUE_URL: str
    POLL_QUEUE_URL: str  # the tick queues a task per source here; the workers take them
    SOURCES_PARAMETER: str = ""  # SSM parameter holding the sources file; "" = bundled file
    # Band slots (what was queued, its stories) expire after this; longer than any source's window
    # (GDELT's 3 months is only reached by a deliberate backfill, feeds keep days of entries).
    SEEN_TTL_DAYS: int = 30


class ScoreSettings(Settings):
    DYADS_TABLE: str
    ALERTS_TABLE: str
    SILENCES_TABLE: str
    ALERTS_TOPIC_ARN: str
    # The signal model's numbers; each default and its source is documented on
    # tensionwatch.signals.config.SignalConfig (same names, lower case) and in docs/signals.md.
    WINDOW_HOURS: int = 24
    TREND_DAYS: int = 7
    BASELINE_DAYS: int = 30
    ENTER_MARGIN: float = 2.0
    EXIT_MARGIN: float = 1.0
    MIN_SPREAD: float = 5.0
    MIN_STORIES: int = 2
    MIN_OUTLETS: int = 3
    FLASH_SCORE: float = 4.0
    FLASH_CORROBORATE_SCORE: float = 3.0
    FLASH_MIN_OUTLETS: int = 3
    FLASH_WINDOW_HOURS: int = 6
    FLASH_COOLDOWN_HOURS: int = 24
    REPEAT_INTERVAL_HOURS: int = 72
    CRITICAL_MARGIN: float = 4.0
    CRITICAL_OUTLETS: int = 5
    WARNING_MARGIN: float = 3.0
    WARNING_OUTLETS: int = 4


class DeliverSettings(Settings):
    SUBSCRIPTIONS_TABLE: str
    NOTIFICATIONS_TABLE: str
    # Secrets Manager name prefix of webhook signing secrets (one secret per subscription).
    WEBHOOK_SECRETS_PREFIX: str = "tensionwatch/webhooks/"
    # Local/test only: allow http:// and loopback targets (the offline stack's receivers).
    ALLOW_HTTP_TARGETS: bool = False
    TARGET_PORTS: Ports = frozenset()
    # Must equal the DeliveryQueue redrive maxReceiveCount: on that receive a failure is final.
    MAX_RECEIVES: int = 10
    # Consecutive failed sends before a subscription is disabled: three alerts' worth of
    # retries (3 x MAX_RECEIVES), so one bad afternoon does not unsubscribe anyone.
    MAX_CONSECUTIVE_FAILURES: int = 30
    # SQS-visibility backoff: 30 s doubling per receive, at most 4 h: the tenth receive lands
    # ~4.3 h after the first failure, so a receiver down for an hour or two still gets the
    # alert once, late (Standard Webhooks suggests retrying for about a day; SQS caps one
    # visibility extension at 12 h).
    RETRY_BASE_SECONDS: int = 30
    RETRY_MAX_SECONDS: int = 14_400
    NOTIFICATION_TTL_DAYS: int = 30  # the log outlives any redelivery (SQS keeps 14 days max)


class DigestSettings(Settings):
    SUBSCRIPTIONS_TABLE: str
    NOTIFICATIONS_TABLE: str
    DYADS_TABLE: str
    ALERTS_TABLE: str
    DIGEST_QUEUE_URL: str
    ALERTS_TOPIC_ARN: str  # email digests go out on it, addressed to one subscription each
    WEBHOOK_SECRETS_PREFIX: str = "tensionwatch/webhooks/"  # as DeliverSettings
    ALLOW_HTTP_TARGETS: bool = False  # as DeliverSettings
    TARGET_PORTS: Ports = frozenset()  # as DeliverSettings
    # Must equal the DigestQueue redrive maxReceiveCount: on that receive a failure is final.
    MAX_RECEIVES: int = 10
    MAX_CONSECUTIVE_FAILURES: int = 30  # as DeliverSettings: one run of failures, both paths
    RETRY_BASE_SECONDS: int = 30  # as DeliverSettings
    RETRY_MAX_SECONDS: int = 14_400
    # The log must outlive the planner's catch-up, or a late tick could send a period twice.
    NOTIFICATION_TTL_DAYS: int = 30
    CATCH_UP_DAYS: int = 8  # how far back a late tick still queues missed digests
    # The signal's numbers a digest reads movement with (ScoreSettings: same names, defaults).
    BASELINE_DAYS: int = 30
    MIN_SPREAD: float = 5.0
    EXIT_MARGIN: float = 1.0

    @model_validator(mode="after")
    def _log_outlives_catch_up(self) -> Self:
        if self.NOTIFICATION_TTL_DAYS <= self.CATCH_UP_DAYS:
            raise ValueError("NOTIFICATION_TTL_DAYS must exceed CATCH_UP_DAYS")
        return self


class ApiSettings(Settings):
    SUBSCRIPTIONS_TABLE: str
    SILENCES_TABLE: str
    ALERTS_TABLE: str
    DYADS_TABLE: str
    ALERTS_TOPIC_ARN: str
    WEBHOOK_SECRETS_PREFIX: str = "tensionwatch/webhooks/"  # as DeliverSettings
    ALLOW_HTTP_TARGETS: bool = False  # as DeliverSettings; also checked when subscribing
    TARGET_PORTS: Ports = frozenset()  # as DeliverSettings; also checked when subscribing
    # IAM user or role ARNs, comma-separated, that see and change every subscription; every
    # other caller only its own (tensionwatch.api.access, docs/delivery.md). Template parameter
    # AdminPrincipals.
    ADMIN_PRINCIPALS: frozenset[str] = frozenset()

    @field_validator("ADMIN_PRINCIPALS", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value


class BacktestSettings(Settings):
    """The `tensionwatch backtest` command's settings (it runs on a laptop, not in Lambda)."""

    GDELT_URL: str = "https://api.gdeltproject.org"
    GUARDIAN_URL: str = "https://content.guardianapis.com"
    GUARDIAN_API_KEY: str = ""  # a Guardian open-platform key; only for --guardian
    # Where historical answers are kept, so a second run is offline; default ~/.cache/...
    TENSIONWATCH_CACHE: str = ""
    XDG_CACHE_HOME: str = ""


@cache
def poll_settings() -> PollSettings:
    return PollSettings.from_environ()


@cache
def score_settings() -> ScoreSettings:
    return ScoreSettings.from_environ()


@cache
def deliver_settings() -> DeliverSettings:
    return DeliverSettings.from_environ()


@cache
def digest_settings() -> DigestSettings:
    return DigestSettings.from_environ()


@cache
def api_settings() -> ApiSettings:
    return ApiSettings.from_environ()
