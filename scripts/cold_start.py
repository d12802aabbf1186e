"""Cold start: import each Lambda handler in a fresh interpreter; report import time and peak RSS.

    python scripts/cold_start.py [--runs 7] [--json]

Each handler is imported `--runs` times, each time in a new `python -c` process, as Lambda's
init phase does; the table shows the median and worst import time and the peak resident set
size of the process. The target is on import; the "first build" column adds what the first
invocation pays on top, building the handler's cached collaborators (boto3 clients, the
lexicon), so nobody mistakes the import for the whole cold start. Building makes no AWS call;
the probe points the SDK at a closed local port so that an accidental one fails fast.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import source_only  # noqa: E402  (the project root is on the path only now)

# handler module, its cached factory, its settings model in tensionwatch.config
HANDLERS = (
    ("tensionwatch.handlers.poll", "pipeline", "PollSettings"),
    ("tensionwatch.handlers.score", "pipeline", "ScoreSettings"),
    ("tensionwatch.handlers.deliver", "pipeline", "DeliverSettings"),
    ("tensionwatch.handlers.api", "services", "ApiSettings"),
    ("tensionwatch.handlers.digest", "pipeline", "DigestSettings"),
)
IMPORT_MS_TARGET = 300.0  # issue 7: per handler, on this machine
PEAK_RSS_MB_TARGET = 100.0

# Lambda runs the scorer from source (sam build packages functions/ for another platform, so
# the extensions `make compile` builds here never load there): by default the probe hides them.
PROBE = """
{prelude}
import resource, time
t0 = time.perf_counter()
{statement}
t1 = time.perf_counter()
{build}
t2 = time.perf_counter()
print((t1 - t0) * 1000, (t2 - t1) * 1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

# What Lambda sets before init; nothing here names real resources.
LAMBDA_ENV = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_LAMBDA_FUNCTION_NAME": "cold-start-probe",
    "POWERTOOLS_SERVICE_NAME": "tensionwatch",
    "POWERTOOLS_METRICS_NAMESPACE": "TensionWatch",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "AWS_ACCESS_KEY_ID": "probe",
    "AWS_SECRET_ACCESS_KEY": "probe",
    "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
}


@dataclass(frozen=True)
class Measurement:
    module: str
    median_ms: float
    max_ms: float
    build_ms: float
    peak_rss_mb: float

    @property
    def meets_targets(self) -> bool:
        return self.median_ms <= IMPORT_MS_TARGET and self.peak_rss_mb <= PEAK_RSS_MB_TARGET


def settings_environment(settings_model: str) -> dict[str, str]:
    """Placeholder values for every variable the function's settings model requires."""
    import tensionwatch.config

    model = getattr(tensionwatch.config, settings_model)
    return {name: f"probe-{name.lower()}" for name, field in model.model_fields.items()
            if field.is_required()}  # fmt: skip


def probe_once(
    statement: str, build: str, env: dict[str, str], compiled: bool
) -> tuple[float, float, float]:
    """One fresh interpreter; returns (import ms, first-build ms, peak RSS in MB)."""
    prelude = "" if compiled else source_only.prelude(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(prelude=prelude, statement=statement, build=build)],
        capture_output=True,
        text=True,
        env={**os.environ, **LAMBDA_ENV, **env},
        check=True,
    )
    imported, built, rss = done.stdout.split()
    return float(imported), float(built), float(rss)


def measure(handler: tuple[str, str, str] | None, runs: int, compiled: bool) -> Measurement:
    module, factory, settings_model = handler or ("", "", "")
    statement = f"import {module} as handler" if module else "pass"
    build = f"handler.{factory}()" if factory else "pass"
    env = settings_environment(settings_model) if settings_model else {}
    samples = [probe_once(statement, build, env, compiled) for _ in range(runs)]
    return Measurement(
        module=module or "(bare interpreter)",
        median_ms=round(statistics.median(s[0] for s in samples), 1),
        max_ms=round(max(s[0] for s in samples), 1),
        build_ms=round(statistics.median(s[1] for s in samples), 1),
        peak_rss_mb=round(max(s[2] for s in samples), 1),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--compiled", action="store_true", help="load the scorer's mypyc extensions (the CLI)"
    )
    args = parser.parse_args()
    results = [
        measure(None, args.runs, args.compiled),
        *(measure(handler, args.runs, args.compiled) for handler in HANDLERS),
    ]
    if args.json:
        print(json.dumps([asdict(result) for result in results], indent=2))
    else:
        print(f"{'handler':32} {'import ms':>9} {'max ms':>7} {'+first build ms':>15} "
              f"{'peak RSS MB':>11}  target")  # fmt: skip
        for result in results:
            verdict = "ok" if result.meets_targets else "OVER"
            print(
                f"{result.module:32} {result.median_ms:9.1f} {result.max_ms:7.1f} "
                f"{result.build_ms:15.1f} {result.peak_rss_mb:11.1f}  {verdict}"
            )
        print(f"targets: import ≤ {IMPORT_MS_TARGET:.0f} ms, RSS ≤ {PEAK_RSS_MB_TARGET:.0f} MB")
    handlers = results[1:]
    return 0 if all(result.meets_targets for result in handlers) else 1


if __name__ == "__main__":
    raise SystemExit(main())
