"""The product's vocabulary: values passed between stages. Pure: no I/O, no environment."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

Direction = Literal["thaw", "escalation", "neutral"]
SignalState = Literal["escalating", "thawing", "steady"]
Severity = Literal["info", "warning", "critical"]
AlertKind = Literal["state_change", "flash", "resolved"]
TextField = Literal["title", "body"]

SEVERITY_RANK: dict[Severity, int] = {"info": 0, "warning": 1, "critical": 2}


def _require_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    return value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_require_utc)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Article(Frozen):
    """A normalised news item, the same whichever API it came from."""

    id: str = Field(description="hash of the canonical URL")
    url: str
    canonical_url: str
    title: str
    summary: str = ""
    body: str = ""
    source: str = Field(description="the configured source that fetched it, e.g. 'newsapi'")
    outlet: str = Field(description="the publication, e.g. 'Reuters'")
    domain: str
    published_at: UtcDateTime
    language: str | None = None
    story_id: str | None = Field(default=None, description="shared by syndicated copies")

    @property
    def text(self) -> str:
        """Everything below the headline, as one string."""
        return "\n".join(part for part in (self.summary, self.body) if part)


class Evidence(Frozen):
    """One matched lexicon phrase and what the rules did to it."""

    phrase: str = Field(description="the matched text as it appears")
    field: TextField
    start: int = Field(description="character offset in the field")
    end: int
    sentence: str
    category: str = Field(description="CAMEO/PLOVER category, e.g. SANCTION")
    base_weight: float = Field(description="the lexicon's Goldstein-scale weight")
    weight: float = Field(description="signed contribution after the rules")
    rules: tuple[str, ...] = Field(default=(), description="rules applied, e.g. 'negated'")
    dyad: str | None = Field(default=None, description="the pair the phrase's sentence is about")


class PairReading(Frozen):
    """What an article says about one of the pairs its evidence names."""

    dyad: str = Field(description="two ISO 3166-1 alpha-2 codes, sorted: 'JP-KR'")
    direction: Direction
    score: float = Field(ge=-10.0, le=10.0, description="Goldstein-like, signed")
    share: float = Field(ge=0.0, le=1.0, description="this pair's part of the evidence weight")
    grave: bool = Field(default=False, description="its lead act is grave (see Score.grave)")


class Relevance(Frozen):
    """Whether an article is about relations between states, and the cues that decided it."""

    topic: str = Field(description="'relations', or the off-topic domain: 'sports', 'markets', ...")
    on_topic: bool
    cues: tuple[str, ...] = Field(default=(), description="the words that decided the topic")


class Score(Frozen):
    """One article's reading."""

    direction: Direction
    score: float = Field(ge=-10.0, le=10.0, description="Goldstein-like, signed")
    confidence: float = Field(ge=0.0, le=1.0)
    dyad: str | None = Field(description="two ISO 3166-1 alpha-2 codes, sorted: 'JP-KR'")
    pairs: tuple[PairReading, ...] = Field(
        default=(), description="every pair the evidence names, strongest first; [0] is `dyad`"
    )
    relevance: Relevance = Field(
        default_factory=lambda: Relevance(topic="relations", on_topic=True)
    )
    countries: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    mixed: bool = Field(default=False, description="both directions present with weight")
    grave: bool = Field(
        default=False,
        description="the lead act is one a flash may rest on: force, cut ties, sanctions, peace",
    )
    evidence: tuple[Evidence, ...] = ()
    lexicon_version: str


class ScoredArticle(Frozen):
    article: Article
    score: Score


# What one alert carries. SNS refuses a message over 256 KB, and the topic message holds the
# alert twice (its JSON and the email text), JSON-escaped once more: a character from the news
# can cost 12 bytes in each. These caps keep the largest possible message under the limit
# (tests/unit/test_alert_size.py builds it); the signal stage cites fewer anyway.
ALERT_MAX_EVIDENCE = 5  # the strongest quotes; the rest are counted in `more_evidence`
ALERT_MAX_ARTICLES = 10  # the first links; the rest are counted in `more_articles`
MAX_URL = 2048  # as the sources' cap: a longer link is dropped, not cut into a wrong one
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"  # RFC 3986 reserved characters and '%': kept as they are


