"""Webhook sender: Standard Webhooks signed POSTs through the shared HTTP client."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from standardwebhooks import Webhook

from tensionwatch.delivery.errors import DeliveryError, from_http_error
from tensionwatch.delivery.ssrf import Resolver, check_target, system_resolver
from tensionwatch.http import HttpClient, HttpError

TIMEOUT = 10.0  # seconds; Standard Webhooks suggests receivers answer within 15


def sign(secrets: Sequence[str], msg_id: str, at: datetime, body: bytes) -> str:
    """The `webhook-signature` header: one `v1,<sig>` per secret, space-separated (the spec's
    form for rotation, so receivers holding either secret verify)."""
    text = body.decode()
    return " ".join(Webhook(secret).sign(msg_id, at, text) for secret in secrets)


def delivery_client() -> HttpClient:
    """One attempt, no redirects: retries go through SQS and a redirect could escape the guard."""
    return HttpClient(timeout=TIMEOUT, max_retries=0, follow_redirects=False)


class WebhookSender:
    """POSTs signed payloads to subscribers' endpoints."""

    def __init__(
        self,
        http: HttpClient | None = None,
        *,
        allow_local: bool = False,
        resolver: Resolver = system_resolver,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._http = http or delivery_client()
        self._allow_local = allow_local
        self._resolver = resolver
        self._clock = clock

    def send(self, url: str, *, msg_id: str, body: bytes, secrets: Sequence[str]) -> None:
        """POST `body` signed with every secret in `secrets`; raises DeliveryError."""
        if not secrets:
            raise DeliveryError("no signing secret", recoverable=False)
        check_target(url, allow_local=self._allow_local, resolver=self._resolver)
        at = self._clock()
        headers = {
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": sign(secrets, msg_id, at, body),
        }
        try:
            self._http.post(url, body=body, headers=headers)
        except HttpError as error:
            raise from_http_error(error) from None
