"""`tensionwatch demo`: the whole pipeline offline on the bundled sample news."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO


def run(args: argparse.Namespace, *, stdout: TextIO, stderr: TextIO) -> int:
    """Run the demo and print its report; with `--out`, also write alerts, charts and a page."""
    from tensionwatch.commands.progress import terminal_progress
    from tensionwatch.local.demo import offline, run_demo
    from tensionwatch.local.report import write_report

    with offline():
        result = run_demo(on_tick=terminal_progress(stderr, "simulating", args.quiet))
    write_report(result, stdout)
    if args.out:
        from tensionwatch.local.outputs import write_outputs

        for path in write_outputs(result, Path(args.out)):
            stdout.write(f"wrote {path}\n")
    return 0
