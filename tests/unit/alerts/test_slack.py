"""Slack rendering: the golden message, Slack's limits, and hostile text made inert."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tensionwatch.alerts.slack import MAX_BLOCKS, render_slack
from tensionwatch.models import AlertArticle, AlertEvidence
from tests.factories import T0, make_alert, wide_alert

GOLDEN = Path(__file__).parent / "golden" / "slack_alert.json"


def _texts(payload: dict[str, Any]) -> list[str]:
    """Every text string in the payload, fallback included."""
    found: list[str] = [payload["text"]]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload["blocks"])
    return found


def _evidence(n: int, sentence: str = "Officials agreed to resume talks. " * 3) -> tuple:
    return tuple(
        AlertEvidence(phrase="agreed", sentence=f"{i}: {sentence}", category="AGREE",
                      weight=3.0, article_url=f"https://news.example.com/{i}", outlet=f"Wire {i}")
        for i in range(n)
    )  # fmt: skip


def test_golden_message() -> None:
    payload = render_slack(make_alert())
    if not GOLDEN.exists():  # regenerate by deleting the file; review the diff like code
        GOLDEN.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        pytest.fail("golden payload written: review it and run again")
    assert payload == json.loads(GOLDEN.read_text())


def test_header_names_pair_and_direction_with_emoji() -> None:
    header = render_slack(make_alert("CN-US", direction="escalation"))["blocks"][0]
    assert header["type"] == "header"
    assert header["text"]["text"].startswith("⚠️ CN-US escalation")


def test_test_notifications_are_marked_in_header_text_and_footer() -> None:
    payload = render_slack(make_alert(), test=True)
    assert "[TEST]" in payload["blocks"][0]["text"]["text"]
    assert payload["text"].startswith("[TEST]")
    assert "test notification" in payload["blocks"][-1]["elements"][0]["text"]


def test_many_long_quotes_stay_within_slack_limits_and_say_how_many_were_left_out() -> None:
    articles = tuple(
        AlertArticle(title="T" * 400, url=f"https://news.example.com/{i}", outlet="Wire",
                     published_at=T0)
        for i in range(80)
    )  # fmt: skip
    alert = make_alert(evidence=_evidence(120, "x" * 5000), articles=articles,
                       rationale="r" * 4000)  # fmt: skip
    payload = render_slack(alert)
    blocks = payload["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    assert len(blocks[0]["text"]["text"]) <= 150
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(text) <= 3000 for text in sections)
    assert len(payload["text"]) <= 3000
    texts = _texts(payload)
    assert any("… and 115 more quotes" in t for t in texts)  # the alert keeps 5 of 120
    assert any(re.search(r"… and \d+ more$", t) for t in sections)


def test_hostile_titles_and_quotes_render_inert() -> None:
    hostile = "<!channel> read <https://evil.example|click> & win"
    alert = make_alert(
        rationale=hostile,
        evidence=(AlertEvidence(phrase="x", sentence=hostile, category="<!here>", weight=1.0,
                                article_url="https://news.example.com/a|<!channel>",
                                outlet="<@U123>"),),
        articles=(AlertArticle(title=hostile, url="javascript:alert(1)", outlet="<!everyone>",
                               published_at=T0),),
    )  # fmt: skip
    for text in _texts(render_slack(alert)):
        for bad in ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<https://evil"):
            assert bad not in text
        assert "<javascript:" not in text  # only http(s) URLs become links
    quote = render_slack(alert)["blocks"][3]["text"]["text"]
    assert "&lt;!channel&gt; read &lt;https://evil.example|click&gt; &amp; win" in quote
    assert "<https://news.example.com/a%7C%3C!channel%3E|&lt;@U123&gt;>" in quote


def test_slack_says_which_other_pairs_the_story_is_about() -> None:
    texts = _texts(render_slack(wide_alert()))
    assert "also about: BO-EC, EC-PE" in texts
    assert not [t for t in _texts(render_slack(make_alert())) if "also about" in t]


def _mrkdwn(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        own = [node] if node.get("type") == "mrkdwn" else []
        return own + [found for value in node.values() for found in _mrkdwn(value)]
    if isinstance(node, list):
        return [found for value in node for found in _mrkdwn(value)]
    return []


def test_an_at_channel_headline_is_never_parsed_as_a_mention() -> None:
    """`verbatim` on every mrkdwn object: Slack leaves "@channel" and "@here" as text."""
    alert = make_alert(rationale="@channel @here: talks collapse",
                       articles=(AlertArticle(title="@everyone read this", url="https://a.example/x",
                                              outlet="@here", published_at=T0),))  # fmt: skip
    objects = _mrkdwn(render_slack(alert)["blocks"])
    assert objects and all(obj.get("verbatim") is True for obj in objects)


def test_control_and_bidi_characters_from_the_news_are_dropped() -> None:
    sneaky = "Talks \x1b[31mresume\x00 \u202eeno\u202c\u200b now\nFAKE"
    article = AlertArticle(title=sneaky, url="https://a.example/x\u202e", outlet="W\u2066",
                           published_at=T0)  # fmt: skip
    alert = make_alert(rationale=sneaky, articles=(article,))
    for text in _texts(render_slack(alert)):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200b]", text)


def test_a_link_urllib_cannot_read_is_shown_as_its_label() -> None:
    alert = make_alert(articles=(AlertArticle(title="Talks", url="https://news[example/a",
                                              outlet="Wire", published_at=T0),))  # fmt: skip
    assert any("• Talks — Wire" in text for text in _texts(render_slack(alert)))
