"""Digest renderers: within Slack's limits however many pairs, nothing dropped silently, news
text that forges nothing, and a webhook body that is the same on every retry."""

from __future__ import annotations

import json
import re

from tensionwatch.alerts.digest_email import digest_subject, render_digest_email
from tensionwatch.alerts.digest_slack import render_digest_slack
from tensionwatch.alerts.slack import MAX_BLOCKS, MAX_HEADER, MAX_SECTION
from tensionwatch.alerts.webhook import render_digest_webhook
from tensionwatch.digests.model import MAX_PAIRS
from tests.factories import make_digest

HOSTILE = "<!channel> Click <https://evil.example|here>\u202e\n\nFAKE: wire $1000 @here"


def texts(payload: dict[str, object]) -> list[str]:
    found: list[str] = []
    for block in payload["blocks"]:  # type: ignore[attr-defined]
        for key in ("text",):
            value = block.get(key)
            if isinstance(value, dict):
                found.append(value["text"])
        found += [element["text"] for element in block.get("elements", [])]
    return found


def counted_pairs(payload: dict[str, object]) -> int:
    """Pairs listed under "Every pair you follow", plus those the "… and N more" counts."""
    body = "\n".join(texts(payload))
    listed = len(re.findall(r"^`[A-Z]{2}-[A-Z]{2}`", body, flags=re.MULTILINE))
    more = re.search(r"… and (\d+) more pairs", body)
    return listed + (int(more[1]) if more else 0)


def test_a_digest_of_200_pairs_fits_slack_and_counts_every_pair() -> None:
    digest = make_digest(200, alerts=60, more_alerts=40, stories=8)
    payload = render_digest_slack(digest)
    blocks = payload["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    assert all(len(text) <= MAX_SECTION for text in texts(payload))
    assert len(blocks[0]["text"]["text"]) <= MAX_HEADER
    assert counted_pairs(payload) == 200
    assert "… and" in "\n".join(texts(payload)) and "more alerts" in "\n".join(texts(payload))


def test_pairs_past_the_digest_cap_are_counted_too() -> None:
    digest = make_digest(MAX_PAIRS, more_pairs=1000 - MAX_PAIRS)
    assert counted_pairs(render_digest_slack(digest)) == 1000
    email = render_digest_email(digest)
    assert f"… and {1000 - MAX_PAIRS} more pairs" in email


def test_a_quiet_period_is_one_line() -> None:
    digest = make_digest(12, alerts=0, stories=0, movers=(), quiet=True)
    payload = render_digest_slack(digest)
    assert len(payload["blocks"]) == 4  # header, the line, divider, footer
    assert "Nothing moved on your 12 pairs since Mon 2 Nov 09:00." in texts(payload)[1]
    email = render_digest_email(digest)
    assert email.splitlines()[0] == "Nothing moved on your 12 pairs since Mon 2 Nov 09:00."
    assert "Alerts" not in email


def test_times_read_in_the_subscribers_zone() -> None:
    digest = make_digest(timezone="America/New_York")
    assert "Tue 3 Nov 04:00 (America/New_York)" in render_digest_slack(digest)["text"]
    assert digest_subject(digest).startswith(
        "Tension Watch daily digest, Tue 3 Nov 04:00 (America/New_York): 1 alert, 3 pairs moved"
    )


def test_news_text_cannot_mention_link_or_forge_lines() -> None:
    digest = make_digest(title=HOSTILE)
    slack = json.dumps(render_digest_slack(digest))
    assert "<!channel>" not in slack and "<https://evil.example|here>" not in slack
    assert "\\u202e" not in slack and "\u202e" not in slack
    email = render_digest_email(digest)
    assert not any(line.startswith("FAKE") for line in email.splitlines())
    assert "\u202e" not in email
    subject = digest_subject(digest)
    assert subject.isascii() and len(subject) <= 100 and "\n" not in subject


def test_the_webhook_body_is_a_digest_event_with_the_same_bytes_on_every_retry() -> None:
    digest = make_digest(title=HOSTILE)
    body = render_digest_webhook(digest)
    assert body == render_digest_webhook(digest)
    event = json.loads(body)
    assert (event["type"], event["dataschema"]) == ("digest", "digest.v1")
    assert event["timestamp"] == "2026-11-03T09:00:00Z"
    assert "\u202e" not in event["data"]["stories"][0]["title"]
    assert "\n" not in event["data"]["stories"][0]["title"]
