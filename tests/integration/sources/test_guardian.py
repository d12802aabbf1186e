"""Guardian adapter against a local server answering like the content API's /search."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from tensionwatch.http import HttpError
from tensionwatch.sources.base import SourceError
from tensionwatch.sources.guardian import _parse
from tests.integration.sources.fixtures import (
    KEY,
    NOW,
    RecordingSleep,
    guardian,
    guardian_page,
    guardian_result,
)


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


def test_pages_with_fields_and_strips_trail_markup(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    for page in (1, 2):
        httpserver.expect_ordered_request(
            "/search",
            query_string={"q": "sanctions", "from-date": "2026-11-01",
                          "to-date": "2026-11-02", "order-by": "newest",
                          "show-fields": "trailText,bodyText", "page-size": "50",
                          "page": str(page), "api-key": KEY},
        ).respond_with_json(guardian_page([guardian_result(page)], page, pages=2))  # fmt: skip
    fetched = guardian(httpserver.url_for(""), sleep, max_pages=3).fetch("world", None, NOW)
    assert [a.title for a in fetched.articles] == [
        "EU weighs new sanctions package 1",
        "EU weighs new sanctions package 2",
    ]
    assert fetched.articles[0].summary == "Ministers split on timing"
    assert fetched.articles[0].outlet == "The Guardian"
    assert fetched.articles[0].domain == "theguardian.com"


def test_max_pages_bounds_the_requests(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request("/search").respond_with_json(
        guardian_page([guardian_result(1)], 1, pages=9)
    )
    guardian(httpserver.url_for(""), sleep, max_pages=2).fetch("world", None, NOW)
    assert len(httpserver.log) == 2


def test_error_envelope_is_a_source_error(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request("/search").respond_with_json(
        {"response": {"status": "error", "message": "Invalid date"}}
    )
    with pytest.raises(SourceError):
        guardian(httpserver.url_for(""), sleep).fetch("world", None, NOW)


def test_bad_key_is_a_client_error_that_never_shows_it(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request("/search").respond_with_json({"message": "Unauthorized"}, status=401)
    with pytest.raises(HttpError) as caught:
        guardian(httpserver.url_for(""), sleep).fetch("world", None, NOW)
    assert caught.value.reason == "client_error"
    assert KEY not in str(caught.value)


def test_wrong_shape_is_malformed(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request("/search").respond_with_json({"results": []})
    with pytest.raises(SourceError) as caught:
        guardian(httpserver.url_for(""), sleep).fetch("world", None, NOW)
    assert caught.value.reason == "malformed"


def test_an_ok_envelope_whose_results_key_was_renamed_is_malformed() -> None:
    envelope = {"status": "ok", "total": 0, "pages": 0, "currentPage": 1}
    with pytest.raises(SourceError) as raised:
        _parse({"response": {**envelope, "items": []}})
    assert raised.value.reason == "malformed"
    assert _parse({"response": {**envelope, "results": []}}).results == []
