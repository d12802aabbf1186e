"""During failures, secrets never reach the logs: a Slack webhook URL's path token, a webhook
signing secret (whsec_) and a subscription's target URL, with every log line captured at DEBUG
through the real API and deliver handlers on the offline stack."""

from __future__ import annotations

import io
import json
import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import redirect_stdout
from datetime import UTC, datetime

import moto
import pytest
from pytest_httpserver import HTTPServer

from tensionwatch.local.lambda_events import http_api_event, sqs_event
from tensionwatch.local.runner import Runner, SimClock
from tensionwatch.local.stack import REGION, build_stack
from tests.factories import make_alert

SLACK_TOKEN = "XoXbSeCrEtPaThToKeN1234"  # the part of a Slack webhook URL that grants posting
# delivery/slack.py hands slack_sdk this logger, with a NullHandler, because slack_sdk logs the
# webhook URL at DEBUG. Forcing it to DEBUG with a handler (as the fixture does to the others)
# un-mutes it; whether it stays silent under POWERTOOLS_LOG_LEVEL=DEBUG in Lambda is reported.
MUTED = "tensionwatch.delivery.slack_sdk"
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
        if name.startswith((service, "tensionwatch")) and name != MUTED
    ]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(capture)
        lg.setLevel(logging.DEBUG)
    yield capture
    for lg, level in saved:
        lg.removeHandler(capture)
        lg.setLevel(level)


def test_failing_deliveries_log_reasons_but_no_secret_or_target(
    httpserver: HTTPServer, captured: Capture
) -> None:
    httpserver.expect_request(f"/services/T0/B0/{SLACK_TOKEN}").respond_with_data("no", 500)
    httpserver.expect_request("/hook").respond_with_data("down", 503)
    slack_url = httpserver.url_for(f"/services/T0/B0/{SLACK_TOKEN}")
    stdout = io.StringIO()
    with moto.mock_aws(), redirect_stdout(stdout):
        stack = build_stack()
        runner = Runner(stack, SimClock(datetime(2026, 11, 2, tzinfo=UTC)), overrides={"*": ENV})
        secrets = [SLACK_TOKEN]
        for channel, target in (("slack", slack_url), ("webhook", httpserver.url_for("/hook"))):
            body = {"channel": channel, "target": target, "filter": {}}
            answer = runner.invoke("ApiFunction", http_api_event("POST", "/subscriptions", body))
            assert answer["statusCode"] == 201, answer
            secrets += [json.loads(answer["body"]).get("secret") or SLACK_TOKEN]
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
