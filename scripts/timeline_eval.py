"""Real news as it flowed: each year in ../shared/timelines, item by item and replayed.

Item level: each item's reading (the poll's `score_article`) against its label, off-topic
counted as neutral, macro-F1 beside VADER; and on the items that moved relations, how often the
reading names the year's pair (the file's first two codes, `jp-kr-2019` -> JP-KR).

Replayed: `tensionwatch backtest` on the year, as a user runs it. For each turning point in the
README table beside it (`| date | direction | event |`), the pair's alerts of that direction
from its day to a week after; then every alert of the pair with the turning point before it, so
an alert against the year's course shows. `--out DIR` writes the backtest's report with the
turning points drawn on the charts.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from _eval_data import SHARED_DIR, metrics, print_metrics, vader_directions
from tensionwatch.backtest.archive import parse_line
from tensionwatch.models import Alert
from tensionwatch.scoring.scorer import score_article

TIMELINES = SHARED_DIR / "timelines"
# A turning point "alerted" when an alert of its direction fired within this many days of it:
# reports often carry the next day, and a state needs a day of stories to enter.
AFTER = timedelta(days=7)
# Table rows of the README: `| 2019-07-01 (effective 07-04) | escalation | ... |`.
ROW = re.compile(r"^\|\s*(\d{4}-\d{2}-\d{2})[^|]*\|\s*(thaw|escalation)([^|]*)\|", re.MULTILINE)


@dataclass(frozen=True)
class TurningPoint:
    day: date
    direction: str
    minor: bool


def turning_points(readme: Path) -> list[TurningPoint]:
    """The dated thaw and escalation rows of a timeline README's table."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    return [
        TurningPoint(date.fromisoformat(day), direction, "minor" in rest)
        for day, direction, rest in ROW.findall(text)
    ]


def pair_of(path: Path) -> str:
    return "-".join(sorted(part.upper() for part in path.stem.split("-")[:2]))


def item_level(path: Path, pair: str) -> tuple[float, float]:
    """Macro-F1 of the items (printed beside VADER) and the share of moving items that name
    `pair`."""
    labels_path = path.with_name(f"{path.stem}.labels.jsonl")
    labels = {row["id"]: row["direction"] for row in map(json.loads, _lines(labels_path))}
    articles = [parse_line(line.encode(), n) for n, line in enumerate(_lines(path), start=1)]
    gold = ["neutral" if labels[a.id] == "offtopic" else labels[a.id] for a in articles]
    readings = [score_article(a) for a in articles]
    ours = metrics(gold, [r.direction for r in readings])
    vader = metrics(gold, vader_directions([a.title for a in articles]))
    print_metrics(f"{path.stem}, item by item", len(articles), ours, vader)
    moving = [r for g, r in zip(gold, readings, strict=True) if g != "neutral"]
    named = sum(any(p.dyad == pair for p in r.pairs) for r in moving) / max(len(moving), 1)
    print(f"  {pair} among the reading's pairs on {named:.3f} of {len(moving)} moving items")
    return ours.macro_f1, named


def replayed(path: Path, pair: str, points: list[TurningPoint], out: Path | None) -> None:
    alerts = [a for a in backtest(path, points, out) if a.dyad == pair]
    print(f"\n== {path.stem}, replayed: {len(alerts)} alerts of {pair}")
    for point in points:
        end = point.day + AFTER
        found = [a for a in alerts if a.direction == point.direction
                 and point.day <= a.fired_at.date() <= end]  # fmt: skip
        said = ", ".join(f"{a.fired_at:%d %b} {a.kind} {a.severity}" for a in found) or "none"
        minor = " (minor)" if point.minor else ""
        print(f"  {point.day:%d %b} {point.direction:<10}{minor:8} alerts within a week: {said}")
    print("  every alert, with the turning point before it:")
    for alert in alerts:
        before = [p for p in points if p.day <= alert.fired_at.date()]
        course = f"{before[-1].day:%d %b} {before[-1].direction}" if before else "before any"
        print(f"    {alert.fired_at:%Y-%m-%d %H:%M} {alert.kind:<12} {alert.direction:<10} "
              f"{alert.state_after:<10} after {course}")  # fmt: skip


def backtest(path: Path, points: list[TurningPoint], out: Path | None) -> list[Alert]:
    """The alerts `tensionwatch backtest --jsonl` prints for the year (run as a user runs it)."""
    command = [str(Path(sys.executable).with_name("tensionwatch")), "backtest", str(path),
               "--jsonl", "--quiet"]  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        if out is not None:
            marks = Path(scratch) / "marks.jsonl"
            marks.write_text("".join(_mark_line(p) for p in points), encoding="utf-8")
            command += ["--out", str(out / path.stem), "--marks", str(marks)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
    return [Alert.model_validate_json(line) for line in done.stdout.splitlines()]


def _mark_line(point: TurningPoint) -> str:
    label = f"{point.direction}{' (minor)' if point.minor else ''}"
    return json.dumps({"date": point.day.isoformat(), "label": label,
                       "direction": point.direction}) + "\n"  # fmt: skip


def _lines(path: Path) -> Iterator[str]:
    return (line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("years", nargs="*", type=Path,
                        help="timeline files (default: every one in ../shared/timelines); each "
                        "with its .labels.jsonl and its folder's README beside it")  # fmt: skip
    parser.add_argument("--out", type=Path, help="write each year's backtest report here")
    args = parser.parse_args(argv)
    if not args.years and not TIMELINES.is_dir():
        print(f"skipped: {TIMELINES} is absent (the timelines live beside the project)")
        return 0
    years = args.years or sorted(TIMELINES.glob("*.jsonl"))
    summary = []
    for path in (y for y in years if not y.name.endswith(".labels.jsonl")):
        pair = pair_of(path)
        f1, named = item_level(path, pair)
        replayed(path, pair, turning_points(path.parent / "README.md"), args.out)
        summary.append((path.stem, f1, named))
    print("\nitem level: timeline, macro-F1, pair named on moving items (targets 0.70, 0.85)")
    for stem, f1, named in summary:
        print(f"  {stem:22} {f1:.3f}  {named:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
