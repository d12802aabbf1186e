"""GDELT DOC 2.0 adapter against a local server answering like ArtList JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from tensionwatch.http import HttpError
from tests.integration.sources.fixtures import NOW, RecordingSleep, gdelt, gdelt_article

PATH = "/api/v2/doc/doc"
# What GDELT answers, as plain text, when a client asks too often (public client fixtures).
THROTTLED = "Please limit requests to one every 5 seconds or contact the GDELT team."


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


def test_one_invalid_escape_among_250_records_rejects_that_record_only(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    records = [json.dumps(gdelt_article(n)) for n in range(250)]
    records[117] = records[117].replace("Seoul and Tokyo", "Wall Street \\q Seoul and Tokyo")
    body = '{"articles": [' + ",\n".join(records) + "]}"
    httpserver.expect_request(PATH).respond_with_data(body, content_type="application/json")
    fetched = gdelt(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW)
    assert len(fetched.articles) == 249 and fetched.rejected == 1
    assert "https://www.northwire.example/asia/117" not in {a.url for a in fetched.articles}
    assert fetched.cursor.since == NOW


def test_a_record_of_the_wrong_shape_is_rejected_and_the_rest_kept(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request(PATH).respond_with_json(
        {"articles": [gdelt_article(1), {"url": ["not", "a", "string"]}, "text", gdelt_article(2)]}
    )
    fetched = gdelt(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW)
    assert (len(fetched.articles), fetched.rejected) == (2, 2)


def test_a_cut_off_answer_still_fails_whole(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    body = json.dumps({"articles": [gdelt_article(n) for n in range(5)]})
    httpserver.expect_request(PATH).respond_with_data(body[: len(body) // 2])
    with pytest.raises(HttpError) as caught:
        gdelt(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW)
    assert caught.value.reason == "malformed"


@pytest.mark.parametrize("status", [200, 429])
def test_the_throttle_notice_is_rate_limited_not_malformed(
    httpserver: HTTPServer, sleep: RecordingSleep, status: int
) -> None:
    httpserver.expect_request(PATH).respond_with_data(THROTTLED, status=status)
    with pytest.raises(HttpError) as caught:
        gdelt(httpserver.url_for(""), sleep, max_retries=0).fetch("jp-kr", None, NOW)
    assert caught.value.reason == "rate_limited" and caught.value.recoverable


def test_retries_after_a_429_keep_five_seconds_apart(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    """`sleep` is also the adapter's clock: time passes only in its waits."""
    for _ in range(2):
        httpserver.expect_ordered_request(PATH).respond_with_data(THROTTLED, status=429)
    httpserver.expect_ordered_request(PATH).respond_with_json({"articles": [gdelt_article(1)]})
    source = gdelt(httpserver.url_for(""), sleep)
    assert len(source.fetch("jp-kr", None, NOW).articles) == 1
    assert source.pacer.requests == 3
    assert sum(sleep.waits) == pytest.approx(10.0)  # backoff topped up to the interval, twice


def test_spaced_out_titles_are_joined(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request(PATH).respond_with_json(
        {"articles": [gdelt_article(1, title="U . S . imposes sanctions on China ' s banks")]}
    )
    [article] = gdelt(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW).articles
    assert article.title == "U.S. imposes sanctions on China's banks"
