"""Concurrent workers in one process, the offline stack's way: threads that take turns.

A worker thread holds the turn while it runs Python and calls (moto's) AWS, and hands it over
while it waits on a news server (`HttpClient.get`/`post`: the request, its retries' backoff and
the source's pacing sleeps). So the workers' network waits overlap, as separate Lambda
containers' do, while no two AWS calls interleave: moto checks a condition and writes under
no item lock, where DynamoDB applies one conditional write to an item at a time. Powertools'
shared metrics and logger keys are likewise touched by one worker at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from unittest import mock

from tensionwatch.http import HttpClient

T = TypeVar("T")


class Turns:
    def __init__(self) -> None:
        self._lock = threading.Lock()

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Run the block as the one worker holding the turn."""
        with self._lock:
            yield

    @contextmanager
    def network_waits_overlap(self) -> Iterator[None]:
        """While active, the HTTP client gives up the turn for each request it makes."""
        with (mock.patch.object(HttpClient, "get", self._yielding(HttpClient.get)),
              mock.patch.object(HttpClient, "post", self._yielding(HttpClient.post))):  # fmt: skip
            yield

    def _yielding(self, call: Callable[..., T]) -> Callable[..., T]:
        lock = self._lock

        def waiting(*args: Any, **kwargs: Any) -> T:
            lock.release()
            try:
                return call(*args, **kwargs)
            finally:
                lock.acquire()

        return waiting
