"""Hostile titles, sentences and outlets render safely: Slack gets no live mentions or links it
did not build and stays within Block Kit limits; email is plain single-line-safe text; the
webhook body is JSON that carries the text unchanged."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tensionwatch.alerts.common import clean
from tensionwatch.alerts.email import render_email_text, subject_line
from tensionwatch.alerts.slack import render_slack
from tensionwatch.alerts.webhook import render_webhook
from tensionwatch.models import Alert, AlertArticle, AlertEvidence
from tests.factories import make_alert
from tests.fuzz import strategies as s
from tests.fuzz.strategies import FUZZ

AT = datetime(2026, 11, 2, 9, tzinfo=UTC)
MEGABYTE_TITLE = "<!channel> " * 100_000  # ~1 MB
# Slack Block Kit limits (api.slack.com/reference/block-kit/blocks).
MAX_BLOCKS, MAX_SECTION, MAX_HEADER = 50, 3000, 150
# What Slack would act on: a special mention, or a link/label pair, in raw mrkdwn.
_LIVE = re.compile(r"<!(channel|here|everyone)|<https?://evil|<@U|<#C")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _hostile_alert(text: str, outlet: str, url: str = "https://news.example/a") -> Alert:
    return make_alert(
        rationale=text,
        evidence=tuple(
            AlertEvidence(
                phrase=text[:40],
                sentence=text,
                category="THREAT",
                weight=-3.0,
                article_url=url,
                outlet=outlet,
            )
            for _ in range(12)
        ),
        articles=tuple(
            AlertArticle(title=text, url=url, outlet=outlet, published_at=AT) for _ in range(12)
        ),
    )


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [
            t
            for key, value in node.items()
            for t in ([value] if key == "text" and isinstance(value, str) else _texts(value))
        ]
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    return []


def _assert_slack_safe(alert: Alert) -> None:
    payload = render_slack(alert)
    blocks = payload["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        limit = MAX_HEADER if block["type"] == "header" else MAX_SECTION
        for text in _texts(block):
            assert len(text) <= limit, (block["type"], len(text))
    for text in _texts(payload):
        assert not _LIVE.search(text), text[:200]
    assert len(payload["text"]) <= 40_000  # Slack truncates a message's text past 40,000 chars


def _assert_email_safe(alert: Alert) -> None:
    subject, body = subject_line(alert), render_email_text(alert)
    assert "\n" not in subject and "\r" not in subject, "a header injection in the subject"
    assert len(body) < 200_000


def _assert_webhook_faithful(alert: Alert) -> None:
    """The text arrives as written, markup and all, less control and bidi/zero-width
    characters."""
    body = render_webhook(alert, now=AT)
    data = json.loads(body)["data"]
    assert data["rationale"] == clean(alert.rationale)
    assert data["articles"][0]["title"] == clean(alert.articles[0].title)


@FUZZ
@given(s.hostile_text, s.hostile_text)
def test_hostile_text_renders_safely_on_every_channel(text: str, outlet: str) -> None:
    alert = _hostile_alert(text or "x", outlet or "o")
    _assert_slack_safe(alert)
    _assert_email_safe(alert)
    render_webhook(alert, now=AT)


def test_email_subject_has_no_control_characters() -> None:
    subject = subject_line(_hostile_alert("Talks\x08 resume \x1b[31m now", "Outlet"))
    assert not _CONTROLS.search(subject), repr(subject)


@FUZZ
@given(
    st.sampled_from(s.HOSTILE_SNIPPETS),
    st.sampled_from(
        [
            "javascript:alert(1)",
            "https://a.example/x|<!channel>",
            "https://a.example/>evil",
            "https://a.example/\n",
        ]
    ),
)
def test_hostile_links_never_become_live_slack_markup(text: str, url: str) -> None:
    _assert_slack_safe(_hostile_alert(text, "Outlet", url))


def test_a_one_megabyte_title_stays_within_slack_limits() -> None:
    alert = _hostile_alert(MEGABYTE_TITLE, "<!here>")
    _assert_slack_safe(alert)
    _assert_email_safe(alert)


def test_webhook_body_carries_hostile_markup_unchanged_but_no_controls() -> None:
    text = "<!channel> <https://evil|click> \u202eRTL\x00 <b>html</b>"
    _assert_webhook_faithful(_hostile_alert(text, "Outlet"))
    data = json.loads(render_webhook(_hostile_alert(text, "Outlet"), now=AT))["data"]
    assert data["rationale"] == "<!channel> <https://evil|click> RTL <b>html</b>"


_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}


@FUZZ
@given(s.hostile_url, s.hostile_text, s.hostile_text)
def test_hostile_links_and_text_forge_no_line_and_hide_nothing(
    url: str, text: str, outlet: str
) -> None:
    alert = _hostile_alert(text or "x", outlet or "o", url)
    body = render_email_text(alert)
    assert body.count("\n") == render_email_text(_hostile_alert("x", "o")).count("\n")
    assert not [c for c in body if c != "\n" and unicodedata.category(c) in _HIDDEN]
    payload = render_slack(alert)
    for text_ in _texts(payload):
        assert not [c for c in text_ if c != "\n" and unicodedata.category(c) in _HIDDEN]
    data = json.loads(render_webhook(alert, now=AT))["data"]
    for item in (*data["evidence"], *data["articles"]):
        assert all(unicodedata.category(c) not in _HIDDEN for v in item.values()
                   if isinstance(v, str) for c in v)  # fmt: skip
