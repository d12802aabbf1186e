"""Slack sender: posts a rendered message to an incoming-webhook URL with slack_sdk.

slack_sdk's own retry handlers are off (retries go through SQS, not a sleeping Lambda), its
logger is muted (it would print the webhook URL, which is the credential), and redirects are
refused like every other delivery.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from http.client import HTTPResponse
from typing import Any

from slack_sdk.webhook import WebhookClient, WebhookResponse

from tensionwatch.delivery.errors import DeliveryError, from_status
from tensionwatch.delivery.ssrf import Resolver, check_target, system_resolver
from tensionwatch.http import parse_retry_after

TIMEOUT = 10  # seconds; a Slack webhook answers in well under one

_QUIET = logging.getLogger("tensionwatch.delivery.slack_sdk")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


class _Client(WebhookClient):
    """WebhookClient whose requests never follow a redirect."""

    def _perform_http_request_internal(self, url: str, req: urllib.request.Request) -> Any:
        opener = urllib.request.build_opener(
            _NoRedirect, urllib.request.HTTPSHandler(context=self.ssl)
        )
        raw: HTTPResponse = opener.open(req, timeout=self.timeout)
        charset = raw.headers.get_content_charset() or "utf-8"
        return WebhookResponse(
            url=url, status_code=raw.status, body=raw.read().decode(charset),
            headers=dict(raw.headers),
        )  # fmt: skip


ClientFactory = Callable[[str], WebhookClient]


def default_client(url: str) -> WebhookClient:
    """A client for one webhook URL: no retries, no redirects, no logging of the URL."""
    return _Client(url, timeout=TIMEOUT, retry_handlers=[], logger=_QUIET)


class SlackSender:
    """Sends Block Kit payloads to Slack incoming webhooks."""

    def __init__(
        self,
        *,
        allow_local: bool = False,
        resolver: Resolver = system_resolver,
        client_factory: ClientFactory = default_client,
    ) -> None:
        self._allow_local = allow_local
        self._resolver = resolver
        self._client_factory = client_factory

    def send(self, url: str, payload: dict[str, Any]) -> None:
        """POST `payload` to `url`; raises DeliveryError (UnsafeTarget for a refused URL)."""
        check_target(url, slack=True, allow_local=self._allow_local, resolver=self._resolver)
        try:
            response = self._client_factory(url).send_dict(payload)
        except urllib.error.HTTPError as exc:  # a 3xx the opener refused to follow
            raise from_status(exc.code) from None
        except (OSError, ValueError) as exc:  # URLError, timeouts, resets: worth a retry
            raise DeliveryError(f"network: {type(exc).__name__}", recoverable=True) from None
        if response.status_code != 200:
            raise _failure(response)


def _failure(response: WebhookResponse) -> DeliveryError:
    headers = {k.lower(): v for k, v in (response.headers or {}).items()}
    wait = _first(headers.get("retry-after"))
    error = from_status(response.status_code, parse_retry_after(wait))
    # Slack answers 404 no_service / 403 action_prohibited for a removed hook: as good as gone.
    if response.body.strip() in {"no_service", "no_team", "team_disabled", "channel_is_archived"}:
        error = DeliveryError(f"Slack: {response.body.strip()}", recoverable=False, disable=True,
                              status=response.status_code)  # fmt: skip
    return error


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return str(value[0]) if value else None
    return None if value is None else str(value)
