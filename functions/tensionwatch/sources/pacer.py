"""One source's requests inside a poll: spaced, retries included, and counted.

The pacer is the source's HTTP client's gate (`tensionwatch.http.Gate`): every attempt passes
through `before()`, every answer through `after()`. So a retry waits the source's interval like
any other request, a Retry-After delays the source's next request whichever query makes it, and
the poll learns how many requests the source spent against its daily budget.

Polls of one source run one at a time (the source's lease) but not always in one container:
`begin(not_before)` takes the time the previous poll's `next_allowed()` handed on through the
source's state, so the spacing holds across workers. The clock is the wall clock for that
reason: two containers' monotonic clocks share no origin.
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
        clock: Callable[[], float] = time.time,
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

    def begin(self, not_before: float | None = None) -> None:
        """Start counting a new poll's requests and the waits its answers ask for; no request
        goes before `not_before` (the previous poll's `next_allowed()`, on this clock)."""
        self.requests = 0
        self.asked_wait = None
        if not_before is not None:
            self._resume_at = max(self._resume_at or not_before, not_before)

    def next_allowed(self) -> float | None:
        """The earliest time the source's next request may go (None: any time), for the
        source's next poll wherever it runs."""
        spacing = self._last + self._interval if self._last is not None else None
        times = [t for t in (spacing, self._resume_at) if t is not None]
        return max(times) if times else None

    def wait_due(self) -> float:
        """Seconds the next request would wait if it went now."""
        return self._wait()

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
