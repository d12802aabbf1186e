"""The poll's fan-out under load: `feeds` RSS feeds on a local farm, polled by the offline
stack's tick and concurrent workers for `intervals` five-minute ticks of simulated time."""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from tensionwatch.local.runner import Invocation, Runner, SimClock
from tensionwatch.local.stack import REGION, build_stack
from tests.reliability.feedfarm import MIN_INTERVAL_SECONDS, FeedFarm, make_feeds, sources_text
from tests.reliability.moto_speed import moto_speedups

START = datetime(2026, 11, 2, 9, tzinfo=UTC)
EVERY = timedelta(minutes=5)
SOURCES_PARAMETER = "/tensionwatch/sources"
ENV = {"POWERTOOLS_LOG_LEVEL": "CRITICAL", "POWERTOOLS_TRACE_DISABLED": "true",
       "POWERTOOLS_METRICS_DISABLED": "true"}  # fmt: skip


@dataclass
class FanOut:
    farm: FeedFarm
    intervals: list[str]
    seconds: list[float] = field(default_factory=list)  # wall time of each tick's polls
    reports: list[dict[str, Any]] = field(default_factory=list)
    workers: int = 0

    def problems(self) -> list[str]:
        """Every way the run missed: a feed polled other than once per tick, two requests
        to one feed in flight at once or closer than its interval, a late or busy source."""
        found: list[str] = []
        scale = self.farm.scale
        by_feed: dict[int, list[Any]] = defaultdict(list)
        for request in self.farm.requests:
            by_feed[request.feed].append(request)
        for n, feed in enumerate(self.farm.feeds):
            wanted = 2 if feed.hangs or feed.flaky else 1  # one retry after a timeout or 5xx
            got = Counter(r.interval for r in by_feed[n])
            found += [f"feed {n}: {got[i]} requests in tick {i}, wanted {wanted}"
                      for i in self.intervals if got[i] != wanted]  # fmt: skip
            ordered = sorted(by_feed[n], key=lambda r: r.started)
            for earlier, later in itertools.pairwise(ordered):
                if later.started < earlier.ended:
                    found.append(f"feed {n}: two requests in flight at once")
                if later.started - earlier.started < MIN_INTERVAL_SECONDS * scale * 0.95:
                    found.append(f"feed {n}: requests {later.started - earlier.started:.3f} s "
                                 "apart")  # fmt: skip
        for report in self.reports:
            found += [f"{name} skipped: {why}" for name, why in report["skipped"].items()]
        return found

    def late(self) -> int:
        """Tasks a worker took more than a tick (300 s of wall time) after the tick queued
        them: offline, where workers take turns for Python and moto, that is the machine's
        speed; in Lambda, too few workers for the sources."""
        return sum(len(report["late"]) for report in self.reports)

    def overtaken(self) -> list[int]:
        """Per tick: requests of other feeds that started and ended while the slowest
        feed's (feed 0's) request was in flight."""
        counts = []
        for interval in self.intervals:
            [slow] = [r for r in self.farm.requests if r.feed == 0 and r.interval == interval]
            counts.append(sum(1 for r in self.farm.requests if r.feed != 0 and
                              slow.started <= r.started and r.ended <= slow.ended))  # fmt: skip
        return counts


def run_fanout(feeds: int, intervals: int, scale: float) -> FanOut:
    """Call inside moto.mock_aws(). Scale multiplies every latency, timeout and interval."""
    clock = SimClock(START)
    stack = build_stack(parameters={"SourcesParameterName": SOURCES_PARAMETER})
    farm = FeedFarm(make_feeds(feeds, scale), clock, scale)
    ssm: Any = boto3.client("ssm", region_name=REGION)
    ssm.put_parameter(Name=SOURCES_PARAMETER, Type="String",
                      Value=sources_text(farm.url, feeds, scale))  # fmt: skip
    out = FanOut(farm, [(START + k * EVERY).isoformat() for k in range(intervals)])

    def tally(call: Invocation) -> None:
        if call.function == "PollFunction":
            out.reports += (call.result or {}).get("reports", [])

    runner = Runner(stack, clock, overrides={"*": ENV}, on_invoke=tally)
    [tasks] = stack.functions["PollFunction"].sqs
    out.workers = tasks.max_concurrency
    try:
        with moto_speedups():  # moto's transactions at the cost of their items, not the table
            for _ in range(intervals):
                began = time.perf_counter()
                runner.fire_schedules()
                runner.drain(frozenset({"PollFunction"}))  # the scorer is the books' test
                out.seconds.append(time.perf_counter() - began)
                clock.now += EVERY
    finally:
        farm.close()
    return out
