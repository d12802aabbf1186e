"""The poll's fan-out: the schedule's tick queues one task per source on the PollQueue, and the
poll function's workers take the tasks concurrently (up to the event source's
MaximumConcurrency), each polling its source under the source's lease (`PollPipeline.run`).

A task is a `PollEvent` naming one source, with the tick's scheduled time (the poll's "now")
and when it was queued (its lateness, when a worker takes it). One source per task, not shards
of feeds: a slow feed then holds one worker, never the feeds queued behind it in a shard
(docs/performance.md: what a task costs, and where shards would pay).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

# The poll's logger: created as the handler is imported, under the function's service name.
from tensionwatch.pipeline.poll import PollEvent, logger
from tensionwatch.store.queue import ModelQueue


@dataclass(frozen=True)
class Dispatched:
    """What one tick queued: a task per source."""

    dispatched: int
    scheduled_time: str


class PollDispatcher:
    def __init__(
        self,
        sources: Sequence[str],
        tasks: ModelQueue,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._sources = list(sources)
        self._tasks = tasks
        self._clock = clock

    def dispatch(self, event: PollEvent) -> Dispatched:
        """Queue a task for each source the event names (every configured source for None);
        raises ValueError for an unknown name, and RuntimeError when SQS refused some tasks
        after its retries (the tick fails: the scheduler's retry and the Errors alarm)."""
        names = event.sources if event.sources is not None else self._sources
        unknown = sorted(set(names) - set(self._sources))
        if unknown:
            raise ValueError(f"unknown sources: {', '.join(unknown)}")
        now = event.scheduled_time or datetime.fromtimestamp(self._clock(), UTC)
        queued_at = self._clock()
        tasks = [PollEvent(sources=[name], scheduled_time=now, dispatched_at=queued_at)
                 for name in names]  # fmt: skip
        unsent = self._tasks.send(tasks)
        if unsent:
            missing = [name for task in unsent for name in task.sources or []]
            raise RuntimeError(f"{len(unsent)} poll tasks not queued: {', '.join(missing)}")
        logger.info("poll tasks queued", extra={"tasks": len(tasks), "scheduled_time": now})
        return Dispatched(len(tasks), f"{now:%Y-%m-%dT%H:%M:%SZ}")
