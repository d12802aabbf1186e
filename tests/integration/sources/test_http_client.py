"""The shared HTTP client against a real local server: retries, limits, and what errors say."""

from __future__ import annotations

import socket

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tensionwatch.http import HttpClient, HttpError, parse_retry_after, redact
from tests.integration.sources.conftest import Stall


class RecordingSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


def client(sleep: RecordingSleep, **kwargs: object) -> HttpClient:
    return HttpClient(sleep=sleep, timeout=kwargs.pop("timeout", 2.0), **kwargs)  # type: ignore[arg-type]


def test_get_returns_body_and_sends_params_and_user_agent(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request(
        "/v2/everything", query_string={"q": "Japan Korea", "page": "2"}
    ).respond_with_json({"status": "ok"})
    resp = client(sleep).get(
        httpserver.url_for("/v2/everything"), params={"q": "Japan Korea", "page": "2"}
    )
    assert resp.status == 200
    assert resp.json() == {"status": "ok"}
    assert httpserver.log[0][0].headers["User-Agent"].startswith("TensionWatch/")


def test_server_error_then_success_is_retried_with_growing_backoff(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    for _ in range(2):
        httpserver.expect_ordered_request("/feed").respond_with_data("oops", status=503)
    httpserver.expect_ordered_request("/feed").respond_with_data("<rss/>")
    resp = client(sleep, backoff_base=1.0).get(httpserver.url_for("/feed"))
    assert resp.body == b"<rss/>"
    assert len(sleep.waits) == 2
    assert 0.5 <= sleep.waits[0] <= 1.0
    assert 1.0 <= sleep.waits[1] <= 2.0


def test_server_error_every_time_raises_after_max_retries(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request("/feed").respond_with_data("down", status=500)
    with pytest.raises(HttpError) as caught:
        client(sleep, max_retries=2).get(httpserver.url_for("/feed"))
    assert caught.value.reason == "server_error"
    assert caught.value.status == 500
    assert caught.value.recoverable
    assert len(httpserver.log) == 3
    assert len(sleep.waits) == 2


def test_zero_retries_means_one_attempt(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("down", status=502)
    with pytest.raises(HttpError):
        client(sleep, max_retries=0).post(httpserver.url_for("/hook"), body=b"{}")
    assert len(httpserver.log) == 1
    assert sleep.waits == []


@pytest.mark.parametrize("status", [429, 503])  # a 503 for maintenance says when, too
def test_retry_after_is_waited_instead_of_the_backoff(
    httpserver: HTTPServer, sleep: RecordingSleep, status: int
) -> None:
    httpserver.expect_ordered_request("/api").respond_with_data(
        "slow down", status=status, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/api").respond_with_json({"ok": True})
    assert client(sleep, backoff_base=0.01).get(httpserver.url_for("/api")).json() == {"ok": True}
    assert sleep.waits == [7.0]


@pytest.mark.parametrize(("status", "reason"), [(429, "rate_limited"), (503, "server_error")])
def test_retry_after_longer_than_max_backoff_raises_at_once(
    httpserver: HTTPServer, sleep: RecordingSleep, status: int, reason: str
) -> None:
    httpserver.expect_request("/api").respond_with_data(
        "", status=status, headers={"Retry-After": "3600"}
    )
    with pytest.raises(HttpError) as caught:
        client(sleep, max_backoff=30.0).get(httpserver.url_for("/api"))
    assert caught.value.reason == reason
    assert caught.value.retry_after == 3600.0
    assert sleep.waits == []
    assert len(httpserver.log) == 1


def test_client_error_is_not_retried(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request("/api").respond_with_json({"status": "error"}, status=401)
    with pytest.raises(HttpError) as caught:
        client(sleep).get(httpserver.url_for("/api"))
    assert caught.value.reason == "client_error"
    assert not caught.value.recoverable
    assert len(httpserver.log) == 1


def test_not_modified_is_a_response(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request("/feed", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", status=304
    )
    resp = client(sleep).get(httpserver.url_for("/feed"), headers={"If-None-Match": '"v1"'})
    assert resp.status == 304


def test_slow_server_times_out_and_is_retried(
    httpserver: HTTPServer, sleep: RecordingSleep, stall: Stall
) -> None:
    httpserver.expect_request("/slow").respond_with_handler(stall)
    with pytest.raises(HttpError) as caught:
        client(sleep, timeout=0.05, max_retries=1).get(httpserver.url_for("/slow"))
    assert caught.value.reason == "timeout"
    assert len(sleep.waits) == 1


def test_body_over_the_cap_is_too_large_and_not_retried(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 10_000_000)
    with pytest.raises(HttpError) as caught:
        client(sleep, max_body_bytes=5_000_000).get(httpserver.url_for("/big"))
    assert caught.value.reason == "too_large"
    assert not caught.value.recoverable
    assert sleep.waits == []


def test_chunked_body_over_the_cap_is_too_large(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    def chunks(request: Request) -> Response:
        return Response((b"y" * 65536 for _ in range(40)), direct_passthrough=True)

    httpserver.expect_request("/stream").respond_with_handler(chunks)
    with pytest.raises(HttpError) as caught:
        client(sleep, max_body_bytes=1_000_000).get(httpserver.url_for("/stream"))
    assert caught.value.reason == "too_large"


def test_truncated_json_is_malformed(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request("/api").respond_with_data(
        '{"articles": [{"url": "ht', content_type="application/json"
    )
    resp = client(sleep).get(httpserver.url_for("/api"))
    with pytest.raises(HttpError) as caught:
        resp.json()
    assert caught.value.reason == "malformed"


def test_refused_connection_is_a_network_error(sleep: RecordingSleep) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again at once: nothing listens there
    with pytest.raises(HttpError) as caught:
        client(sleep, max_retries=1).get(f"http://127.0.0.1:{port}/nothing")
    assert caught.value.reason == "network"
    assert len(sleep.waits) == 1


def test_redirect_is_followed_or_refused(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/new")}
    )
    httpserver.expect_request("/new").respond_with_data("here")
    assert client(sleep).get(httpserver.url_for("/old")).body == b"here"
    with pytest.raises(HttpError) as caught:
        client(sleep, follow_redirects=False).get(httpserver.url_for("/old"))
    assert caught.value.reason == "redirect"


@pytest.mark.parametrize("status", [401, 429, 500])
def test_error_messages_never_contain_the_query_string_or_key(
    httpserver: HTTPServer, sleep: RecordingSleep, status: int
) -> None:
    httpserver.expect_request("/v2/everything").respond_with_data("no", status=status)
    with pytest.raises(HttpError) as caught:
        client(sleep, max_retries=0).get(
            httpserver.url_for("/v2/everything"), params={"apiKey": "sekret-123", "q": "x"}
        )
    assert "sekret-123" not in str(caught.value)
    assert "apiKey" not in str(caught.value)
    assert "/v2/everything" in str(caught.value)


def test_timeout_message_never_contains_the_key(
    httpserver: HTTPServer, sleep: RecordingSleep, stall: Stall
) -> None:
    httpserver.expect_request("/s").respond_with_handler(stall)
    with pytest.raises(HttpError) as caught:
        client(sleep, timeout=0.05, max_retries=0).get(
            httpserver.url_for("/s"), params={"api-key": "sekret-456"}
        )
    assert "sekret-456" not in str(caught.value)
    assert caught.value.__cause__ is None


def test_redact_keeps_host_and_path_only() -> None:
    assert redact("https://user:pw@hooks.example.com/T0/B1?token=abc#x") == (
        "https://hooks.example.com/T0/B1"
    )


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("Mon, 02 Nov 2026 09:00:30 GMT", now) == 30.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_api_key_header_does_not_follow_a_redirect_to_another_host(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    other_host = httpserver.url_for("/new").replace("localhost", "127.0.0.1")
    if other_host == httpserver.url_for("/new"):
        other_host = httpserver.url_for("/new").replace("127.0.0.1", "localhost")
    httpserver.expect_request("/old").respond_with_data(
        "", status=302, headers={"Location": other_host}
    )
    httpserver.expect_request("/new").respond_with_data("moved")
    client(sleep).get(httpserver.url_for("/old"), headers={"X-Api-Key": "sekret-789"})
    # (filter by path: a slow request of an earlier test may still land in this log)
    old, new = (r for r, _ in httpserver.log if r.path in {"/old", "/new"})
    assert old.headers.get("X-Api-Key") == "sekret-789"
    assert new.headers.get("X-Api-Key") is None


@pytest.mark.parametrize(
    ("url_tail", "headers"),
    [
        ("/v2/everything", {"X-Api-Key": "sk-LeAkEd0042\n"}),  # a key read with its newline
        ("/v2/everything", {"X-Api-Key": "sk-LeAkEd0042\r\nX-Evil: 1"}),
        ("/v2/everything", {"X-Api-Key": "sk-LeAkEd0042\u0394"}),  # not latin-1 encodable
    ],
)
def test_a_request_http_client_refuses_is_an_http_error_without_its_text(
    httpserver: HTTPServer, sleep: RecordingSleep, url_tail: str, headers: dict[str, str]
) -> None:
    """http.client raises ValueError / UnicodeEncodeError quoting the header; the client must
    turn that into its own error with no cause attached, so no traceback can show it."""
    httpserver.expect_request("/v2/everything").respond_with_json({"status": "ok"})
    with pytest.raises(HttpError) as caught:
        client(sleep).get(httpserver.url_for("").rstrip("/") + url_tail, headers=headers)
    assert caught.value.reason == "invalid"
    assert not caught.value.recoverable
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert "sk-LeAkEd0042" not in str(caught.value)
    assert sleep.waits == []


class RecordingGate:
    """A Gate that records each attempt and each answer's Retry-After, in order."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def before(self) -> None:
        self.calls.append("before")

    def after(self, retry_after: float | None) -> None:
        self.calls.append(f"after {retry_after}")


def test_the_gate_sees_every_attempt_and_every_answer_retries_included(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_ordered_request("/api").respond_with_data("", status=429)
    httpserver.expect_ordered_request("/api").respond_with_data(
        "", status=503, headers={"Retry-After": "2"}
    )
    httpserver.expect_ordered_request("/api").respond_with_json({}, headers={"Retry-After": "9"})
    gate = RecordingGate()
    client(sleep, gate=gate).get(httpserver.url_for("/api"))
    assert gate.calls == ["before", "after None", "before", "after 2.0", "before", "after 9.0"]


def test_a_success_carries_its_retry_after(httpserver: HTTPServer, sleep: RecordingSleep) -> None:
    httpserver.expect_request("/api").respond_with_json({}, headers={"Retry-After": "60"})
    assert client(sleep).get(httpserver.url_for("/api")).retry_after == 60.0


def test_the_response_names_the_url_a_redirect_led_to(
    httpserver: HTTPServer, sleep: RecordingSleep
) -> None:
    httpserver.expect_request("/old/rss").respond_with_data(
        "", status=301, headers={"Location": "/feeds/world.xml"}
    )
    httpserver.expect_request("/feeds/world.xml").respond_with_data("<rss/>")
    response = client(sleep).get(httpserver.url_for("/old/rss"))
    assert response.url == httpserver.url_for("/feeds/world.xml")
    assert client(sleep).get(httpserver.url_for("/feeds/world.xml")).url.endswith("/world.xml")
