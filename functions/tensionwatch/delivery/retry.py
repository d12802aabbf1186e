"""When a failed delivery is tried again, and when it is given up: the deliver function's
settings (MAX_RECEIVES, RETRY_BASE_SECONDS...) as one value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    max_receives: int = 5
    max_consecutive_failures: int = 15
    base_seconds: int = 30
    max_seconds: int = 900

    def delay(self, receive_count: int, retry_after: float | None) -> float:
        """Seconds before the next attempt: the receiver's Retry-After, else exponential."""
        if retry_after is not None:
            return retry_after
        return float(min(self.max_seconds, self.base_seconds * 2 ** max(0, receive_count - 1)))
