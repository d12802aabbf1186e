"""HTML stripping, caps and timestamps shared by the adapters."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tensionwatch.sources.text import _TextExtractor, clip, parse_iso, plain_text


def test_html_is_reduced_to_visible_text() -> None:
    markup = (
        "<p>Seoul &amp; Tokyo <b>agree</b> to talks.</p><script>track()</script>"
        "<style>p{}</style><p>Second&nbsp;para</p>"
    )
    assert plain_text(markup, 200) == "Seoul & Tokyo agree to talks. Second para"


def test_entities_without_tags_are_unescaped() -> None:
    assert plain_text("Talks &quot;resume&quot;", 100) == 'Talks "resume"'


def test_caps_cut_at_a_word_boundary() -> None:
    assert clip("one two three four", 9) == "one two"
    assert len(plain_text("word " * 1000, 50)) <= 50


def test_empty_markup_is_empty() -> None:
    assert plain_text(None, 10) == ""


def test_iso_timestamps_become_utc() -> None:
    assert parse_iso("2026-11-02T10:00:00+01:00") == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert parse_iso("2026-11-02T09:00:00Z") == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert parse_iso("2026-11-02T09:00:00") == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert parse_iso("yesterday") is None
    assert parse_iso(None) is None


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("ab &;<>\t\n\xa0\u2028 é")), max_size=40),
       st.integers(1, 50))  # fmt: skip
def test_plain_text_reads_as_the_general_clean_up(text: str, limit: int) -> None:
    # the clean-up spelt out: markup's visible text, else entities read; whitespace collapsed
    if "<" in text:
        extractor = _TextExtractor()
        extractor.feed(text)
        extractor.close()
        visible = "".join(extractor.parts)
    else:
        visible = html.unescape(text)
    assert plain_text(text, limit) == clip(re.sub(r"\s+", " ", visible).strip(), limit)
