"""Slack renderer: an alert as a Block Kit message. Pure.

Everything that comes from the news (titles, quotes, outlets, URLs) loses its control and
bidi/zero-width characters and is escaped for mrkdwn, and every text object is `verbatim`, so a
headline like `<!channel>`, `@here` or `<https://evil|click>` renders as text, never as a
mention or a disguised link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from tensionwatch.alerts.common import also_about, cleaned, clip, truncate, when
from tensionwatch.models import Alert, AlertEvidence

# Slack's documented limits (api.slack.com/reference/block-kit/blocks).
MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_CONTEXT = 2000  # a context block's text element limit (docs: 3000); a quieter line anyway
# A readable message, not a limit: more quotes than this go into the "… and N more" line.
MAX_QUOTES = 8
MAX_SOURCES = 10
MAX_QUOTE_CHARS = 600  # one quote paragraph; longer sentences are cut with an ellipsis

DIRECTION_EMOJI = {"thaw": ":dove_of_peace:", "escalation": ":warning:", "neutral": ":scales:"}
SEVERITY_EMOJI = {"info": ":large_blue_circle:", "warning": ":large_orange_circle:",
                  "critical": ":red_circle:"}  # fmt: skip
HEADER_EMOJI = {"thaw": "🕊️", "escalation": "⚠️", "neutral": "⚖️"}
TEST_MARK = "TEST"


def escape(text: str) -> str:
    """`text` with Slack's three control characters as entities (api.slack.com, "Escaping")."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """A mrkdwn link for http(s) URLs; anything else is shown as escaped text."""
    try:
        scheme = urlsplit(url).scheme
    except ValueError:  # e.g. an unbalanced '[' ("Invalid IPv6 URL"): not a link
        return escape(label)
    if scheme not in {"http", "https"}:
        return escape(label)
    # `|` and `>` end Slack's link syntax: percent-encode them in the URL.
    safe = quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")
    return f"<{escape(safe)}|{escape(label).replace('|', '¦')}>"


def headline(alert: Alert, *, test: bool = False) -> str:
    """The one-line summary: the header text and the notification fallback."""
    verb = {"resolved": "back to steady", "flash": "flash"}.get(alert.kind, alert.state_after)
    mark = f"[{TEST_MARK}] " if test else ""
    return f"{mark}{alert.dyad} {alert.direction}: {verb} ({alert.severity})"


def render_slack(alert: Alert, *, test: bool = False) -> dict[str, Any]:
    """The incoming-webhook payload `{"text", "blocks"}` for `alert`, within Slack's limits.

    `test` marks the message as a test notification in the header, text and footer."""
    alert = cleaned(alert)
    blocks = _blocks(alert, test=test)
    for block in blocks:
        block.validate_json()  # slack_sdk raises SlackObjectFormationError past a limit
    text = escape(headline(alert, test=test)) + "\n" + escape(alert.rationale)
    return {"text": truncate(text, MAX_SECTION), "blocks": [b.to_dict() for b in blocks]}


def _blocks(alert: Alert, *, test: bool) -> list[Block]:
    title = f"{HEADER_EMOJI.get(alert.direction, '')} {headline(alert, test=test)}".strip()
    blocks: list[Block] = [
        HeaderBlock(text=truncate(title, MAX_HEADER)),
        section(f"*{escape(alert.rationale)}*"),
        section(_facts(alert)),
    ]
    if wider := also_about(alert):
        blocks.append(context(escape(wider)))
    blocks += _quotes(alert.evidence, alert.more_evidence)
    if alert.articles:
        blocks.append(section(_sources(alert)))
    blocks.append(DividerBlock())
    blocks.append(_footer(alert, test=test))
    return blocks[:MAX_BLOCKS]


def mrkdwn(text: str) -> MarkdownTextObject:
    """A mrkdwn text object that renders as written."""
    # verbatim: Slack does not turn "@channel", "@here" or a bare #name or URL in a headline
    # into a mention or link; only the <…> markup built here (news text is escaped) is live.
    return MarkdownTextObject(text=text, verbatim=True)


def section(text: str) -> SectionBlock:
    """A section block of `text`, cut to Slack's 3,000 characters."""
    return SectionBlock(text=mrkdwn(truncate(text, MAX_SECTION)))


def _facts(alert: Alert) -> str:
    return (
        f"{SEVERITY_EMOJI[alert.severity]} *{alert.severity}*  ·  {alert.kind}  ·  "
        f"score {alert.score:+.1f}  ·  {alert.window} window  ·  "
        f"{alert.article_count} articles, {alert.story_count} stories, "
        f"{alert.outlet_count} outlets"
    )


def _quotes(evidence: tuple[AlertEvidence, ...], more: int) -> list[Block]:
    shown = [_quote(item) for item in evidence[:MAX_QUOTES]]
    blocks: list[Block] = [section(text) for text in shown]
    hidden = len(evidence) - len(shown) + more
    if hidden > 0:
        blocks.append(context(f"… and {hidden} more quotes"))
    return blocks


def _quote(item: AlertEvidence) -> str:
    sentence = escape(clip(item.sentence, MAX_QUOTE_CHARS))
    source = link(item.article_url, item.outlet)
    return f"> {sentence}\n— {source}  ·  `{escape(item.category)}` {item.weight:+.1f}"


def _sources(alert: Alert) -> str:
    lines: list[str] = []
    for article in alert.articles[:MAX_SOURCES]:
        line = f"• {link(article.url, clip(article.title, 200))} — {escape(article.outlet)}"
        if sum(len(x) + 1 for x in lines) + len(line) > MAX_SECTION - 40:
            break  # leave room for the "… and N more" line
        lines.append(line)
    hidden = len(alert.articles) - len(lines) + alert.more_articles
    if hidden > 0:
        lines.append(f"… and {hidden} more")
    return "*Sources*\n" + "\n".join(lines)


def _footer(alert: Alert, *, test: bool) -> ContextBlock:
    note = "This is a test notification from Tension Watch. " if test else ""
    return context(f"{note}Tension Watch · {when(alert.fired_at)} · alert `{escape(alert.id)}`")


def context(text: str) -> ContextBlock:
    """A quiet one-line context block of `text`."""
    return ContextBlock(elements=[mrkdwn(clip(text, MAX_CONTEXT))])