def capped(limit: int) -> AfterValidator:
    """A validator that cuts a text from the news to `limit` characters, with an ellipsis."""
    return AfterValidator(lambda text: text if len(text) <= limit else text[: limit - 1] + "…")


def _link(url: str) -> str:
    """`url` percent-encoded outside RFC 3986's characters (non-ASCII, quotes, spaces: each
    then costs one byte wherever the alert is JSON), or "" when it is longer than MAX_URL."""
    encoded = quote(url, safe=_URL_SAFE)
    return encoded if len(encoded) <= MAX_URL else ""


Link = Annotated[str, AfterValidator(_link)]


class AlertEvidence(Frozen):
    phrase: Annotated[str, capped(100)]
    sentence: Annotated[str, capped(500)]  # email shows 300, Slack 600: room for both
    category: Annotated[str, capped(40)]
    weight: float
    article_url: Link
    outlet: Annotated[str, capped(100)]


class AlertArticle(Frozen):
    title: Annotated[str, capped(300)]  # the renderers show at most 300
    url: Link
    outlet: Annotated[str, capped(100)]
    published_at: UtcDateTime
    story_id: Annotated[str, capped(64)] | None = None
    pairs: tuple[str, ...] = Field(
        default=(), description="every pair the story is about, strongest first (schema 2)"
    )


class Alert(Frozen):
    """A state change of a pair's signal, a flash, or a resolved notice."""

    # 2: articles carry `pairs`. 1 still parses: alerts published before a deploy are in
    # flight on the DeliveryQueue when the new deliver function reads them.
    schema_version: Literal[1, 2] = 2
    id: str = Field(description="deterministic: pair, direction, kind, window")
    dyad: str
    countries: tuple[str, str]
    kind: AlertKind
    direction: Direction
    state_before: SignalState
    state_after: SignalState
    severity: Severity
    score: float
    rationale: Annotated[str, capped(500)] = Field(
        description="one line, first thing a reader sees"
    )
    window: str = Field(description="the window that decided, e.g. '24h'")
    window_start: UtcDateTime
    window_end: UtcDateTime
    fired_at: UtcDateTime
    article_count: int
    story_count: int
    outlet_count: int
    evidence: tuple[AlertEvidence, ...] = Field(
        default=(), description=f"the strongest first, at most {ALERT_MAX_EVIDENCE}"
    )
    articles: tuple[AlertArticle, ...] = Field(
        default=(), description=f"at most {ALERT_MAX_ARTICLES}"
    )
    more_evidence: int = Field(default=0, ge=0, description="evidence left out of `evidence`")
    more_articles: int = Field(default=0, ge=0, description="articles left out of `articles`")

    @model_validator(mode="before")
    @classmethod
    def _cap_citations(cls, data: Any) -> Any:
        """Keep the first ALERT_MAX_* evidence and articles, counting the rest."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for key, more, limit in (("evidence", "more_evidence", ALERT_MAX_EVIDENCE),
                                 ("articles", "more_articles", ALERT_MAX_ARTICLES)):  # fmt: skip
            items = data.get(key)
            existing = data.get(more, 0)
            if isinstance(items, list | tuple) and len(items) > limit and isinstance(existing, int):
                data[key] = tuple(items[:limit])
                data[more] = existing + len(items) - limit
        return data


class Silence(Frozen):
    """Mutes matching alerts between two times (an Alertmanager silence)."""

    id: str
    dyad: str | None = None
    country: str | None = None
    direction: Direction | None = None
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    created_by: str
    comment: str = ""

    def mutes(self, alert: Alert, at: datetime) -> bool:
        """Whether this silence mutes `alert` at time `at`."""
        if not (self.starts_at <= at < self.ends_at):
            return False
        if self.dyad is not None and self.dyad != alert.dyad:
            return False
        if self.country is not None and self.country not in alert.countries:
            return False
        return self.direction is None or self.direction == alert.direction
