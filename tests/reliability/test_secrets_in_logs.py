"""During failures, secrets never reach the logs: news API keys (in a header and in a query
string), a Slack webhook URL's path token, a webhook signing secret (whsec_) and a
subscription's target URL, with every log line captured at DEBUG through the real poll, API and
deliver handlers on the offline stack."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import moto
import pytest
from aws_lambda_powertools.utilities import parameters
from pytest_httpserver import HTTPServer
from werkzeug import Response

from tensionwatch.config import poll_settings
from tensionwatch.handlers import poll
from tensionwatch.local.lambda_events import http_api_event, sqs_event
from tensionwatch.local.runner import Runner, SimClock
from tensionwatch.local.stack import REGION, build_stack
from tensionwatch.store.subscriptions import SubscriptionStore
from tensionwatch.subscriptions import Subscription
from tests.factories import make_alert
from tests.integration.poll_tick import tick_and_work
from tests.integration.sources.fixtures import guardian_page, guardian_result, newsapi_page

SLACK_TOKEN = "XoXbSeCrEtPaThToKeN1234"  # the part of a Slack webhook URL that grants posting
ENV = {"POWERTOOLS_LOG_LEVEL": "DEBUG", "ALLOW_HTTP_TARGETS": "true"}


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.getMessage()} {json.dumps(record.__dict__, default=str)}")


@pytest.fixture
def captured() -> Iterator[Capture]:
    """Every record of every logger the project creates, whatever level an import left set
    (not botocore's own DEBUG wire logs, which no deployed function enables)."""
    capture = Capture()
    service = os.environ.get("POWERTOOLS_SERVICE_NAME", "")
    loggers = [
        logging.getLogger(name)
        for name in list(logging.root.manager.loggerDict)
        if name.startswith((service, "tensionwatch"))
    ]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(capture)
        lg.setLevel(logging.DEBUG)
    yield capture
    for lg, level in saved:
        lg.removeHandler(capture)
        lg.setLevel(level)


def _failing_subscribers(httpserver: HTTPServer, runner: Runner, **body: Any) -> list[str]:
    """A Slack target answering 500 and a webhook answering 503, subscribed through the API
    with `body`; returns what must never be logged: the Slack token and the webhook secret."""
    httpserver.expect_request(f"/services/T0/B0/{SLACK_TOKEN}").respond_with_data("no", 500)
    httpserver.expect_request("/hook").respond_with_data("down", 503)
    slack_url = httpserver.url_for(f"/services/T0/B0/{SLACK_TOKEN}")
    secrets = [SLACK_TOKEN]
    for channel, target in (("slack", slack_url), ("webhook", httpserver.url_for("/hook"))):
        request = {"channel": channel, "target": target, **body}
        answer = runner.invoke("ApiFunction", http_api_event("POST", "/subscriptions", request))
        assert answer["statusCode"] == 201, answer
        secrets += [json.loads(answer["body"]).get("secret") or SLACK_TOKEN]
    return secrets


def test_failing_deliveries_log_reasons_but_no_secret_or_target(
    httpserver: HTTPServer, captured: Capture
) -> None:
    stdout = io.StringIO()
    with moto.mock_aws(), redirect_stdout(stdout):
        stack = build_stack()
        env = {**ENV, "TARGET_PORTS": str(httpserver.port)}
        runner = Runner(stack, SimClock(datetime(2026, 11, 2, tzinfo=UTC)), overrides={"*": env})
        secrets = _failing_subscribers(httpserver, runner, filter={})
        listed = runner.invoke("ApiFunction", http_api_event("GET", "/subscriptions"))
        message = {
            "MessageId": str(uuid.uuid4()),
            "ReceiptHandle": "r",
            "Attributes": {
                "ApproximateReceiveCount": "1",
                "SentTimestamp": "1",
                "ApproximateFirstReceiveTimestamp": "1",
                "SenderId": "x",
            },
            "Body": make_alert().model_dump_json(),
        }
        event = sqs_event([message], stack.queue_arns["DeliveryQueue"], REGION)
        result = runner.invoke("DeliverFunction", event)
    assert result["batchItemFailures"], "both receivers failed: the record must be retried"
    assert secrets[2].startswith("whsec_")
    output = stdout.getvalue() + "\n".join(captured.lines)
    assert "delivery failed" in output, "the failures themselves must be visible in the logs"
    for secret in secrets:
        assert secret not in output
        assert secret not in listed["body"]
    assert "/hook" not in output.replace('"/hook"', ""), "a webhook target URL reached the logs"


def test_failing_digests_log_reasons_but_no_secret_or_target(
    httpserver: HTTPServer, captured: Capture
) -> None:
    daily = {"mode": "digest", "digest": {"at": "00:00", "timezone": "UTC"}}
    stdout = io.StringIO()
    with moto.mock_aws(), redirect_stdout(stdout):
        stack = build_stack()
        env = {**ENV, "TARGET_PORTS": str(httpserver.port)}
        runner = Runner(stack, SimClock(datetime.now(UTC)), overrides={"*": env})
        secrets = _failing_subscribers(httpserver, runner, delivery=daily)
        tick = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        planned = runner.invoke("DigestFunction", {"scheduled_time": tick})
        runner.drain()  # every receive fails: retried, then parked in the DigestDLQ
    assert planned["queued"] == 4, "two days of digests for two subscriptions"
    output = stdout.getvalue() + "\n".join(captured.lines)
    assert "delivery failed" in output, "the failures themselves must be visible in the logs"
    for secret in secrets:
        assert secret not in output
    assert "/hook" not in output.replace('"/hook"', ""), "a webhook target URL reached the logs"


NEWS_KEY = "nEwSaPiKeY5ecret77"  # sent in a header
GUARDIAN_KEY = "gUaRdIaNkEy5ecret99"  # sent in the query string (the Guardian's API wants it so)
POLL_SOURCES = """
[[sources]]
name = "newsapi"
kind = "newsapi"
base_url = "{base}"
api_key_parameter = "/tw/newsapi-key"
max_retries = 0
queries = [{{ id = "jp-kr", q = "Japan AND Korea" }}]

[[sources]]
name = "guardian"
kind = "guardian"
base_url = "{base}"
api_key_parameter = "/tw/guardian-key"
max_retries = 0
min_interval_seconds = 0
queries = [{{ id = "world", q = "sanctions" }}]
"""
ECHO = f"key {NEWS_KEY} / {GUARDIAN_KEY} rejected"  # what a careless server says back


def _poll(
    httpserver: HTTPServer, stored: str, base: str | None = None, runs: int = 1
) -> dict[str, Any]:
    """`runs` runs of the poll handler (the last one's result) with both keys stored as
    `stored` (a format string)."""
    with moto.mock_aws():
        stack = build_stack()
        ssm = boto3.client("ssm", region_name=REGION)
        base = base or httpserver.url_for("").rstrip("/")
        ssm.put_parameter(Name="/tw/sources", Type="String", Value=POLL_SOURCES.format(base=base))
        for name, key in (("/tw/newsapi-key", NEWS_KEY), ("/tw/guardian-key", GUARDIAN_KEY)):
            ssm.put_parameter(Name=name, Type="SecureString", Value=stored.format(key))
        env = {**stack.functions["PollFunction"].environment, "SOURCES_PARAMETER": "/tw/sources",
               "POWERTOOLS_LOG_LEVEL": "DEBUG"}  # fmt: skip
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            parameters.clear_caches()
            poll_settings.cache_clear()
            poll.pipeline.cache_clear()
            try:
                for _ in range(runs):
                    result = tick_and_work({})
                return result
            finally:
                poll.pipeline.cache_clear()
                poll_settings.cache_clear()
                parameters.clear_caches()


def _serve(httpserver: HTTPServer, answer: Response) -> None:
    httpserver.expect_request("/v2/everything").respond_with_response(answer)
    httpserver.expect_request("/search").respond_with_response(answer)


@pytest.mark.parametrize(
    ("stored", "answer", "reason"),
    [
        ("{}\nX", Response("unused"), "config"),  # a line break left inside the key
        ("{}\x1b[2J", Response("unused"), "config"),
        ("{}\u0394", Response("unused"), "config"),  # not ASCII: cannot go into a header
        ("{}", Response(json.dumps({"status": "error", "message": ECHO}), 401), "client_error"),
        ("{}", Response(ECHO, 500), "server_error"),
        ("{}", Response(ECHO, 200, content_type="application/json"), "malformed"),
        ("{}", Response("[" * 100_000 + ECHO, 200), "malformed"),  # deeper than json can go
        # a wait longer than a poll: refused at once, the source then skipped until it passes
        ("{}", Response(ECHO, 429, headers={"Retry-After": "3600"}), "rate_limited"),
        ("{}", Response(ECHO, 503, headers={"Retry-After": "7200"}), "server_error"),
    ],
    ids=[
        "newline-inside",
        "escape-inside",
        "non-ascii",
        "401-echo",
        "500-echo",
        "not-json",
        "too-deep",
        "429-retry-after-echo",
        "503-retry-after-echo",
    ],
)
def test_failing_polls_never_log_an_api_key(
    httpserver: HTTPServer,
    captured: Capture,
    capsys: pytest.CaptureFixture[str],
    stored: str,
    answer: Response,
    reason: str,
) -> None:
    _serve(httpserver, answer)
    result = _poll(httpserver, stored)
    assert result["failures"].get("newsapi/jp-kr") == reason, result
    output = capsys.readouterr().out + "\n".join(captured.lines) + json.dumps(result)
    assert "source failed" in output, "the failure itself must be visible in the logs"
    assert NEWS_KEY not in output and GUARDIAN_KEY not in output


def test_a_key_stored_with_its_trailing_newline_is_used_without_it(
    httpserver: HTTPServer, captured: Capture
) -> None:
    """`aws ssm put-parameter --value file://key.txt` keeps the file's newline."""
    httpserver.expect_request("/v2/everything", headers={"X-Api-Key": NEWS_KEY}).respond_with_json(
        newsapi_page([], total=0)
    )
    httpserver.expect_request("/search").respond_with_json(
        guardian_page([guardian_result(1)], 1, 1)
    )
    result = _poll(httpserver, "{}\n")
    assert result["failures"] == {}
    assert NEWS_KEY not in "\n".join(captured.lines)


def test_a_wait_the_api_asks_for_is_waited_and_logged_without_a_key(
    httpserver: HTTPServer, captured: Capture, capsys: pytest.CaptureFixture[str]
) -> None:
    """A success asking for an hour's pause: the next poll skips both sources, saying why."""
    waits = {"Retry-After": "3600"}
    httpserver.expect_request("/v2/everything").respond_with_json(
        newsapi_page([], 0), headers=waits
    )
    httpserver.expect_request("/search").respond_with_json(guardian_page([], 1, 1), headers=waits)
    result = _poll(httpserver, "{}", runs=2)
    assert {name: why.split()[0] for name, why in result["skipped"].items()} == {
        "newsapi": "retry_after",
        "guardian": "retry_after",
    }
    output = capsys.readouterr().out + "\n".join(captured.lines) + json.dumps(result)
    assert "source skipped" in output
    assert NEWS_KEY not in output and GUARDIAN_KEY not in output


def test_an_unreachable_source_never_logs_its_key(
    captured: Capture, httpserver: HTTPServer
) -> None:
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    result = _poll(httpserver, "{}", base=f"http://127.0.0.1:{port}")
    assert result["failures"] == {"newsapi/jp-kr": "network", "guardian/world": "network"}
    assert GUARDIAN_KEY not in "\n".join(captured.lines) + json.dumps(result)


def test_an_unexpected_source_error_is_logged_by_type_not_by_message(
    httpserver: HTTPServer, captured: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in an adapter whose exception quotes what it was handed (here: the key)."""

    def broken(data: Any) -> Any:
        raise KeyError(f"no page in {ECHO}")

    monkeypatch.setattr("tensionwatch.sources.newsapi._parse", broken)
    _serve(httpserver, Response(json.dumps(newsapi_page([], 0)), 200))
    result = _poll(httpserver, "{}")
    assert result["failures"]["newsapi/jp-kr"] == "unexpected"
    logged = "\n".join(captured.lines)
    assert "source failed unexpectedly" in logged and "KeyError" in logged
    assert NEWS_KEY not in logged


def _sqs_message(body: str) -> dict[str, Any]:
    return {"MessageId": str(uuid.uuid4()), "ReceiptHandle": "r", "Body": body,
            "Attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1",
                           "ApproximateFirstReceiveTimestamp": "1", "SenderId": "x"}}  # fmt: skip


NOW = datetime(2026, 11, 1, tzinfo=UTC)
QS_TOKEN = "QuErYsTrInGtOkEn31"  # a webhook that authenticates with a query-string token
GONE_TOKEN = "GoNeSlAcKtOkEn55"
SPACED_TOKEN = "SpAcEdSlAcKtOkEn66"


def test_every_delivery_failure_path_keeps_credentials_out_of_logs_and_answers(
    httpserver: HTTPServer, captured: Capture
) -> None:
    """Slack answering no_service (disables), a webhook redirecting, a webhook nobody listens
    on, targets with whitespace or control characters refused by the API, one stored before
    the API refused them, and test sends through the API that fail: no token, secret or
    target in any log line or HTTP answer."""
    httpserver.expect_request(f"/services/T/B/{GONE_TOKEN}").respond_with_data("no_service", 404)
    httpserver.expect_request("/redirect").respond_with_data(
        "", 302, headers={"Location": f"http://10.0.0.1/?t={QS_TOKEN}"}
    )
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead_port = closed.getsockname()[1]
    base = httpserver.url_for("").rstrip("/")
    targets = {
        "slack": f"{base}/services/T/B/{GONE_TOKEN}",
        "webhook": f"{base}/redirect?token={QS_TOKEN}",
        "dead": f"http://127.0.0.1:{dead_port}/hook?token={QS_TOKEN}",
    }
    stdout = io.StringIO()
    answers: list[dict[str, Any]] = []
    secrets = [QS_TOKEN, GONE_TOKEN, SPACED_TOKEN]
    with moto.mock_aws(), redirect_stdout(stdout):
        stack = build_stack()
        env = {**ENV, "TARGET_PORTS": f"{httpserver.port},{dead_port}"}
        runner = Runner(stack, SimClock(datetime(2026, 11, 2, tzinfo=UTC)), overrides={"*": env})

        def call(method: str, path: str, body: Any = None) -> dict[str, Any]:
            answer = runner.invoke("ApiFunction", http_api_event(method, path, body))
            answers.append(answer)
            return answer

        for refused in (f"https://hooks.slack.com/services/T/B/{SPACED_TOKEN} xyz",
                        f"https://hooks.slack.com/services/T/B/{SPACED_TOKEN}\n",
                        f"https://hooks.slack.com/services/T/B/\u202e{SPACED_TOKEN}"):  # fmt: skip
            answer = call("POST", "/subscriptions", {"channel": "slack", "target": refused})
            assert answer["statusCode"] == 400, answer
        ids = []
        for name, target in targets.items():
            channel = "slack" if name == "slack" else "webhook"
            body = {"channel": channel, "target": target}
            answer = runner.invoke("ApiFunction", http_api_event("POST", "/subscriptions", body))
            assert answer["statusCode"] == 201, answer
            assert QS_TOKEN not in answer["body"] and GONE_TOKEN not in answer["body"]
            created = json.loads(answer["body"])  # its secret is shown here, and only here
            ids.append(created["id"])
            secrets += [created["secret"]] if created.get("secret") else []
        store = SubscriptionStore(stack.tables["SubscriptionsTable"])
        spaced = f"https://hooks.slack.com/services/T/B/{SPACED_TOKEN} x"  # stored before the fix
        store.put(Subscription(id="sub_stored_before", channel="slack", target=spaced,
                               created_at=NOW))  # fmt: skip
        for sub_id in ids:
            assert call("POST", f"/subscriptions/{sub_id}/test")["statusCode"] == 502
        event = sqs_event([_sqs_message(make_alert().model_dump_json())],
                          stack.queue_arns["DeliveryQueue"], REGION)  # fmt: skip
        result = runner.invoke("DeliverFunction", event)
        call("GET", "/subscriptions")
        stored = store.get("sub_stored_before")
    assert result["batchItemFailures"], "the unreachable webhook is retried"
    assert stored is not None and stored.status == "disabled"
    output = stdout.getvalue() + "\n".join(captured.lines)
    assert "delivery failed" in output
    answered = json.dumps(answers)
    for secret in secrets:
        assert secret not in output, secret
        assert secret not in answered, secret
