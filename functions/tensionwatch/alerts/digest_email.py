"""Email renderer for digests: the brief as plain text, the `email` body of its SNS message.
Pure. News text is cleaned and clipped to single lines exactly as in alert emails."""

from __future__ import annotations

from tensionwatch.alerts.common import (
    alert_what,
    cleaned,
    clip,
    digest_summary,
    digest_title,
    local_when,
    movement,
    signed,
    sparkline,
    state_since,
    when,
)
from tensionwatch.alerts.email import MAX_LINE, ascii_subject, more
from tensionwatch.digests.model import Digest


def digest_subject(digest: Digest) -> str:
    """'Tension Watch daily digest, Tue 3 Nov 08:00 (Europe/London): 2 alerts, …'."""
    return ascii_subject(f"{digest_title(digest)}: {digest_summary(digest)}")


def render_digest_email(digest: Digest) -> str:
    """The digest as a plain-text email: summary, alerts, movers, stories, every pair."""
    digest = cleaned(digest)
    lines = [digest_summary(digest), "", digest_title(digest)]
    if not digest.quiet:
        lines += _alerts(digest) + _movers(digest) + _stories(digest) + _pairs(digest)
    lines += ["", f"Digest id: {digest.id}  Period: {when(digest.period_start)} to "
                  f"{when(digest.period_end)}"]  # fmt: skip
    return "\n".join(lines) + "\n"


def _alerts(digest: Digest) -> list[str]:
    if not digest.alerts:
        return ["", "No alerts this period."]
    lines = ["", "Alerts"]
    for alert in digest.alerts:
        at_once = " (sent at once)" if alert.sent_at_once else ""
        lines += [
            f"  - [{alert.severity.upper()}] {alert.dyad} {alert_what(alert)}, "
            f"{local_when(alert.fired_at, digest.timezone)}{at_once}",
            f"    {clip(alert.rationale, MAX_LINE)}",
        ]
    return lines + more(digest.more_alerts, "alerts")


def _movers(digest: Digest) -> list[str]:
    by_dyad = {pair.dyad: pair for pair in digest.pairs}
    shown = [by_dyad[dyad] for dyad in digest.movers if dyad in by_dyad]
    if not shown:
        return []
    lines = ["", "Biggest movers (net score per day, last two weeks)"]
    for pair in shown:
        lines += [f"  {pair.dyad}  {sparkline(pair.daily)}  {movement(pair)}",
                  f"    {state_since(pair, digest.timezone)}"]  # fmt: skip
    return lines


def _stories(digest: Digest) -> list[str]:
    if not digest.stories:
        return []
    lines = ["", "Top stories"]
    for story in digest.stories:
        others = f" and {story.outlets - 1} more outlets" if story.outlets > 1 else ""
        lines += [f"  - {clip(story.title, MAX_LINE)}",
                  f"    {clip(story.outlet, 60)}{others}, {when(story.published_at)}, "
                  f"{story.dyad} {story.direction} {signed(story.score)}"]  # fmt: skip
        lines += [f'    "{clip(item.sentence, MAX_LINE)}"' for item in story.evidence]
        lines.append(f"    {story.url}")
    return lines


def _pairs(digest: Digest) -> list[str]:
    lines = ["", "Every pair you follow"]
    lines += [f"  {pair.dyad}  {state_since(pair, digest.timezone)}; {movement(pair)}"
              for pair in digest.pairs]  # fmt: skip
    return lines + more(digest.more_pairs, "pairs")
