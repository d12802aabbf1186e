"""Formatting shared by the renderers (email, Slack; alerts and digests). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from tensionwatch.characters import is_hidden
from tensionwatch.digests.model import Digest, DigestAlert, DigestPair
from tensionwatch.models import Alert
from tensionwatch.wording import counted

M = TypeVar("M", bound=BaseModel)
KIND_LABEL = {"state_change": "state change", "flash": "flash", "resolved": "resolved"}


def clean(text: str) -> str:
    """`text` on one line, without hidden characters (`tensionwatch.characters`): runs of
    whitespace of any kind, line breaks included, become one plain space."""
    kept = "".join(c for c in text if c.isspace() or not is_hidden(c))
    return " ".join(kept.split())


def cleaned(model: M) -> M:
    """`model` with every text in it, nested items included, passed through `clean`: what each
    renderer starts from. Alerts and digests carry news text (rationale, quotes, titles,
    outlets, links) in many places; cleaning them all, product-made ids included (which lose
    nothing), leaves no place a renderer could forget."""
    return model.model_copy(update={name: _scrubbed(value) for name, value in model})


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, BaseModel):
        return cleaned(value)
    if isinstance(value, tuple):
        return tuple(_scrubbed(item) for item in value)
    return value


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
    """'3 articles, 2 stories, 3 outlets in 24h' ('1 article, 1 story, ...')."""
    return (f"{counted(alert.article_count, 'article', 'articles')}, "
            f"{counted(alert.story_count, 'story', 'stories')}, "
            f"{counted(alert.outlet_count, 'outlet', 'outlets')} in {alert.window}")  # fmt: skip


SPARK_BARS = "▁▂▃▄▅▆▇█"  # eight levels: what a text line can draw


def sparkline(values: Sequence[float]) -> str:
    """`values` as a line of block characters, lowest value the lowest bar (net scores: down is
    towards escalation); zero is part of the range, so a flat quiet pair reads flat."""
    if not values:
        return ""
    low, high = min(0.0, *values), max(0.0, *values)
    if high == low:
        return SPARK_BARS[0] * len(values)
    top = len(SPARK_BARS) - 1
    return "".join(SPARK_BARS[round((v - low) / (high - low) * top)] for v in values)


def local_when(at: datetime, timezone: str) -> str:
    """A time as the subscriber reads it, in their zone: 'Tue 3 Nov 08:00'."""
    return at.astimezone(ZoneInfo(timezone)).strftime("%a %-d %b %H:%M")


def digest_title(digest: Digest) -> str:
    """'Tension Watch daily digest, Tue 3 Nov 08:00 (Europe/London)': subject and header."""
    when = local_when(digest.period_end, digest.timezone)
    return f"Tension Watch {digest.cadence} digest, {when} ({digest.timezone})"


def digest_summary(digest: Digest) -> str:
    """The brief's first line: what happened, or that nothing moved."""
    covered = len(digest.pairs) + digest.more_pairs
    pairs = f"{covered} pair{'s' if covered != 1 else ''}"
    since = local_when(digest.period_start, digest.timezone)
    if digest.quiet:
        return f"Nothing moved on your {pairs} since {since}."
    alerts = len(digest.alerts) + digest.more_alerts
    return (f"{alerts} alert{'s' if alerts != 1 else ''}, {len(digest.movers)} "
            f"{'pair' if len(digest.movers) == 1 else 'pairs'} moved, {pairs} covered "
            f"since {since}.")  # fmt: skip


def alert_what(alert: DigestAlert) -> str:
    """What a digest's alert said happened: 'flash escalation', 'now escalating', 'back to
    steady'."""
    if alert.kind == "flash":
        return f"flash {alert.direction}"
    if alert.kind == "resolved":
        return "back to steady"
    return f"now {alert.state_after}"


def state_since(pair: DigestPair, timezone: str) -> str:
    """'escalating since Fri 6 Nov 10:00', or the state alone when it never changed."""
    if pair.since is None or pair.state == "steady":
        return pair.state
    return f"{pair.state} since {local_when(pair.since, timezone)}"


def movement(pair: DigestPair) -> str:
    """'net -14.0 against +0.3 expected (-2.8 spreads)'."""
    return (f"net {pair.net_score:+.1f} against {pair.expected:+.1f} expected "
            f"({pair.departure:+.1f} spreads)")  # fmt: skip
