"""How long the deliver function may still send: the Lambda's remaining time less a reserve.

A batch is up to 10 alerts x a few subscriptions, each send bounded by the transport's timeout:
one unreachable receiver would take a batch far past the function's timeout, Lambda would kill
it, and every record would come back only after the queue's visibility timeout, skipping the
designed backoff. So each send gets at most what is left, and once too little is left the
remaining subscriptions are deferred: reported as item failures and made visible again at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

# Kept back for what follows the last send: its notification-log write, one SQS
# ChangeMessageVisibility per deferred record (10 at most, tens of ms each) and the response.
RESERVE_SECONDS = 2.0
# Less than this left, a send is not started: a TLS handshake alone can take a second.
MIN_SEND_SECONDS = 1.0


class RemainingTime(Protocol):
    """The part of a LambdaContext a deadline reads."""

    def get_remaining_time_in_millis(self) -> int: ...


@dataclass(frozen=True)
class Deadline:
    """The monotonic time by which sending must have stopped."""

    at: float
    clock: Callable[[], float] = field(default=time.monotonic, compare=False)

    @classmethod
    def of(cls, context: RemainingTime, reserve: float = RESERVE_SECONDS) -> Deadline:
        """The deadline of the invocation `context` belongs to."""
        return cls(time.monotonic() + context.get_remaining_time_in_millis() / 1000 - reserve)

    @classmethod
    def never(cls) -> Deadline:
        """No limit (the API's test sends and the offline stack's replays)."""
        return cls(float("inf"))

    def send_timeout(self, cap: float) -> float | None:
        """Seconds the next send may take (at most `cap`), or None when too little is left
        to start one."""
        left = self.at - self.clock()
        return min(cap, left) if left >= MIN_SEND_SECONDS else None
