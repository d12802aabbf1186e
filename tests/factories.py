"""Test data builders: one place that knows how to make a valid value of each model."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from tensionwatch.digests.model import Digest, DigestAlert, DigestPair, DigestStory
from tensionwatch.models import (
    Alert,
    AlertArticle,
    AlertEvidence,
    Article,
    PairReading,
    Relevance,
    Score,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def make_article(
    title: str = "Japan and South Korea agree to mend ties",
    *,
    url: str | None = None,
    summary: str = "",
    body: str = "",
    outlet: str = "Example Wire",
    source: str = "rss",
    published_at: datetime = T0,
    story_id: str | None = None,
    **overrides: Any,
) -> Article:
    url = url or f"https://news.example.com/{hashlib.sha1(title.encode()).hexdigest()[:12]}"
    article_id = hashlib.sha256(url.encode()).hexdigest()[:32]
    fields: dict[str, Any] = {
        "id": article_id,
        "url": url,
        "canonical_url": url,
        "title": title,
        "summary": summary,
        "body": body,
        "source": source,
        "outlet": outlet,
        "domain": url.split("/")[2],
        "published_at": published_at,
        "language": "en",
        "story_id": story_id or article_id,
    }
    fields.update(overrides)
    return Article(**fields)


def make_alert(
    dyad: str = "JP-KR",
    *,
    kind: str = "state_change",
    direction: str = "thaw",
    severity: str = "warning",
    fired_at: datetime = T0,
    **overrides: Any,
) -> Alert:
    first, second = dyad.split("-")
    state_after = {"thaw": "thawing", "escalation": "escalating"}.get(direction, "steady")
    fields: dict[str, Any] = {
        "id": hashlib.sha256(f"{dyad}|{direction}|{kind}|{fired_at}".encode()).hexdigest()[:24],
        "dyad": dyad,
        "countries": (first, second),
        "kind": kind,
        "direction": direction,
        "state_before": "steady",
        "state_after": "steady" if kind == "resolved" else state_after,
        "severity": severity,
        "score": 4.2 if direction == "thaw" else -6.5,
        "rationale": f"{dyad} {state_after}: leaders agreed to mend ties; 3 outlets in 24h",
        "window": "24h",
        "window_start": fired_at - timedelta(hours=24),
        "window_end": fired_at,
        "fired_at": fired_at,
        "article_count": 3,
        "story_count": 2,
        "outlet_count": 3,
        "evidence": (
            AlertEvidence(
                phrase="agree to mend ties",
                sentence="Japan and South Korea agree to mend ties",
                category="AGREE",
                weight=4.0,
                article_url="https://news.example.com/a",
                outlet="Example Wire",
            ),
        ),
        "articles": (
            AlertArticle(
                title="Japan and South Korea agree to mend ties",
                url="https://news.example.com/a",
                outlet="Example Wire",
                published_at=fired_at,
            ),
        ),
    }
    fields.update(overrides)
    return Alert(**fields)


def make_pair(dyad: str, score: float, *, grave: bool = False, share: float = 1.0) -> PairReading:
    """One pair's reading, direction from the sign of `score`."""
    return PairReading(dyad=dyad, direction=_direction(score), score=score, share=share,
                       grave=grave)  # fmt: skip


def _direction(score: float) -> str:
    return "thaw" if score > 0 else "escalation" if score < 0 else "neutral"


def wide_alert(dyad: str = "CL-EC") -> Alert:
    """An alert whose one story is about three pairs (three states cut ties with a fourth)."""
    article = AlertArticle(title="Bolivia, Chile and Peru cut diplomatic ties with Ecuador",
                           url="https://news.example.com/ties", outlet="Andes Wire",
                           published_at=T0, pairs=("BO-EC", "CL-EC", "EC-PE"))  # fmt: skip
    return make_alert(dyad, direction="escalation", articles=(article,))


