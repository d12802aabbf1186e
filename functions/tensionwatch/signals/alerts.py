"""From an intent and the articles behind it to an `Alert`: id, severity, evidence, rationale.
Pure."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tensionwatch.models import Alert, AlertArticle, AlertEvidence, Direction, Severity
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.state import SIGN, Intent
from tensionwatch.wording import counted

MAX_ARTICLES = 10  # links in an alert: enough to check a story, short enough for a message
MAX_EVIDENCE = 5  # quoted phrases: the strongest few say why
MAX_LEAD = 90  # characters of the lead headline inside the one-line rationale


@dataclass(frozen=True)
class ArticleRef:
    """What the store keeps of each article folded into a pair, for alerts to cite."""

    id: str
    title: str
    url: str
    outlet: str
    published_at: datetime
    story_id: str
    direction: Direction
    score: float  # its reading's of this pair (a syndicated copy is read on its own text too)
    evidence: tuple[AlertEvidence, ...] = ()  # a syndicated copy quotes none
    pairs: tuple[str, ...] = ()  # every pair its reading folded it into, strongest first

    @property
    def is_copy(self) -> bool:
        return self.story_id != self.id


def alert_id(dyad: str, direction: Direction, kind: str, bucket: datetime) -> str:
    """Deterministic id: the same pair, direction, kind and window hour give the same id, so
    a replayed batch records (and publishes) the same alert, not a second one."""
    key = f"{dyad}|{direction}|{kind}|{bucket:%Y-%m-%dT%H}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def severity(intent: Intent, outlets: int, config: SignalConfig) -> Severity:
    """info / warning / critical from strength (spreads from the baseline) and breadth."""
    if intent.kind == "resolved":
        return "info"
    strength = abs(intent.departure)
    if intent.kind == "flash":
        strength = max(strength, config.warning_margin)  # a corroborated flash is news
    if strength >= config.critical_margin and outlets >= config.critical_outlets:
        return "critical"
    if strength >= config.warning_margin or outlets >= config.warning_outlets:
        return "warning"
    return "info"


def build_alert(
    dyad: str, intent: Intent, refs: Sequence[ArticleRef], config: SignalConfig
) -> Alert:
    """The alert for `intent`, citing the strongest of `refs` that lie in its window."""
    window = intent.window
    inside = [r for r in refs if window.start <= r.published_at <= window.end]
    side = (
        [r for r in inside if r.direction == intent.direction]
        if intent.kind != "resolved"
        else inside
    )
    side.sort(key=lambda r: (-abs(r.score), r.is_copy, r.published_at, r.id))  # originals first
    stories = {r.story_id for r in side}
    outlets = {r.outlet for r in side}  # reach: syndicated copies' outlets included
    independent = {r.outlet for r in side if not r.is_copy}
    scores = [r.score for r in side if not r.is_copy]
    score = round(sum(scores) / len(scores), 2) if scores else 0.0
    first, second = dyad.split("-")
    return Alert(
        id=alert_id(dyad, intent.direction, intent.kind, window.end),
        dyad=dyad,
        countries=(first, second),
        kind=intent.kind,
        direction=intent.direction,
        state_before=intent.state_before,
        state_after=intent.state_after,
        severity=severity(intent, len(independent), config),
        score=max(-10.0, min(10.0, score)),
        rationale=rationale(
            dyad, intent, side[0].title if side else "", len(outlets), len(stories)
        ),
        window=window.name,
        window_start=window.start,
        window_end=window.end,
        fired_at=window.end,
        article_count=len(side),
        story_count=len(stories),
        outlet_count=len(outlets),
        evidence=_evidence(side, intent.direction),
        articles=tuple(_article(r) for r in side[:MAX_ARTICLES]),
    )


def rationale(dyad: str, intent: Intent, lead: str, outlets: int, stories: int) -> str:
    """One line, the first thing a reader sees: what, the lead headline, and the support."""
    lead = _clip(lead.strip().rstrip("."), MAX_LEAD)
    support = (f"{counted(outlets, 'outlet', 'outlets')}, {counted(stories, 'story', 'stories')}"
               f" in {_span(intent.window.name)}")  # fmt: skip
    if intent.kind == "resolved":
        since = f" since {intent.since:%d %b}" if intent.since else ""
        return f"{dyad} back to steady after {intent.state_before}{since}; {support}"
    if intent.kind == "flash":
        head = f"{dyad} flash {intent.direction}"
    elif intent.state_before == intent.state_after:
        head = f"{dyad} still {intent.state_after}"
    else:
        head = f"{dyad} {intent.state_after}"
    return f"{head}: {lead}; {support}" if lead else f"{head}; {support}"


def _span(name: str) -> str:
    return f"{name[:-1]} {'h' if name.endswith('h') else 'days'}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _evidence(refs: Sequence[ArticleRef], direction: Direction) -> tuple[AlertEvidence, ...]:
    sign = SIGN[direction]
    found = [e for r in refs for e in r.evidence if sign == 0 or e.weight * sign > 0]
    found.sort(key=lambda e: -abs(e.weight))
    seen: set[str] = set()
    unique = []
    for item in found:
        if item.phrase.lower() not in seen:
            seen.add(item.phrase.lower())
            unique.append(item)
    return tuple(unique[:MAX_EVIDENCE])


def _article(ref: ArticleRef) -> AlertArticle:
    return AlertArticle(title=ref.title, url=ref.url, outlet=ref.outlet,
                        published_at=ref.published_at, story_id=ref.story_id,
                        pairs=ref.pairs)  # fmt: skip
