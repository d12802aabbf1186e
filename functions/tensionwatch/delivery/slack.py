"""Slack sender: posts a rendered Block Kit message to an incoming-webhook URL.

The URL is the credential, so it goes through the same pinned transport as webhooks (no
redirects, errors that never quote it), not through slack_sdk's WebhookClient, whose urllib
errors and DEBUG logs repeat it. One attempt: retries go through SQS, not a sleeping Lambda.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Collection
from typing import Any

from tensionwatch.delivery import transport
from tensionwatch.delivery.errors import DeliveryError, from_status
from tensionwatch.delivery.ssrf import Resolver, check_target, system_resolver
from tensionwatch.http import parse_retry_after

# Slack's answers for a removed hook (404 no_service, 403 action_prohibited…): as good as gone.
GONE_BODIES = frozenset({"no_service", "no_team", "team_disabled", "channel_is_archived"})


class SlackSender:
    """Sends Block Kit payloads to Slack incoming webhooks."""

    def __init__(
        self,
        *,
        allow_local: bool = False,
        ports: Collection[int] = (),
        resolver: Resolver = system_resolver,
        timeout: float = transport.TIMEOUT,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._allow_local = allow_local
        self._ports = ports
        self._resolver = resolver
        self._timeout = timeout
        self._tls = tls

    def send(self, url: str, payload: dict[str, Any], *, timeout: float | None = None) -> None:
        """POST `payload` to `url` within `timeout` seconds (default: the sender's); raises
        DeliveryError (UnsafeTarget for a refused URL)."""
        target = check_target(url, slack=True, allow_local=self._allow_local, ports=self._ports,
                              resolver=self._resolver)  # fmt: skip
        body = json.dumps(payload).encode()
        answer = transport.post(target, body, {"content-type": "application/json"},
                                timeout=timeout or self._timeout, context=self._tls)  # fmt: skip
        if answer.status != 200:
            raise _failure(answer)


def _failure(answer: transport.Answer) -> DeliveryError:
    said = answer.body.decode("utf-8", "replace").strip()
    if said in GONE_BODIES:
        return DeliveryError(f"Slack: {said}", recoverable=False, disable=True,
                             status=answer.status)  # fmt: skip
    return from_status(answer.status, parse_retry_after(answer.headers.get("retry-after")))
