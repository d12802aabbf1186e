"""The senders against local servers: redirects refused, failures classified."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer
from standardwebhooks import Webhook

from tensionwatch.alerts.slack import render_slack
from tensionwatch.delivery.errors import DeliveryError
from tensionwatch.delivery.slack import SlackSender
from tensionwatch.delivery.webhook import WebhookSender, sign
from tests.factories import make_alert

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_webhook_redirect_is_not_followed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/internal")}
    )
    sender = WebhookSender(allow_local=True, ports={httpserver.port})
    with pytest.raises(DeliveryError) as caught:
        sender.send(httpserver.url_for("/hook"), msg_id="msg_1", body=b"{}", secrets=[SECRET])
    assert not caught.value.recoverable
    assert "redirect" in caught.value.reason
    assert [r.path for r, _ in httpserver.log] == ["/hook"]


def test_slack_redirect_is_not_followed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/slack").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/internal")}
    )
    with pytest.raises(DeliveryError) as caught:
        SlackSender(allow_local=True, ports={httpserver.port}).send(
            httpserver.url_for("/slack"), render_slack(make_alert())
        )
    assert not caught.value.recoverable
    assert [r.path for r, _ in httpserver.log] == ["/slack"]


def test_slack_rate_limit_is_recoverable_with_retry_after(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/slack").respond_with_data(
        "rate_limited", status=429, headers={"Retry-After": "17"}
    )
    with pytest.raises(DeliveryError) as caught:
        SlackSender(allow_local=True, ports={httpserver.port}).send(
            httpserver.url_for("/slack"), {"text": "x"}
        )
    assert caught.value.recoverable
    assert caught.value.retry_after == 17.0


def test_unreachable_receiver_is_recoverable() -> None:
    sender = WebhookSender(allow_local=True, ports={9})
    with pytest.raises(DeliveryError) as caught:  # nothing listens on port 9 (discard)
        sender.send("http://127.0.0.1:9/hook", msg_id="m", body=b"{}", secrets=[SECRET])
    assert caught.value.recoverable


def test_signature_header_carries_one_signature_per_secret_each_verifiable() -> None:
    other = "whsec_" + "A" * 43 + "="
    at = datetime.now(UTC)
    body = b'{"type": "test"}'
    header = sign([SECRET, other], "msg_1", at, body)
    assert len(header.split(" ")) == 2
    for secret in (SECRET, other):
        Webhook(secret).verify(body, {"webhook-id": "msg_1", "webhook-signature": header,
                                      "webhook-timestamp": str(int(at.timestamp()))})  # fmt: skip
