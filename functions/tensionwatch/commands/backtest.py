"""`tensionwatch backtest`: replay past news through production's scoring and signal decisions
and print the alerts they would have fired."""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from tensionwatch.backtest.archive import LineError, Numbered
    from tensionwatch.signals.config import SignalConfig

EXIT_BAD_INPUT = 1  # some lines were refused; the rest were replayed
EXIT_UNUSABLE = 2  # nothing could be replayed: no input, bad settings, a source failed
# Python's cycle collector runs every 700 net new containers by default, and a replay keeps
# a month of signatures, stories and buckets alive, which each full collection walks again:
# 3.3 of 27 CPU seconds on 100k articles. Nothing the replay drops is held by a cycle, so it
# collects seldom (peak RSS unchanged at 100k and 1M, docs/performance.md#backtest).
REPLAY_GC_THRESHOLDS = (100_000, 50, 100)
Items = Iterator["Numbered | LineError"]


class Unusable(Exception):
    """Nothing can be replayed; the message says why."""


# (flags, help, extra argparse keywords) of each option: the help is what a user reads.
OPTIONS: tuple[tuple[tuple[str, ...], str, dict[str, object]], ...] = (
    (("--from",), "first day fetched by --gdelt or --guardian",
     {"dest": "start", "type": date.fromisoformat, "metavar": "YYYY-MM-DD"}),
    (("--to",), "last day fetched (default: yesterday)",
     {"dest": "end", "type": date.fromisoformat, "metavar": "YYYY-MM-DD"}),
    (("--set",), "change a signal setting, e.g. --set flash_score=7",
     {"action": "append", "default": [], "metavar": "NAME=VALUE"}),
    (("--compare",), "also replay with this change; show alerts gained and lost per pair",
     {"action": "append", "default": [], "metavar": "NAME=VALUE"}),
    (("--silences",), "silences to apply: JSON lines of the Silence model",
     {"type": Path, "metavar": "FILE"}),
    (("--marks",), 'dates to draw on the charts: JSON lines {"date", "label", "direction", '
     '"pair"} (a mark with a pair is drawn on that pair\'s chart only)',
     {"type": Path, "metavar": "FILE"}),
    (("--out",), "write alerts.jsonl, report.html and a chart per pair here",
     {"type": Path, "metavar": "DIR"}),
    (("--jsonl",), "print the alerts as JSON lines, the message an SNS subscriber gets (the "
     "summary goes to stderr)", {"action": "store_true"}),
    (("--cache",), "where fetched news is kept (default ~/.cache/tensionwatch/history)",
     {"type": Path, "metavar": "DIR"}),
    (("--schema",), "print the JSON Schema of an archive line and exit", {"action": "store_true"}),
    (("--quiet",), "no progress bar", {"action": "store_true"}),
)  # fmt: skip


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The command's arguments."""
    parser = commands.add_parser(
        "backtest",
        description=__doc__,
        help="replay past news through the production decisions and print the alerts",
    )
    parser.add_argument(
        "archive",
        nargs="?",
        help="JSON lines of articles (see --schema; .gz read as such), '-' for stdin, or "
        "'sample' for the bundled sample archive",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--gdelt", metavar="QUERY", help="fetch past news from GDELT DOC 2.0")
    source.add_argument(
        "--guardian", metavar="QUERY", help="fetch past news from the Guardian (GUARDIAN_API_KEY)"
    )
    for flags, text, extra in OPTIONS:
        parser.add_argument(*flags, help=text, **extra)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Streams:
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO

    def warn(self, message: str) -> None:
        self.stderr.write(f"tensionwatch backtest: {message}\n")


def run(args: argparse.Namespace, *, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Entry point: 0, 1 when some lines were refused, 2 when nothing could be replayed."""
    from tensionwatch.backtest.archive import ARCHIVE_SCHEMA

    if args.schema:
        stdout.write(json.dumps(ARCHIVE_SCHEMA, indent=2) + "\n")
        return 0
    io = Streams(stdin, stdout, stderr)
    try:
        with ExitStack() as files:
            return _replay(args, files, io)
    except Unusable as error:
        io.warn(str(error))
        return EXIT_UNUSABLE


def _replay(args: argparse.Namespace, files: ExitStack, io: Streams) -> int:
    from tensionwatch.backtest.compare import compare
    from tensionwatch.backtest.inputs import read_marks, read_silences
    from tensionwatch.backtest.outputs import write_alert, write_out
    from tensionwatch.backtest.replay import replay
    from tensionwatch.backtest.summary import compare_lines, summary_lines
    from tensionwatch.http import HttpError
    from tensionwatch.report.watch import SignalWatch
    from tensionwatch.scoring.scorer import score_article
    from tensionwatch.sources.base import SourceError

    configs = _configs(args)
    title, items = _items(args, files, io)
    silences = read_silences(args.silences, io.warn) if args.silences else []
    watch = SignalWatch(configs[0]) if args.out else None
    # JSON lines go out as each alert is published: a long replay holds rows, not alerts.
    stream = io.stdout.buffer if args.jsonl else None
    on_alert = None if stream is None else partial(write_alert, out=stream)
    io.stdout.flush()
    began = time.perf_counter()
    try:
        with _seldom_collected():
            done = replay(items, configs, score_article, silences=silences, watchers=[watch],
                          on_bad=lambda bad: io.warn(f"{title} {bad}"),
                          keep_alerts=bool(args.out), on_alert=on_alert)  # fmt: skip
    except (HttpError, SourceError) as error:
        message = f"{title}: {error}; what was fetched is cached: run again to resume"
        raise Unusable(message) from None
    lines = summary_lines(title, done, done.runs[0], time.perf_counter() - began)
    diffs = compare(done.runs[0].rows, done.runs[1].rows) if len(done.runs) > 1 else []
    if len(done.runs) > 1:
        lines += compare_lines(done.runs[0], done.runs[1], diffs)
    if stream is not None:
        stream.flush()
    (io.stderr if args.jsonl else io.stdout).write("\n".join(lines) + "\n")
    if args.out and watch is not None and done.articles:
        marks = read_marks(args.marks, io.warn) if args.marks else []
        for path in write_out(
            args.out, f"Backtest of {title}", done, watch, marks=marks, comparison=diffs
        ):
            io.stderr.write(f"wrote {path}\n")
    return EXIT_BAD_INPUT if done.bad else 0


@contextmanager
def _seldom_collected() -> Iterator[None]:
    """The cycle collector at REPLAY_GC_THRESHOLDS for the replay, as it was after."""
    before = gc.get_threshold()
    gc.set_threshold(*REPLAY_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _configs(args: argparse.Namespace) -> list[SignalConfig]:
    from tensionwatch.backtest.overrides import OverrideError, configured, parse_overrides
    from tensionwatch.signals.config import SignalConfig

    try:
        base = configured(SignalConfig(), parse_overrides(args.set))
        if not args.compare:
            return [base]
        return [base, configured(base, parse_overrides(args.compare))]
    except OverrideError as error:
        raise Unusable(str(error)) from None


def _items(args: argparse.Namespace, files: ExitStack, io: Streams) -> tuple[str, Items]:
    """What is replayed, named for the summary, and its items."""
    from tensionwatch.backtest.inputs import SAMPLE, archive_items, open_archive, sample_path
    from tensionwatch.commands.progress import terminal_progress

    if args.gdelt or args.guardian:
        return _history(args, io)
    if args.archive is None:
        raise Unusable("name an archive (a file, '-' or 'sample'), or --gdelt or --guardian")
    if args.archive == "-":
        return "stdin", archive_items(io.stdin.buffer, None, None)
    path = Path(args.archive)
    if args.archive == SAMPLE and not path.exists():
        path = sample_path()
    try:
        stream = files.enter_context(open_archive(path))
    except OSError as error:
        raise Unusable(f"cannot read {args.archive}: {error.strerror}") from None
    progress = terminal_progress(io.stderr, "replaying", args.quiet)
    size = None if path.suffix == ".gz" else path.stat().st_size  # gzip: no progress by bytes
    return path.name.removesuffix(".gz"), archive_items(stream, size, progress)


def _history(args: argparse.Namespace, io: Streams) -> tuple[str, Items]:
    from tensionwatch.backtest.history import History, HistoryQuery, cache_dir
    from tensionwatch.backtest.inputs import history_items
    from tensionwatch.commands.progress import terminal_progress
    from tensionwatch.config import BacktestSettings

    if args.start is None:
        raise Unusable("--gdelt and --guardian need --from YYYY-MM-DD")
    last = args.end or datetime.now(UTC).date() - timedelta(days=1)
    start = datetime(args.start.year, args.start.month, args.start.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
    query = (HistoryQuery("gdelt", args.gdelt, start, end) if args.gdelt
             else HistoryQuery("guardian", args.guardian, start, end))  # fmt: skip
    settings = BacktestSettings.from_environ()
    history = History(settings, args.cache or cache_dir(settings))
    progress = terminal_progress(io.stderr, f"fetching from {query.kind}", args.quiet)
    title = f"{query.kind} {query.query!r}, {start:%Y-%m-%d} to {last:%Y-%m-%d}"
    return title, history_items(history, query, progress, io.warn)
