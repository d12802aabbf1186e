"""A thousand feeds every five minutes: the tick queues a task per feed, concurrent workers
poll them, each feed once per tick, never two requests to one feed at once or closer than its
interval, and the slowest feed delays no other (issue #20). The full run is `make fanout`."""

from __future__ import annotations

import moto
import pytest

from tests.reliability.fanout import run_fanout

CI_FEEDS, CI_SCALE = 40, 0.5  # latencies 0.1-1.5 s: about 30 s here


def _check(feeds: int, intervals: int, scale: float, capsys: pytest.CaptureFixture[str]) -> None:
    with moto.mock_aws():
        run = run_fanout(feeds, intervals, scale)
    with capsys.disabled():  # the numbers docs/performance.md quotes, past the EMF lines
        print(f"\n{feeds} feeds x {intervals} ticks, {run.workers} workers, latency scale {scale}: "
              f"seconds per tick {[round(s, 1) for s in run.seconds]}, requests completed during "
              f"the slowest feed's request per tick {run.overtaken()}, tasks taken over "
              f"300 s after their tick {run.late()}")  # fmt: skip
    assert run.problems() == []
    assert len(run.reports) == feeds * intervals  # one worker turn per feed and tick
    assert all(n > 0 for n in run.overtaken()), "the slowest feed held the others back"
    if feeds <= CI_FEEDS:
        assert run.late() == 0  # a few seconds a tick: no task can wait 300 s


def test_every_feed_is_polled_once_a_tick_by_concurrent_workers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _check(CI_FEEDS, 3, CI_SCALE, capsys)


@pytest.mark.slow  # 1,000 feeds at real latencies (0.2-3 s): `make fanout`
def test_a_thousand_feeds_are_each_polled_once_every_five_minutes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _check(1000, 2, 1.0, capsys)
