"""Webhook sender: Standard Webhooks signed POSTs to the address the SSRF guard checked."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime

from standardwebhooks import Webhook

from tensionwatch.delivery import transport
from tensionwatch.delivery.errors import DeliveryError, from_status
from tensionwatch.delivery.ssrf import Resolver, check_target, system_resolver
from tensionwatch.http import parse_retry_after


def sign(secrets: Sequence[str], msg_id: str, at: datetime, body: bytes) -> str:
    """The `webhook-signature` header: one `v1,<sig>` per secret, space-separated (the spec's
    form for rotation, so receivers holding either secret verify)."""
    text = body.decode()
    return " ".join(Webhook(secret).sign(msg_id, at, text) for secret in secrets)


class WebhookSender:
    """POSTs signed payloads to subscribers' endpoints: one attempt (retries go through SQS),
    no redirects (one could escape the guard)."""

    def __init__(
        self,
        *,
        allow_local: bool = False,
        ports: Collection[int] = (),
        resolver: Resolver = system_resolver,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        timeout: float = transport.TIMEOUT,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._allow_local = allow_local
        self._ports = ports
        self._resolver = resolver
        self._clock = clock
        self._timeout = timeout
        self._tls = tls

    def send(
        self,
        url: str,
        *,
        msg_id: str,
        body: bytes,
        secrets: Sequence[str],
        timeout: float | None = None,
    ) -> None:
        """POST `body` signed with every secret in `secrets` within `timeout` seconds (default:
        the sender's); raises DeliveryError."""
        if not secrets:
            raise DeliveryError("no signing secret", recoverable=False)
        target = check_target(url, allow_local=self._allow_local, ports=self._ports,
                              resolver=self._resolver)  # fmt: skip
        at = self._clock()
        headers = {
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": sign(secrets, msg_id, at, body),
        }
        answer = transport.post(target, body, headers, timeout=timeout or self._timeout,
                                context=self._tls)  # fmt: skip
        if not 200 <= answer.status < 300:
            raise from_status(answer.status, parse_retry_after(answer.headers.get("retry-after")))
