"""Local stand-ins for the places alerts go: a Slack incoming-webhook receiver and a Standard
Webhooks receiver that verifies every signature. Both record what they got."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

from standardwebhooks import Webhook, WebhookVerificationError

SLACK_PATH = "/services/T0LOCAL/B0LOCAL/local-demo-token"  # the shape of a Slack webhook URL
WEBHOOK_PATH = "/hooks/tensionwatch"
POLL_INTERVAL = 0.05  # seconds: how soon close() is answered (the default 0.5 s adds up)


@dataclass(frozen=True)
class Received:
    path: str
    payload: Any
    verified: bool  # the webhook signature checked out (always True for Slack)
    headers: dict[str, str]


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[Received]]
    lock: ClassVar[threading.Lock]

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the demo prints its own report."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        status, verified = self.check(body, headers)
        try:
            payload = json.loads(body)
        except ValueError:
            payload, status = body.decode("utf-8", "replace"), 400
        with self.lock:
            self.received.append(Received(self.path, payload, verified, headers))
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok" if status == 200 else b"rejected")

    def check(self, body: bytes, headers: dict[str, str]) -> tuple[int, bool]:
        return 200, True


class _WebhookReceiver(_Receiver):
    secrets: ClassVar[list[str]]

    def check(self, body: bytes, headers: dict[str, str]) -> tuple[int, bool]:
        for secret in self.secrets:  # one per subscription sent to this receiver
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            return 200, True
        return 401, False


class Receiver:
    """A threaded HTTP receiver on 127.0.0.1 (a free port) until `close()`."""

    def __init__(self, handler: type[_Receiver], path: str) -> None:
        class Handler(handler):  # type: ignore[valid-type,misc]
            pass

        Handler.received, Handler.lock = [], threading.Lock()
        self._handler = Handler
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self._server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}{path}"
        threading.Thread(
            target=self._server.serve_forever, args=(POLL_INTERVAL,), daemon=True
        ).start()

    @property
    def received(self) -> list[Received]:
        with self._handler.lock:
            return list(self._handler.received)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class SlackReceiver(Receiver):
    """Accepts Block Kit messages as a Slack incoming webhook does."""

    def __init__(self) -> None:
        super().__init__(_Receiver, SLACK_PATH)


class WebhookReceiver(Receiver):
    """Accepts only Standard Webhooks requests signed with one of its secrets (each added once
    the API returns it)."""

    def __init__(self) -> None:
        super().__init__(_WebhookReceiver, WEBHOOK_PATH)
        self._handler.secrets = []

    def set_secret(self, secret: str) -> None:
        self._handler.secrets = [*self._handler.secrets, secret]


def target_ports(*receivers: Receiver) -> dict[str, str]:
    """The TARGET_PORTS setting naming these receivers' ports (free ones, picked when they
    start): the offline stack allows them explicitly, as a deployment allows its own."""
    return {"TARGET_PORTS": ",".join(str(receiver.port) for receiver in receivers)}
