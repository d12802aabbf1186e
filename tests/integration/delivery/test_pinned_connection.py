"""The senders connect to the address the SSRF guard checked: a second DNS answer cannot move
the connection (DNS rebinding), and TLS still checks the certificate for the target's name."""

from __future__ import annotations

import http.server
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import trustme

from tensionwatch.delivery.errors import DeliveryError
from tensionwatch.delivery.slack import SlackSender
from tensionwatch.delivery.webhook import WebhookSender

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
PUBLIC = "93.184.216.34"  # what the hostile DNS server says first, for the guard to check
Send = Callable[[str, int], None]


def _webhook(url: str, port: int) -> None:
    WebhookSender(ports={port}, timeout=1.0).send(url, msg_id="m", body=b"{}", secrets=[SECRET])


def _slack(url: str, port: int) -> None:
    SlackSender(ports={port}, timeout=1.0).send(url, {"text": "x"})


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A loopback TCP listener standing in for an internal service."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        sock.settimeout(0.3)
        yield sock


@pytest.mark.parametrize(
    ("host", "send"), [("rebind.example", _webhook), ("hooks.slack.com", _slack)]
)
def test_a_second_dns_answer_cannot_move_the_connection_to_loopback(
    listener: socket.socket, monkeypatch: pytest.MonkeyPatch, host: str, send: Send
) -> None:
    real = socket.getaddrinfo
    answers = iter([PUBLIC, "127.0.0.1", "127.0.0.1"])
    asked: list[str] = []

    def rebinding(name: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if name != host:
            return real(name, port, *args, **kwargs)
        asked.append(address := next(answers))
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = listener.getsockname()[1]
    with pytest.raises(DeliveryError):  # the public address does not answer here
        send(f"https://{host}:{port}/services/T/B/X", port)
    with pytest.raises(TimeoutError):
        listener.accept()  # nothing ever connected to the loopback listener
    assert asked == [PUBLIC], "the name was resolved once, by the guard"


class _Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.hosts.append(self.headers["Host"])  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


def _tls_server(ca: trustme.CA, name: str) -> tuple[http.server.HTTPServer, list[str]]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Hook)
    server.hosts = []  # type: ignore[attr-defined]
    names: list[str] = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(name).configure_cert(context)
    context.sni_callback = lambda _sock, sni, _ctx: names.append(sni or "")  # type: ignore[assignment,misc,return-value]
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.handle_request, daemon=True).start()
    return server, names


def _client(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def test_the_pinned_connection_sends_sni_and_host_for_the_name_and_checks_its_certificate(
    ca: trustme.CA,
) -> None:
    server, names = _tls_server(ca, "hooks.test")
    port = server.server_address[1]
    sender = WebhookSender(allow_local=True, ports={port}, tls=_client(ca),
                           resolver=lambda host: ["127.0.0.1"])  # fmt: skip
    try:
        sender.send(f"https://hooks.test:{port}/h", msg_id="m", body=b"{}", secrets=[SECRET])
    finally:
        server.server_close()
    assert names == ["hooks.test"]
    assert server.hosts == [f"hooks.test:{port}"]  # type: ignore[attr-defined]


def test_a_certificate_for_another_name_is_refused(ca: trustme.CA) -> None:
    server, _ = _tls_server(ca, "other.test")
    port = server.server_address[1]
    sender = SlackSender(allow_local=True, ports={port}, tls=_client(ca),
                         resolver=lambda host: ["127.0.0.1"])  # fmt: skip
    try:
        with pytest.raises(DeliveryError) as caught:
            sender.send(f"https://hooks.test:{port}/services/T/B/X", {"text": "x"})
    finally:
        server.server_close()
    assert caught.value.reason == "tls: SSLCertVerificationError"
    assert "hooks.test" not in caught.value.reason
