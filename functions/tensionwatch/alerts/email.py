"""Email renderer: an alert as readable plain text with its evidence and links. Pure.

SNS sends the `email` member of the message as-is, so this is the whole mail body. Text from
the news, links included, loses its control and bidi/zero-width characters and is kept on
single lines (a link holding "\n\nFAKE: click …" cannot forge a line) and clipped; nothing is
interpreted as markup in plain text.
"""

from __future__ import annotations

from tensionwatch.alerts.common import (
    KIND_LABEL,
    also_about,
    cleaned,
    clip,
    signed,
    support,
    title,
    when,
)
from tensionwatch.models import Alert

MAX_LINE = 300  # a quoted sentence or headline: long enough to read, short enough to scan
MAX_SUBJECT = 100  # SNS email subjects are limited to 100 ASCII characters


def subject_line(alert: Alert) -> str:
    """The email subject: ASCII, one line, at most 100 characters (SNS's rules)."""
    return ascii_subject(f"[{alert.severity.upper()}] {alert.rationale}")


def ascii_subject(text: str) -> str:
    """`text` as SNS takes a subject: printable ASCII, one line, at most 100 characters."""
    text = text.replace("…", "...")
    # SNS accepts printable ASCII only: other letters are dropped, control characters (a
    # hostile headline's backspace or ESC) become spaces, as line breaks always did.
    printable = (c if " " <= c <= "~" else " " if c.isascii() else "" for c in text)
    text = " ".join("".join(printable).split())
    return text if len(text) <= MAX_SUBJECT else text[: MAX_SUBJECT - 3].rstrip() + "..."


def render_email_text(alert: Alert) -> str:
    """The alert as a plain-text email body: rationale first, then facts, evidence, links."""
    alert = cleaned(alert)
    lines = [
        clip(alert.rationale, MAX_LINE),
        "",
        title(alert),
        f"Kind: {KIND_LABEL[alert.kind]}    Direction: {alert.direction}",
        f"State: {alert.state_before} -> {alert.state_after}",
        f"Window: {alert.window}, {when(alert.window_start)} to {when(alert.window_end)}",
        f"Score: {signed(alert.score)} (Goldstein-like scale, -10 escalation to +10 thaw)",
        f"Support: {support(alert)}",
    ]
    if wider := also_about(alert):
        lines.append(wider[:1].upper() + wider[1:])
    if alert.evidence:
        lines += ["", "Evidence"]
        for item in alert.evidence:
            lines += [
                f'  - "{clip(item.phrase, 80)}" ({item.category}, {signed(item.weight)}) '
                f"- {clip(item.outlet, 60)}",
                f"    {clip(item.sentence, MAX_LINE)}",
                f"    {item.article_url}",
            ]
        lines += more(alert.more_evidence, "quotes")
    if alert.articles:
        lines += ["", "Articles"]
        for article in alert.articles:
            lines += [
                f"  - {clip(article.title, MAX_LINE)}",
                f"    {clip(article.outlet, 60)}, {when(article.published_at)}",
                f"    {article.url}",
            ]
        lines += more(alert.more_articles, "articles")
    lines += ["", f"Alert id: {alert.id}  Fired: {when(alert.fired_at)}"]
    return "\n".join(lines) + "\n"


def more(count: int, what: str) -> list[str]:
    """The "… and N more" line of a list cut short; none when nothing was left out."""
    return [f"  … and {count} more {what}"] if count else []
