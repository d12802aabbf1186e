"""Cold start: import each Lambda handler in a fresh interpreter; report import time and peak RSS.

    python scripts/cold_start.py [--runs 7] [--json]

Each handler is imported `--runs` times, each time in a new `python -c` process, as Lambda's
init phase does; the table shows the median and worst import time and the peak resident set
size of the process. The bare interpreter's own numbers are shown for reference.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass

HANDLERS = (
    "tensionwatch.handlers.poll",
    "tensionwatch.handlers.score",
    "tensionwatch.handlers.deliver",
    "tensionwatch.handlers.api",
)
IMPORT_MS_TARGET = 300.0  # issue 7: per handler, on this machine
PEAK_RSS_MB_TARGET = 100.0

PROBE = """
import resource, time
t0 = time.perf_counter()
{statement}
elapsed = (time.perf_counter() - t0) * 1000
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

# What Lambda sets before init; nothing here names real resources.
LAMBDA_ENV = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_LAMBDA_FUNCTION_NAME": "cold-start-probe",
    "POWERTOOLS_SERVICE_NAME": "tensionwatch",
    "POWERTOOLS_METRICS_NAMESPACE": "TensionWatch",
    "POWERTOOLS_TRACE_DISABLED": "true",
}


@dataclass(frozen=True)
class Measurement:
    module: str
    median_ms: float
    max_ms: float
    peak_rss_mb: float

    @property
    def meets_targets(self) -> bool:
        return self.median_ms <= IMPORT_MS_TARGET and self.peak_rss_mb <= PEAK_RSS_MB_TARGET


def probe_once(statement: str) -> tuple[float, float]:
    """One fresh interpreter; returns (import milliseconds, peak RSS in MB)."""
    env = {**os.environ, **LAMBDA_ENV}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(statement=statement)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    elapsed, rss = done.stdout.split()
    return float(elapsed), float(rss)


def measure(module: str, runs: int) -> Measurement:
    statement = f"import {module}" if module else "pass"
    samples = [probe_once(statement) for _ in range(runs)]
    times = [elapsed for elapsed, _ in samples]
    return Measurement(
        module=module or "(bare interpreter)",
        median_ms=round(statistics.median(times), 1),
        max_ms=round(max(times), 1),
        peak_rss_mb=round(max(rss for _, rss in samples), 1),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    results = [measure("", args.runs), *(measure(module, args.runs) for module in HANDLERS)]
    if args.json:
        print(json.dumps([asdict(result) for result in results], indent=2))
    else:
        print(f"{'handler':34} {'median ms':>10} {'max ms':>8} {'peak RSS MB':>12}  target")
        for result in results:
            verdict = "ok" if result.meets_targets else "OVER"
            print(
                f"{result.module:34} {result.median_ms:10.1f} {result.max_ms:8.1f} "
                f"{result.peak_rss_mb:12.1f}  {verdict}"
            )
        print(f"targets: import ≤ {IMPORT_MS_TARGET:.0f} ms, RSS ≤ {PEAK_RSS_MB_TARGET:.0f} MB")
    handlers = results[1:]
    return 0 if all(result.meets_targets for result in handlers) else 1


if __name__ == "__main__":
    raise SystemExit(main())
