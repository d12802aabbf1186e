"""Local receivers: a Slack-like incoming webhook and a Standard Webhooks endpoint that
verifies every request with the `standardwebhooks` library itself."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from standardwebhooks import Webhook
from werkzeug import Request, Response


@dataclass
class WebhookReceiver:
    """Accepts requests signed by any of `secrets`; records what it verified."""

    secrets: Sequence[str]
    statuses: list[int] = field(default_factory=list)  # answers to give, then 204
    headers: dict[str, str] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    verified_by: list[list[bool]] = field(default_factory=list)

    def __call__(self, request: Request) -> Response:
        body = request.get_data(as_text=True)
        checks = [_verifies(secret, body, dict(request.headers)) for secret in self.secrets]
        if not any(checks):
            return Response("bad signature", status=401)
        self.ids.append(request.headers["webhook-id"])
        self.verified_by.append(checks)
        if self.statuses:
            return Response("", status=self.statuses.pop(0), headers=self.headers)
        self.received.append(json.loads(body))
        return Response("", status=204)


def _verifies(secret: str, body: str, headers: dict[str, str]) -> bool:
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        Webhook(secret).verify(body, lowered)
    except Exception:
        return False
    return True


@dataclass
class SlackReceiver:
    """Answers like Slack: `ok`, or the status and body queued in `answers`."""

    answers: list[tuple[int, str, dict[str, str]]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, request: Request) -> Response:
        if self.answers:
            status, text, headers = self.answers.pop(0)
            return Response(text, status=status, headers=headers)
        self.received.append(json.loads(request.get_data()))
        return Response("ok", status=200)


def serve(httpserver: HTTPServer, path: str, receiver: Any) -> str:
    """Route POSTs on `path` to `receiver`; returns the URL to subscribe."""
    httpserver.expect_request(path, method="POST").respond_with_handler(receiver)
    return httpserver.url_for(path)
