"""Settings: one model per function, read from the environment once, never at import time.

Field names equal the environment variable names in `template.yaml`; a contract test checks
that every function's `Environment` satisfies its model.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Self

from pydantic import BaseModel, ConfigDict


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    @classmethod
    def from_environ(cls) -> Self:
        """Validate the process environment; a missing variable raises, naming it."""
        return cls.model_validate(dict(os.environ))


class PollSettings(Settings):
    ARTICLES_TABLE: str
    CURSORS_TABLE: str
    SCORE_QUEUE_URL: str
    SOURCES_PARAMETER: str = ""  # SSM parameter holding the sources file; "" = bundled file
    # Seen-records, stories and band items expire after this; longer than any source's window
    # (GDELT's 3 months is only reached by a deliberate backfill, feeds keep days of entries).
    SEEN_TTL_DAYS: int = 30


class ScoreSettings(Settings):
    ARTICLES_TABLE: str
    DYADS_TABLE: str
    ALERTS_TABLE: str
    SILENCES_TABLE: str
    IDEMPOTENCY_TABLE: str
    ALERTS_TOPIC_ARN: str


class DeliverSettings(Settings):
    SUBSCRIPTIONS_TABLE: str
    NOTIFICATIONS_TABLE: str


class ApiSettings(Settings):
    SUBSCRIPTIONS_TABLE: str
    SILENCES_TABLE: str
    ALERTS_TABLE: str
    DYADS_TABLE: str
    ALERTS_TOPIC_ARN: str


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
def api_settings() -> ApiSettings:
    return ApiSettings.from_environ()
