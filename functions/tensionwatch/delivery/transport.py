"""One POST to a checked target, connected to the address the SSRF guard checked.

Resolving the name again at connect time would let a DNS server answer differently the second
time (DNS rebinding: public for the check, 127.0.0.1 for the connection). So the connection
goes to the checked address itself, while TLS still sends the original host name (SNI) and
verifies the certificate against it, and the Host header names it. http.client never follows a
redirect. A send takes at most its timeout in all (a watchdog shuts the socket down then), so
the deliver function can fit its sends into the time Lambda gives it. Every failure becomes a
DeliveryError naming its type only: an exception's text can quote the URL, whose path is a
credential for Slack.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType

from tensionwatch.delivery.errors import DeliveryError
from tensionwatch.delivery.ssrf import Target
from tensionwatch.http import DEFAULT_USER_AGENT

# Seconds a whole send may take; Standard Webhooks suggests receivers answer within 15, Slack
# answers in < 1. The deliver function gives a send less when less of its time is left.
TIMEOUT = 10.0
MAX_ANSWER = 64 * 1024  # a receiver's answer is read for its status and a short reason only


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]  # names lowercased
    body: bytes


def _connect(address: str, port: int, timeout: float | None) -> socket.socket:
    """A TCP connection to `address` itself: no name, so nothing is resolved again."""
    family = socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Plain HTTP to a pinned address (local receivers only: the guard allows http nowhere
    else)."""

    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = _connect(self._address, self.port, self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a pinned address, with SNI and the certificate check for the target's name."""

    def __init__(
        self, target: Target, address: str, timeout: float, context: ssl.SSLContext
    ) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._address = address
        self._tls = context

    def connect(self) -> None:
        sock = _connect(self._address, self.port, self.timeout)
        try:
            self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


class Watchdog:
    """Shuts a connection's socket down once `seconds` have passed: a socket timeout bounds
    each read, not a receiver that answers one byte at a time."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float) -> None:
        self.fired = False
        self._connection = connection
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        self.fired = True
        sock = self._connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked read: it sees the end


def post(
    target: Target,
    body: bytes,
    headers: Mapping[str, str],
    *,
    timeout: float = TIMEOUT,
    context: ssl.SSLContext | None = None,
) -> Answer:
    """POST `body` to `target` at its first checked address within `timeout` seconds in all;
    any status is an Answer. Raises DeliveryError: recoverable for timeouts, network and TLS
    failures, not for a request http.client refuses."""
    address = target.addresses[0]
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        tls = context or ssl.create_default_context()
        connection = PinnedHTTPSConnection(target, address, timeout, tls)
    else:
        connection = PinnedHTTPConnection(target, address, timeout)
    watchdog = Watchdog(connection, timeout)
    try:
        with watchdog:
            return _exchange(connection, target, body, headers)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise _failure(exc, timed_out=watchdog.fired) from None
    finally:
        connection.close()


def _failure(exc: Exception, *, timed_out: bool) -> DeliveryError:
    """The DeliveryError for what went wrong, named by type only (never the URL)."""
    if timed_out or isinstance(exc, TimeoutError):  # the watchdog's shutdown reads as an EOF
        return DeliveryError("timeout", recoverable=True)
    if isinstance(exc, ssl.SSLError):  # includes a certificate that does not name the host
        return DeliveryError(f"tls: {type(exc).__name__}", recoverable=True)
    if isinstance(exc, ValueError | http.client.InvalidURL):  # a header or path it refuses
        return DeliveryError(f"invalid request: {type(exc).__name__}", recoverable=False)
    return DeliveryError(f"network: {type(exc).__name__}", recoverable=True)


def _exchange(
    connection: http.client.HTTPConnection, target: Target, body: bytes, headers: Mapping[str, str]
) -> Answer:
    connection.request("POST", target.path, body=body,
                       headers={"User-Agent": DEFAULT_USER_AGENT, **headers})  # fmt: skip
    response = connection.getresponse()
    return Answer(
        response.status,
        {name.lower(): value for name, value in response.getheaders()},
        response.read(MAX_ANSWER),
    )
