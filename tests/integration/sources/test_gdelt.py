"""GDELT DOC 2.0 adapter against a local server answering like ArtList JSON."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from tensionwatch.http import HttpError
from tests.integration.sources.fixtures import NOW, RecordingSleep, gdelt, gdelt_article

PATH = "/api/v2/doc/doc"


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


def test_artlist_is_normalised_with_seendate_and_language(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request(
        PATH,
        query_string={"query": "(Japan Korea)", "mode": "ArtList", "format": "json",
                      "maxrecords": "250", "sort": "DateDesc",
                      "startdatetime": "20261101090000", "enddatetime": "20261102090000"},
    ).respond_with_json(
        {"articles": [gdelt_article(1), gdelt_article(2, language="Korean")]}
    )  # fmt: skip
    fetched = gdelt(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW)
    first, second = fetched.articles
    assert first.published_at == datetime(2026, 11, 2, 8, 15, tzinfo=UTC)
    assert first.language == "en" and second.language == "ko"
    assert first.outlet == "northwire.example"
    assert first.summary == "" and first.body == ""
    assert httpserver.log[0][0].headers["User-Agent"].startswith("TensionWatch/")


def test_requests_are_paced_five_seconds_apart(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request(PATH).respond_with_json({"articles": []})
    source = gdelt(httpserver.url_for(""), sleep)
    source.fetch("jp-kr", None, NOW)
    source.fetch("us-cn", None, NOW)
    assert len(sleep.waits) == 1
    assert 4.5 < sleep.waits[0] <= 5.0


def test_html_error_page_with_status_200_is_malformed(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        "<html><body>Your search contained a keyword that was too short.</body></html>",
        content_type="text/html",
    )
    with pytest.raises(HttpError, match="too short") as caught:
        gdelt(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW)
    assert caught.value.reason == "malformed"


def test_empty_answer_means_no_articles(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request(PATH).respond_with_data("", content_type="application/json")
    assert gdelt(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW).articles == []


def test_ten_megabyte_body_is_too_large(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        b'{"articles": [' + b" " * 10_000_000 + b"]}", content_type="application/json"
    )
    with pytest.raises(HttpError) as caught:
        gdelt(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW)
    assert caught.value.reason == "too_large"


def test_bad_seendate_gets_the_poll_time(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request(PATH).respond_with_json(
        {"articles": [gdelt_article(1, seendate="yesterday"), gdelt_article(2, url="")]}
    )
    fetched = gdelt(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW)
    assert [a.published_at for a in fetched.articles] == [NOW]
    assert (fetched.undated, fetched.rejected) == (1, 1)
