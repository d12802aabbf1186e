"""The benchmark, run small: the poll stays within its AWS call budget per article."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_poll.py"


def test_bench_poll_meets_the_call_budget_on_a_small_run() -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--polls", "2", "--per-poll", "60"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    lines = {line.split(":")[0]: line for line in run.stdout.splitlines()}
    writes = float(lines["DynamoDB write calls per new article"].split(":")[1].split()[0])
    sqs = float(lines["SQS calls per new article"].split(":")[1])
    assert writes <= 1.0
    assert sqs <= 0.15
