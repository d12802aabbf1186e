"""The digest function's two inputs: the schedule's tick and one queued digest. Pure."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tensionwatch.models import Frozen, UtcDateTime


class DigestTick(BaseModel):
    """What EventBridge Scheduler sends every 15 minutes (template.yaml, DigestFunction)."""

    model_config = ConfigDict(extra="ignore")

    scheduled_time: UtcDateTime


class DigestJob(Frozen):
    """One digest due: a subscription and the period it covers (a DigestQueue message)."""

    subscription_id: str
    period_start: UtcDateTime
    period_end: UtcDateTime
