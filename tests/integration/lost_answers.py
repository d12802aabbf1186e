"""A DynamoDB client whose UpdateItem answers are lost: the write commits, the SDK retries it."""

from __future__ import annotations

from typing import Any


class LostAnswerClient:
    """DynamoDB whose UpdateItem answers are lost once: each call commits, and the SDK's retry
    of the same request (same parameters) is what the caller hears back."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.repeated = inner, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def update_item(self, **request: Any) -> Any:
        self.inner.update_item(**request)
        self.repeated += 1
        return self.inner.update_item(**request)
