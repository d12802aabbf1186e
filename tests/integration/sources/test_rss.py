"""RSS/Atom adapter: conditional GET, encodings, bozo feeds, missing links and dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from tensionwatch.http import HttpError
from tensionwatch.sources.base import Cursor
from tests.integration.sources.fixtures import NOW, RSS_FEED, RecordingSleep, rss

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<entry><title>Atom story</title><link href="https://atom.example/s1"/>
<updated>2026-11-02T06:00:00Z</updated><summary>Short</summary>
<content type="html">&lt;p&gt;Full &lt;i&gt;text&lt;/i&gt;&lt;/p&gt;</content></entry>
</feed>"""


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


def serve(httpserver: HTTPServer, body: bytes, content_type: str, **headers: str) -> str:
    httpserver.expect_request("/feed.xml").respond_with_data(
        body, content_type=content_type, headers=headers
    )
    return httpserver.url_for("/feed.xml")


def test_entries_are_normalised_and_problems_counted(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    feed = RSS_FEED.format(encoding="utf-8", first_title="Turkey and Greece resume talks")
    fetched = rss(serve(httpserver, feed.encode(), "application/rss+xml"), sleep).fetch(
        "feed", None, NOW
    )
    first, undated = fetched.articles
    assert first.canonical_url == "https://wire.example/a"
    assert first.summary == "Leaders met in Ankara."
    assert first.published_at == datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
    assert first.outlet == "Wire World" and first.language == "en"
    assert undated.published_at == NOW
    assert (fetched.rejected, fetched.undated) == (1, 1)


def test_validators_are_stored_and_304_keeps_the_cursor(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    feed = RSS_FEED.format(encoding="utf-8", first_title="x").encode()
    httpserver.expect_ordered_request("/feed.xml").respond_with_data(
        feed, headers={"ETag": '"v7"', "Last-Modified": "Mon, 02 Nov 2026 08:55:00 GMT"}
    )
    httpserver.expect_ordered_request(
        "/feed.xml",
        headers={"If-None-Match": '"v7"', "If-Modified-Since": "Mon, 02 Nov 2026 08:55:00 GMT"},
    ).respond_with_data("", status=304)
    source = rss(httpserver.url_for("/feed.xml"), sleep)
    first = source.fetch("feed", None, NOW)
    assert first.cursor.etag == '"v7"'
    second = source.fetch("feed", first.cursor, NOW)
    assert second.articles == []
    assert second.cursor == first.cursor


def test_declared_non_utf8_encoding_is_decoded(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    feed = RSS_FEED.format(encoding="iso-8859-1", first_title="Café talks in Genève")
    url = serve(httpserver, feed.encode("iso-8859-1"), "application/xml")
    fetched = rss(url, sleep).fetch("feed", None, NOW)
    assert fetched.articles[0].title == "Café talks in Genève"


def test_charset_from_content_type_is_used(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    feed = RSS_FEED.format(encoding="windows-1251", first_title="Переговоры в Анкаре")
    url = serve(httpserver, feed.encode("windows-1251"), "text/xml; charset=windows-1251")
    assert rss(url, sleep).fetch("feed", None, NOW).articles[0].title == "Переговоры в Анкаре"


def test_bozo_feed_still_yields_its_good_entries(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    broken = RSS_FEED.format(encoding="utf-8", first_title="Talks & more").replace(
        "</channel></rss>", "<item><title>cut off"
    )
    fetched = rss(serve(httpserver, broken.encode(), "application/rss+xml"), sleep).fetch(
        "feed", None, NOW
    )
    assert any(a.canonical_url == "https://wire.example/a" for a in fetched.articles)


def test_atom_content_becomes_the_body(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    url = serve(httpserver, ATOM.encode(), "application/atom+xml")
    (article,) = rss(url, sleep, outlet="Desk").fetch("feed", None, NOW).articles
    assert article.body == "Full text"
    assert article.outlet == "Desk"
    assert article.published_at == datetime(2026, 11, 2, 6, 0, tzinfo=UTC)


def test_a_page_that_is_no_feed_is_malformed(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    url = serve(httpserver, b"\x00\x01 not xml at all <<<", "text/html")
    with pytest.raises(HttpError) as caught:
        rss(url, sleep).fetch("feed", None, NOW)
    assert caught.value.reason == "malformed"


def test_ten_megabyte_feed_is_too_large(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    url = serve(httpserver, b"<rss>" + b" " * 10_000_000 + b"</rss>", "application/rss+xml")
    with pytest.raises(HttpError) as caught:
        rss(url, sleep).fetch("feed", Cursor("wire-world", "feed"), NOW)
    assert caught.value.reason == "too_large"


def test_relative_links_resolve_against_the_url_a_redirect_led_to(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    """A feed that moved: its relative links are relative to where it now lives."""
    feed = RSS_FEED.format(encoding="utf-8", first_title="x").replace(
        "https://wire.example/a?utm_medium=rss", "stories/a"
    )
    httpserver.expect_request("/rss").respond_with_data(
        "", status=301, headers={"Location": "/feeds/world/rss.xml"}
    )
    httpserver.expect_request("/feeds/world/rss.xml").respond_with_data(
        feed, content_type="application/rss+xml"
    )
    fetched = rss(httpserver.url_for("/rss"), sleep).fetch("feed", None, NOW)
    assert fetched.articles[0].url == httpserver.url_for("/feeds/world/stories/a")


@pytest.mark.parametrize(
    ("body", "content_type", "said"),
    [
        (b"<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>", "text/html", "HTML page"),
        (b"", "application/rss+xml", "empty body"),
    ],
)
def test_a_home_page_or_an_empty_answer_is_not_an_empty_feed(
    httpserver: HTTPServer, sleep: RecordingSleep, body: bytes, content_type: str, said: str
) -> None:
    with pytest.raises(HttpError, match=said) as caught:
        rss(serve(httpserver, body, content_type), sleep).fetch("feed", None, NOW)
    assert caught.value.reason == "malformed"
