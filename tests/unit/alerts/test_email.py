"""The email renderer: plain text, rationale first, evidence and links, safe subject."""

from __future__ import annotations

from tensionwatch.alerts.email import render_email_text, subject_line
from tensionwatch.models import AlertArticle, AlertEvidence
from tests.factories import make_alert, wide_alert


def test_email_starts_with_the_rationale_and_lists_evidence_and_links() -> None:
    alert = make_alert("JP-KR", direction="thaw")
    text = render_email_text(alert)
    lines = text.splitlines()
    assert lines[0] == alert.rationale
    assert "[WARNING] JP-KR thawing" in lines
    assert "State: steady -> thawing" in lines
    assert '  - "agree to mend ties" (AGREE, +4.00) - Example Wire' in lines
    assert "    https://news.example.com/a" in lines
    assert "Support: 3 articles, 2 stories, 3 outlets in 24h" in lines
    assert text.endswith(f"Alert id: {alert.id}  Fired: 2026-11-02 09:00 UTC\n")


def test_news_text_stays_on_one_line_and_is_clipped() -> None:
    sentence = "Line one\nSubject: injected header\n" + "x" * 1000
    evidence = AlertEvidence(
        phrase="threat",
        sentence=sentence,
        category="THREATEN",
        weight=-7.0,
        article_url="https://e.example.com/1",
        outlet="E",
    )
    text = render_email_text(make_alert(direction="escalation", evidence=(evidence,)))
    quoted = [line for line in text.splitlines() if "injected" in line]
    assert len(quoted) == 1 and quoted[0].startswith("    Line one Subject: injected")
    assert len(quoted[0]) <= 304 and quoted[0].endswith("…")


def test_resolved_and_flash_titles() -> None:
    resolved = make_alert(
        kind="resolved", direction="escalation", state_before="escalating", severity="info"
    )
    assert "[INFO] JP-KR back to steady (was escalating)" in render_email_text(resolved)
    flash = make_alert(kind="flash", direction="escalation", severity="critical")
    assert "[CRITICAL] JP-KR flash escalation" in render_email_text(flash)


def test_subject_is_ascii_single_line_and_at_most_100_chars() -> None:
    alert = make_alert(rationale="JP-KR thawing: Präsident \u00e9 mend ties “quoted”… " + "y" * 200)
    subject = subject_line(alert)
    assert subject.isascii() and "\n" not in subject and len(subject) <= 100
    assert subject.startswith("[WARNING] JP-KR thawing: Prsident mend ties quoted... yyy")
    assert subject.endswith("y...")


def test_email_says_which_other_pairs_the_story_is_about() -> None:
    assert "Also about: BO-EC, EC-PE" in render_email_text(wide_alert()).splitlines()
    assert "lso about" not in render_email_text(make_alert())


def test_a_link_or_text_from_the_news_cannot_forge_a_line_or_hide_characters() -> None:
    """The review's example: a feed link with a newline, and a body full of ESC, NUL, bidi
    overrides and zero-width characters (stored before the sources refused such links)."""
    forged = "https://x.example/a\n\nFAKE: click https://evil.example"
    sentence = "Talks \x1b[31mresume\x00 \u202eeno\u202c \u200bnow\r\nFAKE: reply"
    alert = make_alert(
        evidence=(AlertEvidence(phrase="talks", sentence=sentence, category="CONSULT",
                                weight=2.0, article_url=forged, outlet="Wire\u2066"),),
        articles=(AlertArticle(title=sentence, url=forged, outlet="Wire",
                               published_at=make_alert().fired_at),),
    )  # fmt: skip
    body = render_email_text(alert)
    assert not any(line.startswith("FAKE") for line in body.splitlines())
    # the alert carries the link percent-encoded: inert text on its one line
    assert "    https://x.example/a%0A%0AFAKE:%20click%20https://evil.example" in body.splitlines()
    for hidden in ("\x1b", "\x00", "\r", "\u202e", "\u202c", "\u200b", "\u2066"):
        assert hidden not in body
    assert body.count("\n") == render_email_text(make_alert()).count("\n")
