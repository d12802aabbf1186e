"""The local receivers record what arrives; the webhook one accepts only valid signatures."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook

from tensionwatch.http import HttpClient, HttpError
from tensionwatch.local.receivers import SlackReceiver, WebhookReceiver

SECRET = "whsec_" + base64.b64encode(b"a local secret of enough length").decode()
OTHER = "whsec_" + base64.b64encode(b"some other secret, not the one").decode()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    receiver.set_secret(SECRET)
    yield receiver
    receiver.close()


def signed(secret: str, body: bytes) -> dict[str, str]:
    now = datetime.now(UTC)
    signature = Webhook(secret).sign("msg_1", now, body.decode())
    return {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }


def test_webhook_receiver_records_a_correctly_signed_request(webhook: WebhookReceiver) -> None:
    body = json.dumps({"type": "alert.flash"}).encode()
    HttpClient(max_retries=0).post(webhook.url, body=body, headers=signed(SECRET, body))
    assert [(r.payload, r.verified) for r in webhook.received] == [({"type": "alert.flash"}, True)]


def test_webhook_receiver_rejects_a_wrong_signature(webhook: WebhookReceiver) -> None:
    body = b'{"type": "alert.flash"}'
    with pytest.raises(HttpError) as error:
        HttpClient(max_retries=0).post(webhook.url, body=body, headers=signed(OTHER, body))
    assert error.value.status == 401
    assert [r.verified for r in webhook.received] == [False]


def test_slack_receiver_records_the_message() -> None:
    slack = SlackReceiver()
    try:
        body = json.dumps({"text": "JP-KR thawing", "blocks": []}).encode()
        HttpClient(max_retries=0).post(slack.url, body=body)
        assert slack.received[0].payload["text"] == "JP-KR thawing"
        assert slack.url.startswith("http://127.0.0.1:")
    finally:
        slack.close()
