"""One POST to a checked target, connected to the address the SSRF guard checked.

Resolving the name again at connect time would let a DNS server answer differently the second
time (DNS rebinding: public for the check, 127.0.0.1 for the connection). So the connection
goes to the checked address itself, while TLS still sends the original host name (SNI) and
verifies the certificate against it, and the Host header names it. http.client never follows a
redirect. Every failure becomes a DeliveryError naming its type only: an exception's text can
quote the URL, whose path is a credential for Slack.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass

from tensionwatch.delivery.errors import DeliveryError
from tensionwatch.delivery.ssrf import Target
from tensionwatch.http import DEFAULT_USER_AGENT

TIMEOUT = 10.0  # seconds; Standard Webhooks suggests receivers answer within 15, Slack in < 1
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


def post(
    target: Target,
    body: bytes,
    headers: Mapping[str, str],
    *,
    timeout: float = TIMEOUT,
    context: ssl.SSLContext | None = None,
) -> Answer:
    """POST `body` to `target` at its first checked address; any status is an Answer. Raises
    DeliveryError: recoverable for timeouts, network and TLS failures, not for a request
    http.client refuses."""
    address = target.addresses[0]
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        tls = context or ssl.create_default_context()
        connection = PinnedHTTPSConnection(target, address, timeout, tls)
    else:
        connection = PinnedHTTPConnection(target, address, timeout)
    try:
        connection.request("POST", target.path, body=body,
                           headers={"User-Agent": DEFAULT_USER_AGENT, **headers})  # fmt: skip
        response = connection.getresponse()
        answer = Answer(
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            response.read(MAX_ANSWER),
        )
    except TimeoutError:
        raise DeliveryError("timeout", recoverable=True) from None
    except ssl.SSLError as exc:  # includes a certificate that does not name the host
        raise DeliveryError(f"tls: {type(exc).__name__}", recoverable=True) from None
    except (ValueError, http.client.InvalidURL) as exc:  # a header or path it refuses
        raise DeliveryError(f"invalid request: {type(exc).__name__}", recoverable=False) from None
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"network: {type(exc).__name__}", recoverable=True) from None
    finally:
        connection.close()
    return answer
