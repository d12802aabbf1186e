"""`tensionwatch` command line. Each command's work is imported only when it runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

DESCRIPTION = (
    "Tension Watch reads the news and says when relations between two countries thaw or "
    "escalate, with the sentences that show it."
)
EPILOG = (
    "Try: 'tensionwatch demo' (the whole pipeline offline), 'tensionwatch score FILE' (one "
    "text's reading), 'tensionwatch backtest sample' (what would have fired on past news)."
)


def build_parser() -> argparse.ArgumentParser:
    from tensionwatch.commands import backtest, settle_days, stories

    parser = argparse.ArgumentParser(prog="tensionwatch", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    score = commands.add_parser("score", help="score text: a file, '-' for stdin, or --jsonl")
    score.add_argument("path", nargs="?", default="-", help="text file, or '-' for stdin")
    score.add_argument(
        "--jsonl", action="store_true", help='read {"id","text"} lines from the file or stdin'
    )

    demo = commands.add_parser("demo", help="run the whole pipeline offline on sample news")
    demo.add_argument("--out", default=None, help="also write alerts, charts and a report here")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")

    backtest.add_parser(commands)
    stories.add_parser(commands)
    settle_days.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "score":
        from tensionwatch.commands.score import run as run_score

        return run_score(args, stdin=sys.stdin.buffer, stdout=sys.stdout, stderr=sys.stderr)
    if args.command == "backtest":
        from tensionwatch.commands.backtest import run as run_backtest

        return run_backtest(args, stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr)
    if args.command == "stories":
        from tensionwatch.commands.stories import run as run_stories

        return run_stories(args, stdin=sys.stdin.buffer, stdout=sys.stdout, stderr=sys.stderr)
    if args.command == "settle-days":
        from tensionwatch.commands.settle_days import run as run_settle_days

        return run_settle_days(args, stdout=sys.stdout, stderr=sys.stderr)
    from tensionwatch.commands.demo import run as run_demo

    return run_demo(args, stdout=sys.stdout, stderr=sys.stderr)


def _version() -> str:
    try:
        return version("tensionwatch")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
