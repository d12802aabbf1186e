"""Backtest throughput and memory: `tensionwatch backtest` end to end on generated headline-only
archives (tensionwatch.local.volume: 1,700 articles a day over 20 pairs, a fifth of the stories
reprinted), each run in its own process as a user runs it.

    python scripts/bench_backtest.py [--sizes 100000 1000000] [--dir /tmp/tensionwatch-bench]

Two archives per size: lines with the story ids an export of the poll's queue carries (the
score service alone: score, fold, decide) and bare lines (the backtest first matches syndicated
copies as the poll does, its MinHash the dearest part). For each: wall time, articles per wall
second, CPU seconds (user + system) and articles per CPU second, peak RSS, archive size, and
the load average around the run: this machine is shared, and wall time is what the others
leave over. Generated archives are kept in --dir and reused.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import orjson

from tensionwatch.local.volume import archive_lines

PER_DAY = 1_700  # so 100k articles span 59 days, past the 30-day memory horizon, and 1M 588
TARGET = 5_000  # articles/s, issue 16


def archive(folder: Path, size: int, *, stories: bool) -> Path:
    """The generated archive of `size` lines (written once, then reused)."""
    path = folder / f"volume-{size}{'-stories' if stories else ''}.jsonl"
    if not path.exists():
        partial = path.with_suffix(".partial")
        with partial.open("wb") as out:
            lines = archive_lines(size, datetime(2025, 1, 1, tzinfo=UTC), PER_DAY, stories=stories)
            out.writelines(orjson.dumps(line) + b"\n" for line in lines)
        partial.replace(path)
    return path


def measure(path: Path) -> dict[str, float]:
    """One `tensionwatch backtest` run in a fresh process: wall and CPU seconds, peak RSS."""
    command = [sys.executable, "-m", "tensionwatch.cli", "backtest", str(path), "--quiet",
               "--jsonl"]  # fmt: skip
    load = os.getloadavg()[0]
    began = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    summary = child.stderr.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    if status:
        raise SystemExit(f"backtest failed on {path}:\n{summary}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "load": (load + os.getloadavg()[0]) / 2}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/tensionwatch-bench"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"{'articles':>10} {'story ids':>9} {'MB':>6} {'wall s':>7} {'art/s':>7} "
          f"{'CPU s':>7} {'art/CPU s':>9} {'peak MB':>8} {'load':>5}")  # fmt: skip
    for size in args.sizes:
        for stories in (True, False):
            path = archive(args.dir, size, stories=stories)
            run = measure(path)
            print(f"{size:>10,} {'given' if stories else 'matched':>9} "
                  f"{path.stat().st_size / 1e6:>6.0f} {run['wall']:>7.1f} "
                  f"{size / run['wall']:>7,.0f} {run['cpu']:>7.1f} {size / run['cpu']:>9,.0f} "
                  f"{run['rss_mb']:>8.0f} {run['load']:>5.1f}", flush=True)  # fmt: skip
    print(f"target: {TARGET:,} articles/s end to end; 'art/CPU s' is what one free core does")


if __name__ == "__main__":
    main()
