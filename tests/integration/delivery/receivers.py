"""Local receivers: a Slack-like incoming webhook and a Standard Webhooks endpoint that
verifies every request with the `standardwebhooks` library itself; and two that misbehave at
the socket level (one never answers, one answers a byte at a time)."""

from __future__ import annotations

import itertools
import json
import socket
import threading
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


class StalledReceiver:
    """An endpoint that takes the connection and never answers: the kernel completes the
    handshake (listen backlog) but nothing ever reads or replies, like a receiver whose
    server hangs."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0), backlog=64)

    @property
    def port(self) -> int:
        return int(self._socket.getsockname()[1])

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self._socket.close()


class DrippingReceiver:
    """Answers one byte at a time, `every` seconds apart, forever: each read is quick, so only
    a bound on the whole send ends it."""

    def __init__(self, every: float = 0.2) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._socket.getsockname()[1])

    def _serve(self) -> None:
        connection, _ = self._socket.accept()
        with connection:
            for byte in itertools.cycle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 60):
                if self._stop.wait(self._every):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:  # the sender gave up and shut its end
                    return

    def close(self) -> None:
        self._stop.set()
        self._socket.close()
        self._thread.join(timeout=5)
