"""`tensionwatch settle-days --table NAME`: put each pair's open day in its day bucket, as the
score function does once the day is closed. Run it before rolling back to a release that reads
no open day (infra/README.md, "Operations"): such code would count each pair's last day as 0."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

EXIT_FAILED = 1


def add_parser(commands: Any) -> None:
    """The `settle-days` subcommand's arguments."""
    settle = commands.add_parser(
        "settle-days", help="put each pair's open day in its day bucket (before a rollback)"
    )
    settle.add_argument("--table", required=True, help="the stack's DyadsTableName output")


def run(args: argparse.Namespace, *, stdout: TextIO, stderr: TextIO) -> int:
    from tensionwatch.store.ddb import AWS_ERRORS
    from tensionwatch.store.dyads import DyadStore

    try:
        settled = DyadStore(args.table).settle_open_days()
    except AWS_ERRORS as error:
        print(f"settle-days: {error}", file=stderr)
        return EXIT_FAILED
    print(f"settled {settled} open days in {args.table}", file=stdout)
    return 0
