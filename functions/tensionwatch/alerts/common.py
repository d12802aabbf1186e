"""Formatting shared by the renderers (email, Slack). Pure."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tensionwatch.characters import is_hidden
from tensionwatch.models import Alert

KIND_LABEL = {"state_change": "state change", "flash": "flash", "resolved": "resolved"}


def clean(text: str) -> str:
    """`text` on one line, without hidden characters (`tensionwatch.characters`): runs of
    whitespace of any kind, line breaks included, become one plain space."""
    kept = "".join(c for c in text if c.isspace() or not is_hidden(c))
    return " ".join(kept.split())


def cleaned(alert: Alert) -> Alert:
    """`alert` with every text that came from the news (rationale, quotes, titles, outlets,
    links) passed through `clean`: what each renderer starts from."""

    def scrub(item: Any) -> Any:
        texts = {name: clean(value) for name, value in item if isinstance(value, str)}
        return item.model_copy(update=texts)

    return alert.model_copy(update={
        "rationale": clean(alert.rationale),
        "evidence": tuple(scrub(item) for item in alert.evidence),
        "articles": tuple(scrub(item) for item in alert.articles),
    })  # fmt: skip


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clip(text: str, limit: int) -> str:
    """`text` on one line, cut to at most `limit` characters with an ellipsis when cut."""
    return truncate(" ".join(text.split()), limit)


def when(at: datetime) -> str:
    """A time as readers expect it in an alert: '2026-11-02 09:00 UTC'."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def signed(value: float) -> str:
    """A score with its sign: '+4.20', '-6.50'."""
    return f"{value:+.2f}"


def title(alert: Alert) -> str:
    """'[WARNING] JP-KR thawing' — severity, pair and what happened, for subjects and headers."""
    if alert.kind == "resolved":
        what = f"back to steady (was {alert.state_before})"
    elif alert.kind == "flash":
        what = f"flash {alert.direction}"
    else:
        what = alert.state_after
    return f"[{alert.severity.upper()}] {alert.dyad} {what}"


def also_about(alert: Alert) -> str | None:
    """'also about: BO-EC, EC-PE' when the alert's stories name pairs besides its own, so a
    reader of one pair's alert knows the story is wider; None when they name no other."""
    others = dict.fromkeys(p for a in alert.articles for p in a.pairs if p != alert.dyad)
    return f"also about: {', '.join(others)}" if others else None


def support(alert: Alert) -> str:
    """'3 articles, 2 stories, 3 outlets in 24h'."""
    return (f"{alert.article_count} articles, {alert.story_count} stories, "
            f"{alert.outlet_count} outlets in {alert.window}")  # fmt: skip
