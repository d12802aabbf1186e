"""Slack renderer for digests: the brief as one Block Kit message, within Slack's limits
however many pairs it covers (what does not fit is counted, never dropped silently). Pure.

Built from the alert renderer's parts (`tensionwatch.alerts.slack`): news text cleaned and
escaped, every text object verbatim, links only for http(s) URLs.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock

from tensionwatch.alerts.common import (
    alert_what,
    cleaned,
    clip,
    digest_summary,
    digest_title,
    local_when,
    movement,
    sparkline,
    state_since,
    truncate,
    when,
)
from tensionwatch.alerts.slack import (
    DIRECTION_EMOJI,
    MAX_BLOCKS,
    MAX_HEADER,
    MAX_SECTION,
    SEVERITY_EMOJI,
    context,
    escape,
    link,
    section,
)
from tensionwatch.digests.model import Digest, DigestPair, DigestStory

# A readable brief, not Slack's limits: the alerts fill at most this many sections, the
# rest counted; the pairs take what blocks are left.
MAX_ALERT_SECTIONS = 4
MORE_ROOM = 60  # characters kept free in a section for its "… and N more" line
FRAME_BLOCKS = 4  # header, summary, divider, footer


def render_digest_slack(digest: Digest) -> dict[str, Any]:
    """The incoming-webhook payload `{"text", "blocks"}` of `digest`."""
    digest = cleaned(digest)
    body: list[Block] = []
    if not digest.quiet:
        body += _alerts(digest) + _movers(digest)
        body += [section(_story(story)) for story in digest.stories]
        room = MAX_BLOCKS - FRAME_BLOCKS - len(body)
        body += _packed("Every pair you follow", [_pair(p, digest.timezone) for p in digest.pairs],
                        sections=room, more=digest.more_pairs, what="pairs")  # fmt: skip
    blocks: list[Block] = [
        HeaderBlock(text=truncate(f"🗞️ {digest_title(digest)}", MAX_HEADER)),
        section(f"*{escape(digest_summary(digest))}*"),
        *body,
        DividerBlock(),
        context(_footer(digest)),
    ]
    for block in blocks:
        block.validate_json()  # slack_sdk raises SlackObjectFormationError past a limit
    text = escape(f"{digest_title(digest)}\n{digest_summary(digest)}")
    return {"text": truncate(text, MAX_SECTION), "blocks": [b.to_dict() for b in blocks]}


def _footer(digest: Digest) -> str:
    period = f"{when(digest.period_start)} to {when(digest.period_end)}"
    return f"Tension Watch · digest `{escape(digest.id)}` · {period}"


def _packed(title: str, lines: list[str], *, sections: int, more: int, what: str) -> list[Block]:
    """`lines` under a bold `title`, packed into at most `sections` sections of at most
    MAX_SECTION characters; the lines that do not fit, and `more`, counted in the last."""
    if sections < 1:
        return []
    texts: list[str] = []
    current, shown = f"*{title}*", 0
    for line in lines:
        if len(current) + 1 + len(line) > MAX_SECTION - MORE_ROOM:
            if len(texts) + 1 == sections:
                break
            texts.append(current)
            current = line
        else:
            current += "\n" + line
        shown += 1
    if hidden := len(lines) - shown + more:
        current += f"\n… and {hidden} more {what}"
    return [section(text) for text in [*texts, current]]


def _alerts(digest: Digest) -> list[Block]:
    if not digest.alerts:
        return [section("*Alerts*\nNo alerts this period.")]
    lines = []
    for alert in digest.alerts:
        at_once = " · sent at once" if alert.sent_at_once else ""
        lines.append(
            f"{DIRECTION_EMOJI[alert.direction]} *{alert.dyad}* {alert_what(alert)} "
            f"{SEVERITY_EMOJI[alert.severity]} {alert.severity} · "
            f"{local_when(alert.fired_at, digest.timezone)}{at_once}\n"
            f"      {escape(clip(alert.rationale, 300))}"
        )
    return _packed("Alerts", lines, sections=MAX_ALERT_SECTIONS, more=digest.more_alerts,
                   what="alerts")  # fmt: skip


def _movers(digest: Digest) -> list[Block]:
    by_dyad = {pair.dyad: pair for pair in digest.pairs}
    lines = [
        f"*{pair.dyad}* `{sparkline(pair.daily)}` {movement(pair)} · "
        f"{state_since(pair, digest.timezone)}"
        for pair in (by_dyad[d] for d in digest.movers if d in by_dyad)
    ]
    if not lines:
        return []
    return [section("*Biggest movers* (net score per day, last two weeks)\n" + "\n".join(lines))]


def _story(story: DigestStory) -> str:
    others = f" and {story.outlets - 1} more outlets" if story.outlets > 1 else ""
    quotes = "".join(f"\n> {escape(clip(item.sentence, 300))}" for item in story.evidence)
    return (f"{link(story.url, clip(story.title, 200))} — {escape(clip(story.outlet, 60))}"
            f"{others} · {story.dyad} {story.direction} {story.score:+.1f}{quotes}")  # fmt: skip


def _pair(pair: DigestPair, timezone: str) -> str:
    return f"`{pair.dyad}` {state_since(pair, timezone)} · {movement(pair)}"
