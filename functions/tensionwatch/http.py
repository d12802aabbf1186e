"""The one HTTP client: timeouts, retries with backoff and jitter, Retry-After, a size cap.

Sources and delivery speak to the outside only through `HttpClient`; every failure becomes an
`HttpError` with a reason a caller can act on. Error messages name the host and path only, so an
API key in a query string or a webhook token can never reach a log line.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.client import HTTPException
from typing import Any, Literal, Protocol
from urllib.parse import urlencode, urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import MaxRetryError, NewConnectionError, ResponseError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

Reason = Literal[
    "timeout",
    "network",
    "rate_limited",
    "server_error",
    "client_error",
    "too_large",
    "malformed",
    "redirect",
    "invalid",
]
RECOVERABLE: frozenset[Reason] = frozenset({"timeout", "network", "rate_limited", "server_error"})
DEFAULT_USER_AGENT = "TensionWatch/0.1 (+https://github.com/tensionwatch)"  # GDELT asks for one
MAX_REDIRECTS = 5  # browsers allow ~20; news APIs redirect at most once or twice
# Credentials never follow a redirect to another host: urllib3 drops these (its defaults plus
# the API-key headers our sources send).
_SECRET_HEADERS = urllib3.Retry.DEFAULT_REMOVE_HEADERS_ON_REDIRECT | {"X-Api-Key", "Api-Key"}
_CHUNK = 64 * 1024


class HttpError(Exception):
    """A failed request; `reason` says what went wrong, `recoverable` whether a retry can help."""

    def __init__(
        self,
        reason: Reason,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.reason: Reason = reason
        self.status = status
        self.retry_after = retry_after

    @property
    def recoverable(self) -> bool:
        return self.reason in RECOVERABLE


class Gate(Protocol):
    """What stands around every attempt of a caller's requests, retries included (a news
    source's pacing and request count)."""

    def before(self) -> None:
        """Called before each attempt; may sleep, or raise HttpError to send nothing."""
        ...

    def after(self, retry_after: float | None) -> None:
        """Called for each answer received, with the wait its Retry-After asked for."""
        ...


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str  # where the body came from: the requested URL, or the last redirect's target
    retry_after: float | None = None  # seconds, when the answer carried Retry-After

    def json(self) -> Any:
        """The body parsed as JSON; raises HttpError(reason="malformed") when it is not."""
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError):  # RecursionError: hostile nesting depth
            raise HttpError("malformed", f"body of {redact(self.url)} is not JSON") from None


