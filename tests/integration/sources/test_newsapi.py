"""NewsAPI adapter against a local server answering like /v2/everything."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytest_httpserver import HTTPServer

from tensionwatch.http import HttpError
from tensionwatch.sources.base import Cursor, SourceError
from tensionwatch.sources.newsapi import _parse
from tests.integration.sources.conftest import Stall
from tests.integration.sources.fixtures import (
    KEY,
    NOW,
    RecordingSleep,
    newsapi,
    newsapi_article,
    newsapi_page,
)

PATH = "/v2/everything"


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


def test_pages_until_total_and_sends_key_in_header_only(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    for page, items in ((1, [0, 1]), (2, [2, 3]), (3, [4])):
        httpserver.expect_ordered_request(
            PATH, query_string={"q": "Japan AND Korea", "from": "2026-11-01T09:00:00Z",
                                "to": "2026-11-02T09:00:00Z", "sortBy": "publishedAt",
                                "pageSize": "2", "page": str(page)},
            headers={"X-Api-Key": KEY},
        ).respond_with_json(newsapi_page([newsapi_article(n) for n in items], total=5))  # fmt: skip
    fetched = newsapi(httpserver.url_for(""), sleep, page_size=2, max_pages=5).fetch(
        "jp-kr", None, NOW
    )
    assert len(fetched.articles) == 5
    assert all(KEY not in request.url for request, _ in httpserver.log)
    assert fetched.cursor == Cursor("newsapi", "jp-kr", since=NOW)


def test_articles_are_normalised(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request(PATH).respond_with_json(newsapi_page([newsapi_article(7)], 1))
    article = newsapi(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW).articles[0]
    assert article.canonical_url == "https://harbourtimes.example/world/fisheries-7"
    assert article.summary == "Officials met in Busan for round 7 of fisheries talks."
    assert article.body == "Negotiators from both sides met for round 7"
    assert article.outlet == "Harbour Times"
    assert article.published_at == NOW - timedelta(minutes=53)
    assert article.story_id == article.id


def test_cursor_window_starts_an_overlap_before_the_last_poll(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request(PATH, query_string={"q": "Japan AND Korea",
        "from": "2026-11-02T08:25:00Z", "to": "2026-11-02T09:00:00Z", "sortBy": "publishedAt",
        "pageSize": "100", "page": "1"}).respond_with_json(newsapi_page([], 0))  # fmt: skip
    cursor = Cursor("newsapi", "jp-kr", since=NOW - timedelta(minutes=5))
    assert newsapi(httpserver.url_for(""), sleep).fetch("jp-kr", cursor, NOW).articles == []


def test_upgrade_required_past_the_result_cap_keeps_earlier_pages(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_json(
        newsapi_page([newsapi_article(n) for n in range(2)], total=500)
    )
    httpserver.expect_ordered_request(PATH).respond_with_json(
        {"status": "error", "code": "maximumResultsReached", "message": "upgrade"}, status=426
    )
    source = newsapi(httpserver.url_for(""), sleep, page_size=2, max_pages=3, max_results=500)
    assert len(source.fetch("jp-kr", None, NOW).articles) == 2


def test_error_status_is_a_client_error_without_the_key(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request(PATH).respond_with_json(
        {"status": "error", "code": "apiKeyInvalid", "message": f"Your API key {KEY} is invalid"},
        status=401,
    )
    with pytest.raises(HttpError) as caught:
        newsapi(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW)
    assert caught.value.reason == "client_error"
    assert KEY not in str(caught.value)
    assert len(httpserver.log) == 1


def test_error_body_with_status_200_is_a_source_error(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request(PATH).respond_with_json(
        {"status": "error", "code": "rateLimited", "message": "slow down"}
    )
    with pytest.raises(SourceError, match="rateLimited"):
        newsapi(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW)


def test_rate_limit_waits_retry_after_then_succeeds(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "", status=429, headers={"Retry-After": "2"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_json(newsapi_page([newsapi_article(1)], 1))
    assert len(newsapi(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW).articles) == 1
    assert sleep.waits == [2.0]


def test_server_error_then_success(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data("bad gateway", status=502)
    httpserver.expect_ordered_request(PATH).respond_with_json(newsapi_page([newsapi_article(1)], 1))
    assert len(newsapi(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW).articles) == 1
    assert len(sleep.waits) == 1


def test_truncated_json_is_malformed(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        '{"status": "ok", "totalResults": 3, "articles": [{"title": "Ja',
        content_type="application/json",
    )
    with pytest.raises(HttpError) as caught:
        newsapi(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW)
    assert caught.value.reason == "malformed"


def test_slow_api_times_out(httpserver: HTTPServer, sleep: RecordingSleep, stall: Stall) -> None:
    httpserver.expect_request(PATH).respond_with_handler(stall)
    source = newsapi(httpserver.url_for(""), sleep, timeout_seconds=0.05, max_retries=0)
    with pytest.raises(HttpError) as caught:
        source.fetch("jp-kr", None, NOW)
    assert caught.value.reason == "timeout"


def test_entries_without_link_are_rejected_and_without_date_get_now(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request(PATH).respond_with_json(
        newsapi_page(
            [newsapi_article(1, url=None), newsapi_article(2, publishedAt=None),
             newsapi_article(3, url="javascript:void(0)"), newsapi_article(4)],
            total=4,
        )
    )  # fmt: skip
    fetched = newsapi(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW)
    assert fetched.rejected == 2
    assert fetched.undated == 1
    assert [a.published_at == NOW for a in fetched.articles] == [True, False]


def test_empty_result(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request(PATH).respond_with_json(newsapi_page([], 0))
    fetched = newsapi(httpserver.url_for(""), sleep, max_pages=3).fetch("jp-kr", None, NOW)
    assert fetched.articles == []
    assert len(httpserver.log) == 1


def test_an_ok_page_whose_articles_key_was_renamed_is_malformed() -> None:
    with pytest.raises(SourceError) as raised:
        _parse({"status": "ok", "totalResults": 3, "items": []})
    assert raised.value.reason == "malformed"
    assert _parse({"status": "ok", "totalResults": 0, "articles": []}).articles == []


def removed_placeholder(**overrides: object) -> dict[str, object]:
    """What NewsAPI leaves where an article was withdrawn (its shape in public captures)."""
    return {"source": {"id": None, "name": "[Removed]"}, "author": None, "title": "[Removed]",
            "description": "[Removed]", "url": "https://removed.com", "urlToImage": None,
            "publishedAt": "1970-01-01T00:00:00Z", "content": "[Removed]", **overrides}  # fmt: skip


def test_removed_placeholders_are_dropped_and_counted(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    items = [newsapi_article(1), removed_placeholder(),
             removed_placeholder(publishedAt="2026-11-02T07:00:00Z"),
             newsapi_article(2, title="[Removed]")]  # fmt: skip
    httpserver.expect_request(PATH).respond_with_json(newsapi_page(items, 4))
    fetched = newsapi(httpserver.url_for(""), sleep).fetch("jp-kr", None, NOW)
    assert [a.canonical_url for a in fetched.articles] == [
        "https://harbourtimes.example/world/fisheries-1"
    ]
    assert (fetched.removed, fetched.rejected, fetched.undated) == (3, 0, 0)


def test_articles_take_the_language_their_query_asked_for(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request(PATH, query_string={"q": "Japan AND Korea",
        "from": "2026-11-01T09:00:00Z", "to": "2026-11-02T09:00:00Z", "sortBy": "publishedAt",
        "pageSize": "100", "page": "1", "language": "fr"}).respond_with_json(
        newsapi_page([newsapi_article(1)], 1))  # fmt: skip
    queries = [{"id": "jp-kr", "q": "Japan AND Korea", "language": "fr"}]
    [article] = (
        newsapi(httpserver.url_for(""), sleep, queries=queries).fetch("jp-kr", None, NOW).articles
    )
    assert article.language == "fr"
