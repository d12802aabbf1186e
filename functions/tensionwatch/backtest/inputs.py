"""Where a backtest's articles come from: an archive file (or stdin, or the bundled sample), or
a historical query, each as numbered items with the fraction read so far for a progress bar;
and the side files a replay takes (silences, chart marks), read with the same line errors."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import BinaryIO, TypeVar

from pydantic import BaseModel, Field, ValidationError

from tensionwatch.backtest.archive import LineError, Numbered, read_lines, validation_reason
from tensionwatch.backtest.history import History, HistoryQuery
from tensionwatch.models import Direction, Frozen, Silence
from tensionwatch.report.data import Mark

SAMPLE = "sample"  # the archive argument naming the bundled sample archive
PROGRESS_EVERY = 4096  # lines between progress reports
Progress = Callable[[float], None]
Warn = Callable[[str], None]
M = TypeVar("M", bound=BaseModel)


def sample_path() -> Path:
    """The bundled sample archive: the demo's news over eight weeks, plus generated volume."""
    data = resources.files("tensionwatch.local").joinpath("data/sample_archive.jsonl.gz")
    return Path(str(data))


def open_archive(path: Path) -> BinaryIO:
    """`path` to read as lines of bytes; a `.gz` file decompressed as it is read."""
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def archive_items(
    stream: BinaryIO, size: int | None, progress: Progress | None
) -> Iterator[Numbered | LineError]:
    """The items of an archive `stream` of `size` bytes (None: unknown, no progress)."""
    return read_lines(_counted(stream, size, progress))


def _counted(stream: BinaryIO, size: int | None, progress: Progress | None) -> Iterator[bytes]:
    done = 0
    for number, raw in enumerate(stream, start=1):
        done += len(raw)
        if progress is not None and size and number % PROGRESS_EVERY == 0:
            progress(done / size)
        yield raw
    if progress is not None and size:
        progress(1.0)


def history_items(
    history: History, query: HistoryQuery, progress: Progress | None, warn: Warn
) -> Iterator[Numbered | LineError]:
    """The articles of a historical query, window by window, numbered in order; a window the
    source's cap cut short is said through `warn`."""
    number = 0
    span = (query.end - query.start).total_seconds()
    for window in history.windows(query):
        if window.capped:
            warn(f"{query.kind}: {window.start:%Y-%m-%d %H:%M} to {window.end:%Y-%m-%d %H:%M} "
                 f"reached the answer's cap even as the smallest window; some articles are "
                 f"missing there")  # fmt: skip
        for article in window.articles:
            number += 1
            yield Numbered(number, article)
        if progress is not None and span > 0:
            progress(min(1.0, (window.end - query.start).total_seconds() / span))


class MarkLine(Frozen):
    """A line of a `--marks` file: a date to draw on every chart."""

    date: date
    label: str = ""
    direction: Direction = "neutral"
    pair: str | None = Field(default=None, pattern=r"^[A-Z]{2}-[A-Z]{2}$")  # that chart only


def read_marks(path: Path, warn: Warn) -> list[Mark]:
    """The marks of a JSON-lines file; a bad line is reported through `warn` and skipped."""
    return [Mark(m.date, m.label, m.direction, m.pair) for m in _models(path, MarkLine, warn)]


def read_silences(path: Path, warn: Warn) -> list[Silence]:
    """The silences (Silence model, one a line) of a file; bad lines reported and skipped."""
    return list(_models(path, Silence, warn))


def _models(path: Path, model: type[M], warn: Warn) -> Iterator[M]:
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                yield model.model_validate_json(raw)
            except ValidationError as error:
                warn(f"{path.name} line {number}: {validation_reason(error)}")
