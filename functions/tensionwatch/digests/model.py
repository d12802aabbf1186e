"""The digest a subscriber receives: the payload of the `digest` webhook event and of the
digest's SNS message (schema `digest.v1`, docs/schemas). Pure."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from tensionwatch.digests.schedule import Cadence
from tensionwatch.models import (
    AlertEvidence,
    AlertKind,
    Direction,
    Frozen,
    Link,
    Severity,
    SignalState,
    UtcDateTime,
    capped,
)

# What one digest carries at most; the rest is counted in `more_*`. An email digest that would
# still pass SNS's 256 KB (hostile news text escapes to several bytes a character) sheds its
# last stories, pairs and alerts, counted (`build.shrunk`, tests/unit/digests/test_digest_size.py).
MAX_PAIRS = 200
MAX_ALERTS = 60
MAX_STORIES = 8
MAX_STORY_EVIDENCE = 2
DAILY_POINTS = 14  # days of net score behind each pair's sparkline


class DigestPair(Frozen):
    """One covered pair: its state now, and how the period moved it against its baseline."""

    dyad: str = Field(description="two ISO 3166-1 alpha-2 codes, sorted: 'JP-KR'")
    state: SignalState = Field(description="the pair's state at the digest's end")
    since: UtcDateTime | None = Field(description="when it entered that state; null: never left")
    net_score: float = Field(description="net Goldstein-like score of the period's stories")
    expected: float = Field(description="the baseline's net score for a period this long")
    departure: float = Field(
        description="spreads between net_score and expected; negative: towards escalation"
    )
    stories: int = Field(ge=0, description="the period's stories (syndicated copies once)")
    outlets: int = Field(ge=0, description="outlets that carried the pair in the period")
    daily: tuple[float, ...] = Field(
        default=(), description=f"net score per UTC day, oldest first, the last {DAILY_POINTS}"
    )


class DigestAlert(Frozen):
    """An alert of the period, as the brief lists it."""

    id: str
    dyad: str
    kind: AlertKind
    direction: Direction
    state_after: SignalState
    severity: Severity
    score: float
    rationale: Annotated[str, capped(500)]
    fired_at: UtcDateTime
    sent_at_once: bool = Field(description="this subscription also received it as it fired")


class DigestStory(Frozen):
    """One of the period's strongest stories, with what it said and who carried it."""

    dyad: str
    title: Annotated[str, capped(300)]
    url: Link
    outlet: Annotated[str, capped(100)]
    published_at: UtcDateTime
    direction: Direction
    score: float
    outlets: int = Field(ge=1, description="outlets that carried the story, copies included")
    evidence: tuple[AlertEvidence, ...] = Field(
        default=(), description=f"its strongest quotes, at most {MAX_STORY_EVIDENCE}"
    )


class Digest(Frozen):
    """A subscription's brief for one period."""

    schema_version: Literal[1] = 1
    id: str = Field(description="deterministic: subscription and period end")
    subscription_id: str
    cadence: Cadence
    timezone: str = Field(description="the subscriber's IANA time zone")
    period_start: UtcDateTime
    period_end: UtcDateTime
    quiet: bool = Field(description="nothing moved: no alert, no pair past the mover margin")
    pairs: tuple[DigestPair, ...] = Field(
        default=(), description=f"covered pairs, unsettled and moving first, at most {MAX_PAIRS}"
    )
    more_pairs: int = Field(default=0, ge=0, description="covered pairs left out of `pairs`")
    movers: tuple[str, ...] = Field(
        default=(), description="the pairs that moved most against their baseline, biggest first"
    )
    alerts: tuple[DigestAlert, ...] = Field(default=(), description="oldest first")
    more_alerts: int = Field(default=0, ge=0, description="alerts left out of `alerts`")
    stories: tuple[DigestStory, ...] = Field(default=(), description="strongest first")
