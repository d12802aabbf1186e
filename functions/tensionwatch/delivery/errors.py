"""What a failed send means for the next step: retry, give up, or disable the subscription.

Like Alertmanager's notifiers, each sender turns the channel's answer into a reason and a
"recoverable" flag; nothing here ever holds the target URL or a secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tensionwatch.http import HttpError

# HTTP 410 Gone is the receiver saying "stop": Standard Webhooks and Slack (deleted hooks) use it.
GONE = {410}


class DeliveryError(Exception):
    """A send that did not succeed. `recoverable`: a later retry may succeed; `disable`: the
    target is gone for good; `retry_after`: seconds the receiver asked us to wait."""

    def __init__(
        self,
        reason: str,
        *,
        recoverable: bool,
        disable: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.recoverable = recoverable
        self.disable = disable
        self.status = status
        self.retry_after = retry_after


class UnsafeTarget(DeliveryError):
    """The target URL is refused by the SSRF guard; never retried. `malformed`: the URL itself
    can never be sent to (not a matter of where its name resolves today), so a stored
    subscription holding it is disabled."""

    def __init__(self, reason: str, *, malformed: bool = False) -> None:
        super().__init__(f"unsafe target: {reason}", recoverable=False, disable=malformed)


def from_status(status: int, retry_after: float | None = None) -> DeliveryError:
    """The failure a non-2xx status means: 410 disables, 408/429/5xx retry, other 4xx give up,
    3xx is refused (redirects are not followed)."""
    if status in GONE:
        return DeliveryError(f"HTTP {status}: target gone", recoverable=False, disable=True,
                             status=status)  # fmt: skip
    if status in {408, 429} or status >= 500:
        return DeliveryError(
            f"HTTP {status}", recoverable=True, status=status, retry_after=retry_after
        )
    if 300 <= status < 400:
        return DeliveryError(f"HTTP {status}: redirect not followed", recoverable=False,
                             status=status)  # fmt: skip
    return DeliveryError(f"HTTP {status}", recoverable=False, status=status)


def from_http_error(error: HttpError) -> DeliveryError:
    """The shared client's error as a delivery failure (its message names host and path only,
    so the reason here keeps just the classification)."""
    if error.status is not None:
        return from_status(error.status, error.retry_after)
    return DeliveryError(
        f"{error.reason}", recoverable=error.recoverable, retry_after=error.retry_after
    )


def unexpected(error: Exception) -> DeliveryError:
    """A failure no sender classified (a bug, a corrupt secret): final for this alert, named by
    its type only, since its message may quote a target or a secret."""
    return DeliveryError(f"unexpected: {type(error).__name__}", recoverable=False)