def make_score(
    dyad: str | None = "JP-KR",
    score: float = 6.0,
    *,
    direction: str | None = None,
    phrase: str = "mend ties",
    category: str | None = None,
    sentence: str = "Japan and South Korea agree to mend ties",
    grave: bool = False,
    **overrides: Any,
) -> Score:
    """A reading, direction from the sign of `score` unless given; one evidence phrase; its
    `pairs` the one `dyad` with the same reading unless `pairs=` is given."""
    from tensionwatch.models import Evidence

    direction = direction or _direction(score)
    evidence = Evidence(
        phrase=phrase,
        field="title",
        start=0,
        end=len(phrase),
        sentence=sentence,
        category=category or ("AGREE" if score >= 0 else "THREATEN"),
        base_weight=score,
        weight=score,
        dyad=dyad,
    )
    fields: dict[str, Any] = {
        "direction": direction,
        "score": score,
        "confidence": min(1.0, abs(score) / 10),
        "dyad": dyad,
        "pairs": (
            (PairReading(dyad=dyad, direction=direction, score=score, share=1.0, grave=grave),)
            if dyad
            else ()
        ),
        "grave": grave,
        "countries": tuple(dyad.split("-")) if dyad else (),
        "categories": (evidence.category,),
        "evidence": (evidence,) if score else (),
        "lexicon_version": "test",
    }
    fields.update(overrides)
    return Score(**fields)


def make_off_topic(topic: str = "sports", *cues: str, dyad: str | None = None) -> Score:
    """An off-topic reading: neutral, no pairs, no `dyad` (give one to play a scorer that
    leaves the countries it saw there: relevance must win)."""
    return make_score(
        None, 0.0, relevance=Relevance(topic=topic, on_topic=False, cues=cues or (topic,))
    ).model_copy(update={"dyad": dyad})


def make_digest(
    pairs: int = 3,
    *,
    alerts: int = 1,
    stories: int = 1,
    more_pairs: int = 0,
    more_alerts: int = 0,
    title: str = "Greece recalls its ambassador from Ankara",
    timezone: str = "Europe/London",
    end: datetime = T0 + timedelta(days=1),
    **overrides: Any,
) -> Digest:
    """A daily digest of `pairs` covered pairs (the first five moving), `alerts` alerts and
    `stories` top stories whose headline is `title`."""
    dyads = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}-ZZ" for i in range(pairs)]
    listed = tuple(
        DigestPair(dyad=dyad, state="escalating" if i == 0 else "steady",
                   since=end - timedelta(days=2) if i == 0 else None, net_score=-14.0 + i,
                   expected=0.3, departure=-2.8 + i * 0.5, stories=3, outlets=4,
                   daily=tuple(float(-d) for d in range(14)))
        for i, dyad in enumerate(dyads)
    )  # fmt: skip
    alert = make_alert("GR-TR", direction="escalation", fired_at=end - timedelta(hours=3))
    listed_alerts = tuple(
        DigestAlert(id=f"{alert.id}{i}", dyad=alert.dyad, kind=alert.kind,
                    direction=alert.direction, state_after=alert.state_after,
                    severity=alert.severity, score=alert.score, rationale=alert.rationale,
                    fired_at=alert.fired_at, sent_at_once=i == 0)
        for i in range(alerts)
    )  # fmt: skip
    story = DigestStory(
        dyad="GR-TR", title=title, url="https://news.example.com/recall", outlet="Example Wire",
        published_at=end - timedelta(hours=5), direction="escalation", score=-6.0, outlets=3,
        evidence=alert.evidence,
    )  # fmt: skip
    fields: dict[str, Any] = {
        "id": "dg_test",
        "subscription_id": "sub_test",
        "cadence": "daily",
        "timezone": timezone,
        "period_start": end - timedelta(days=1),
        "period_end": end,
        "quiet": not alerts and pairs == 0,
        "pairs": listed,
        "more_pairs": more_pairs,
        "movers": tuple(dyads[:5]),
        "alerts": listed_alerts,
        "more_alerts": more_alerts,
        "stories": (story,) * stories,
    }
    fields.update(overrides)
    return Digest(**fields)
