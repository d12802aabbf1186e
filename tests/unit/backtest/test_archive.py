"""Archive lines: the Article model's fields, what the poll derives filled in the same way, and
a bad line refused alone with its number and the reason, never its text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tensionwatch.backtest.archive import ARCHIVE_SCHEMA, LineError, Numbered, read_lines
from tensionwatch.sources.urls import article_id, canonical_url

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "docs" / "archive.schema.json"
GOOD = {
    "title": "Japan and South Korea agree to mend ties",
    "url": "https://www.Example.com/news/1?utm_source=x",
    "published_at": "2019-11-22T09:00:00+09:00",
}


def line(**fields: object) -> bytes:
    return json.dumps({**GOOD, **fields}).encode()


def test_a_minimal_line_gets_what_the_poll_derives() -> None:
    [item] = read_lines([line()])
    assert isinstance(item, Numbered)
    article = item.article
    assert article.canonical_url == canonical_url(GOOD["url"]) == "https://example.com/news/1"
    assert article.id == article_id(article.canonical_url)
    assert (article.domain, article.outlet, article.source) == ("example.com",) * 2 + ("archive",)
    assert article.published_at.isoformat() == "2019-11-22T00:00:00+00:00"
    assert article.story_id is None  # the poll's matching decides


def test_given_fields_are_kept_and_text_is_cleaned_as_the_poll_cleans_it() -> None:
    [item] = read_lines([line(id="jpkr-001", outlet="Yonhap", summary="<p>Talks &amp; more</p>",
                              story_id="jpkr-000", label="thaw")])  # fmt: skip
    assert isinstance(item, Numbered)
    article = item.article
    assert (article.id, article.outlet, article.story_id) == ("jpkr-001", "Yonhap", "jpkr-000")
    assert article.summary == "Talks & more"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "Input should be an object"),
        (line(published_at=None), "published_at:"),
        (json.dumps({"title": "x", "url": "https://a.example/"}).encode(), "published_at:"),
        (
            line(published_at="2019-11-22T09:00:00"),
            "published_at: Value error, datetime must be timezone-aware",
        ),
        (line(url="javascript:alert(1)"), "url: not an absolute http(s) URL"),
        (line(url="https://a.example/ x"), "url: link holds whitespace"),
        (line(title=""), "title: String should have at least 1 character"),
        (b"\xff\xfe{}", "not valid JSON"),
    ],
)
def test_a_bad_line_says_its_number_and_why(raw: bytes, reason: str) -> None:
    [error] = read_lines([raw])
    assert isinstance(error, LineError)
    assert str(error).startswith("line 1: ")
    assert reason in str(error)


def test_a_bad_line_fails_alone_and_never_quotes_its_text() -> None:
    secret = "a very long headline that must not be echoed " * 5
    lines = [line(url="https://a.example/1"), line(title=secret, published_at="nope"), b"",
             line(url="https://a.example/3")]  # fmt: skip
    items = list(read_lines(lines))
    assert [type(i).__name__ for i in items] == ["Numbered", "LineError", "Numbered"]
    assert [i.number for i in items] == [1, 2, 4]
    assert "headline" not in str(items[1])


def test_the_documented_schema_is_the_models() -> None:
    assert json.loads(SCHEMA_FILE.read_text()) == ARCHIVE_SCHEMA
    assert set(ARCHIVE_SCHEMA["required"]) == {"title", "url", "published_at"}
