"""One source's requests inside a poll: spaced, retries included, and counted.

The pacer is the source's HTTP client's gate (`tensionwatch.http.Gate`): every attempt passes
through `before()`, every answer through `after()`. So a retry waits the source's interval like
any other request, a Retry-After delays the source's next request whichever query makes it, and
the poll learns how many requests the source spent against its daily budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from tensionwatch.http import HttpError

# Longest pause inside one poll: the HTTP client's own backoff ceiling. A server asking for
# more is answered by skipping the source until then (tensionwatch.sources.budget), not by a
# Lambda sleeping through its timeout.
MAX_WAIT_SECONDS = 30.0


class Pacer:
    """Keeps at least `interval` seconds between one source's requests and never sends one
    before the time a Retry-After asked for; counts the requests since `begin()`."""

    def __init__(
        self,
        interval: float,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        max_wait: float = MAX_WAIT_SECONDS,
    ) -> None:
        self._interval = interval
        self._sleep = sleep
        self._clock = clock
        self._max_wait = max_wait
        self._last: float | None = None
        self._resume_at: float | None = None
        self.requests = 0
        self.asked_wait: float | None = None  # the longest Retry-After since begin()

    def begin(self) -> None:
        """Start counting a new poll's requests and the waits its answers ask for."""
        self.requests = 0
        self.asked_wait = None

    def before(self) -> None:
        """Sleep until the next request may go; raises HttpError (rate_limited) instead when
        that is further off than `max_wait`."""
        wait = self._wait()
        if wait > self._max_wait:
            raise HttpError("rate_limited", f"the API asked to wait {wait:.0f} s", retry_after=wait)
        if wait > 0:
            self._sleep(wait)
        self._last = self._clock()
        self.requests += 1

    def after(self, retry_after: float | None) -> None:
        """Note an answer's Retry-After: no request of this source goes before it has passed."""
        if retry_after is None:
            return
        self._resume_at = max(self._resume_at or 0.0, self._clock() + retry_after)
        self.asked_wait = max(self.asked_wait or 0.0, retry_after)

    def _wait(self) -> float:
        now = self._clock()
        spacing = self._interval - (now - self._last) if self._last is not None else 0.0
        asked = self._resume_at - now if self._resume_at is not None else 0.0
        return max(spacing, asked, 0.0)