def redact(url: str) -> str:
    """`scheme://host/path` of a URL: no user info, query string or fragment."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{parts.path}"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HttpClient:
    """GET and POST with retries; 2xx and 304 return, everything else raises `HttpError`."""

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        max_backoff: float = 30.0,
        max_body_bytes: int = 5_000_000,
        user_agent: str = DEFAULT_USER_AGENT,
        follow_redirects: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        pool: urllib3.PoolManager | None = None,
        gate: Gate | None = None,
    ) -> None:
        self._timeout = urllib3.Timeout(connect=timeout, read=timeout)
        self._max_retries = max_retries
        self._backoff_base = backoff_base
        self._max_backoff = max_backoff
        self._max_body = max_body_bytes
        self._user_agent = user_agent
        self._redirects = MAX_REDIRECTS if follow_redirects else 0
        self._sleep = sleep
        self._pool = pool or urllib3.PoolManager()
        self._gate = gate

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        """GET `url` with `params` appended; raises HttpError after retries."""
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(dict(params))}"
        return self._with_retries("GET", url, None, headers)

    def post(
        self, url: str, *, body: bytes, headers: Mapping[str, str] | None = None
    ) -> HttpResponse:
        """POST `body` to `url`; raises HttpError after retries."""
        return self._with_retries("POST", url, body, headers)

    def _with_retries(
        self, method: str, url: str, body: bytes | None, headers: Mapping[str, str] | None
    ) -> HttpResponse:
        sent = {"User-Agent": self._user_agent, **(headers or {})}
        for attempt in range(self._max_retries + 1):
            if self._gate:
                self._gate.before()
            try:
                response = self._once(method, url, body, sent)
            except HttpError as error:
                if self._gate and error.status is not None:
                    self._gate.after(error.retry_after)
                if not error.recoverable or attempt == self._max_retries:
                    raise
                delay = self._delay(error, attempt)
                if delay is None:
                    raise
                self._sleep(delay)
            else:
                if self._gate:
                    self._gate.after(response.retry_after)
                return response
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _delay(self, error: HttpError, attempt: int) -> float | None:
        """Seconds before the next attempt; None when the server asks for more than we wait."""
        if error.retry_after is not None:
            return error.retry_after if error.retry_after <= self._max_backoff else None
        ceiling = min(self._max_backoff, self._backoff_base * 2.0**attempt)
        # "Equal jitter" (AWS architecture blog): never zero, spreads concurrent retries.
        return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - not crypto

    def _once(
        self, method: str, url: str, body: bytes | None, headers: Mapping[str, str]
    ) -> HttpResponse:
        where = f"{method} {redact(url)}"
        retries = urllib3.Retry(
            total=None,
            connect=0,
            read=0,
            status=0,
            other=0,
            redirect=self._redirects,
            remove_headers_on_redirect=_SECRET_HEADERS,
            raise_on_redirect=True,
        )
        try:
            raw = self._pool.request(
                method,
                url,
                body=body,
                headers=dict(headers),
                timeout=self._timeout,
                retries=retries,
                preload_content=False,
            )
            try:
                content = self._read_capped(raw, where)
            except BaseException:
                raw.close()  # a half-read connection must not go back to the pool
                raise
            finally:
                raw.release_conn()
        except MaxRetryError as exc:
            raise _translate(exc.reason, where) from None
        except Urllib3Error as exc:
            raise _translate(exc, where) from None
        except (ValueError, HTTPException) as exc:
            # http.client refuses a header or URL holding control characters with a message
            # that quotes it: a key read with its newline, a target with a space. Never retried.
            raise HttpError("invalid", f"{where}: request refused ({type(exc).__name__})") from None
        except OSError as exc:  # a socket error urllib3 did not wrap
            raise HttpError("network", f"{where}: {type(exc).__name__}") from None
        return self._classify(where, raw.status, raw.headers, content, _final_url(raw, url))

    def _read_capped(self, raw: urllib3.BaseHTTPResponse, where: str) -> bytes:
        declared = raw.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max_body:
            raise HttpError("too_large", f"{where}: body of {declared} bytes exceeds the cap")
        chunks: list[bytes] = []
        size = 0
        for chunk in raw.stream(_CHUNK):
            size += len(chunk)
            if size > self._max_body:
                raise HttpError("too_large", f"{where}: body exceeds {self._max_body} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _classify(
        self, where: str, status: int, headers: Mapping[str, str], body: bytes, url: str
    ) -> HttpResponse:
        # Honoured on every answer that carries it: a 503 for maintenance, a 429, or a
        # success that asks the next request to wait (RFC 9110 §10.2.3).
        wait = parse_retry_after(headers.get("Retry-After"))
        if 200 <= status < 300 or status == 304:
            return HttpResponse(status, headers, body, url, retry_after=wait)
        if status == 429:
            raise HttpError("rate_limited", f"{where}: 429", status=status, retry_after=wait)
        if status >= 500:
            raise HttpError("server_error", f"{where}: {status}", status=status, retry_after=wait)
        if 300 <= status < 400:
            raise HttpError("redirect", f"{where}: {status} not followed", status=status,
                            retry_after=wait)  # fmt: skip
        raise HttpError("client_error", f"{where}: {status}", status=status, retry_after=wait)


def _final_url(raw: urllib3.BaseHTTPResponse, url: str) -> str:
    """The URL the body came from: the last redirect's target (its Location resolved against
    the URL that answered it), or `url` when nothing redirected."""
    history = raw.retries.history if raw.retries else ()
    last = history[-1] if history else None
    if last is None or last.url is None or last.redirect_location is None:
        return url
    return urljoin(last.url, last.redirect_location)


def _translate(exc: BaseException | None, where: str) -> HttpError:
    """urllib3's exception, as the product's error; the message never repeats urllib3's text,
    which quotes the full URL."""
    # NewConnectionError subclasses ConnectTimeoutError in urllib3 2: test it first.
    if isinstance(exc, Urllib3Timeout) and not isinstance(exc, NewConnectionError):
        return HttpError("timeout", f"{where}: timed out")
    if isinstance(exc, ResponseError):
        return HttpError("redirect", f"{where}: too many redirects")
    return HttpError("network", f"{where}: {type(exc).__name__}")
