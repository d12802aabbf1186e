"""`tensionwatch` command line. Each command's module is imported only when it runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tensionwatch", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    score = commands.add_parser("score", help="score text: a file, '-' for stdin, or --jsonl")
    score.add_argument("path", nargs="?", default="-", help="text file, or '-' for stdin")
    score.add_argument(
        "--jsonl", action="store_true", help='read {"id","text"} lines from the file or stdin'
    )

    demo = commands.add_parser("demo", help="run the whole pipeline offline on sample news")
    demo.add_argument("--out", default=None, help="also write alerts JSON and charts here")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "score":
        from tensionwatch.commands.score import run as run_score

        return run_score(args, stdin=sys.stdin.buffer, stdout=sys.stdout, stderr=sys.stderr)
    from tensionwatch.commands.demo import run as run_demo

    return run_demo(args, stdout=sys.stdout)


if __name__ == "__main__":
    raise SystemExit(main())
