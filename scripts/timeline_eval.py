"""Real news as it flowed: each year in ../shared/timelines, item by item and replayed.

Item level: each item's reading (the poll's `score_article`) against its label, off-topic
counted as neutral, macro-F1 beside VADER; and on the items that moved relations, how often the
reading names the year's pair (the file's first two codes, `jp-kr-2019` -> JP-KR).

Replayed: through `tensionwatch backtest`'s own replay and default settings. For each turning
point in the README table beside the file (`| date | direction | event |`), the pair's alerts
of that direction from its day to a week after (a state's end is not one), and the furthest
the pair's 24 h window went that way with the stories and outlets behind it; then every alert
of the pair with the turning point before it, so an alert against the year's course shows.
`--out DIR` writes the backtest's report with the turning points drawn on the pair's chart.

A year kept elsewhere: `scripts/timeline_eval.py path/to/xx-yy-2020.jsonl` (its
`.labels.jsonl` and a README with the same table beside it), or `make timeline YEARS=...`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from _eval_data import SHARED_DIR, metrics, print_metrics, vader_directions
from tensionwatch.backtest.archive import parse_line, read_lines
from tensionwatch.backtest.outputs import write_out
from tensionwatch.backtest.replay import replay
from tensionwatch.backtest.report import build_report
from tensionwatch.models import Alert
from tensionwatch.report.charts import draw_png
from tensionwatch.report.data import Mark, Report
from tensionwatch.report.watch import SignalWatch
from tensionwatch.scoring.scorer import score_article
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.state import SIGN

TIMELINES = SHARED_DIR / "timelines"
# A turning point "alerted" when an alert of its direction fired within this many days of it:
# reports often carry the next day, and a state needs a day of stories to enter.
AFTER = timedelta(days=7)
# A README table row's first two cells: `2019-07-01 (effective 07-04) | escalation`.
ROW = re.compile(r"(\d{4}-\d{2}-\d{2})[^|]*\| (thaw|escalation)\b")


@dataclass(frozen=True)
class TurningPoint:
    day: date
    direction: str
    minor: bool


def turning_points(readme: Path) -> list[TurningPoint]:
    """The dated thaw and escalation rows of a timeline README's table; a table row that names
    neither, or whose date does not read, is said on stderr (a turning point silently lost
    would read as one that never alerted)."""
    if not readme.exists():
        print(f"warning: {readme} is absent: no turning points to replay against", file=sys.stderr)
        return []
    points = []
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|") or len(cells) < 2 or set(cells[0]) <= set("-: "):
            continue
        found = ROW.match(cells[0] + " | " + cells[1].lower())
        if found:
            points.append(TurningPoint(date.fromisoformat(found[1]), found[2], "minor" in cells[1]))
        elif cells[0].lower() != "date":
            print(f"warning: {readme.name}: not a turning point: {line.strip()[:80]}",
                  file=sys.stderr)  # fmt: skip
    return points


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


def replayed(
    path: Path, pair: str, points: list[TurningPoint], out: Path | None, charts: Path | None
) -> None:
    """The year through `tensionwatch backtest`'s own replay (default settings): per turning
    point, the pair's alerts of its direction within a week and the furthest its 24 h window
    went that way; then every alert with the turning point before it. With `out` the report,
    with `charts` the pair's chart without headlines."""
    config = SignalConfig()
    watch = SignalWatch(config)
    done = replay(read_lines(path.read_bytes().splitlines()), [config], score_article,
                  watchers=[watch])  # fmt: skip
    alerts = [a for a in done.runs[0].alerts if a.dyad == pair]
    print(f"\n== {path.stem}, replayed: {len(alerts)} alerts of {pair}")
    if not watch.watched(pair):
        print(f"warning: no story of {pair} in {path.name}: is the file named for its pair?")
    print(f"  a state needs {config.enter_margin:g} spreads, {config.min_stories} stories and "
          f"{config.min_outlets} outlets in 24 h")  # fmt: skip
    for point in points:
        end = point.day + AFTER
        found = [a for a in alerts if a.direction == point.direction and a.kind != "resolved"
                 and point.day <= a.fired_at.date() <= end]  # fmt: skip
        said = ", ".join(f"{a.fired_at:%d %b} {_kind(a)} ({a.severity})" for a in found) or "none"
        minor = " (minor)" if point.minor else ""
        print(f"  {point.day:%d %b} {point.direction:<10}{minor:8} alerted: {said}; "
              f"{_furthest(watch, pair, point)}")  # fmt: skip
    print("  every alert, with the turning point before it:")
    for alert in alerts:
        before = [p for p in points if p.day <= alert.fired_at.date()]
        course = f"{before[-1].day:%d %b} {before[-1].direction}" if before else "none yet"
        print(f"    {alert.fired_at:%Y-%m-%d %H:%M} {_kind(alert):<32} after {course}")
    marks = [Mark(p.day, p.direction + (" (minor)" if p.minor else ""), p.direction, pair)
             for p in points]  # fmt: skip
    title = f"Backtest of {path.name}"
    if out is not None:
        written = write_out(out / path.stem, title, done, watch, marks=marks)
        print(f"  wrote {written[-1]} and the charts beside it")
    if charts is not None:
        chart = charts / f"{path.stem}.png"
        _draw_unquoted(chart, build_report(title, done, watch, marks, ()), pair)
        print(f"  wrote {chart} (no headlines: a chart to publish)")


def _draw_unquoted(chart: Path, report: Report, pair: str) -> None:
    for drawn in report.pairs:
        if drawn.dyad == pair:
            chart.parent.mkdir(parents=True, exist_ok=True)
            chart.write_bytes(draw_png(drawn, report.config, report.marks, quote=False))


def _kind(alert: Alert) -> str:
    if alert.kind == "resolved":
        return f"back to steady (was {alert.state_before})"
    if alert.kind == "state_change" and alert.state_before == alert.state_after:  # a repeat
        return f"still {alert.state_after}"
    return f"{alert.kind.replace('_', ' ')} {alert.state_after}"


def _furthest(watch: SignalWatch, pair: str, point: TurningPoint) -> str:
    """The furthest the pair's 24 h window went the turning point's way within its week, hour
    by hour, with the stories and outlets behind it."""
    start = datetime.combine(point.day, time(), tzinfo=UTC)
    best: tuple[float, int, int] | None = None
    for hour in range(int(AFTER.total_seconds() // 3600) + 24):
        snap = watch.snapshot(pair, start + timedelta(hours=hour))
        pull = SIGN[point.direction] * snap.departure
        if best is None or pull > best[0]:
            stories, outlets = snap.window.tally.side(point.direction)
            best = (pull, stories, len(outlets))
    assert best is not None
    return f"furthest {best[0]:.1f} spreads, {best[1]} stories, {best[2]} outlets"


def _lines(path: Path) -> Iterator[str]:
    return (line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("years", nargs="*", type=Path,
                        help="timeline files (default: every one in ../shared/timelines); each "
                        "with its .labels.jsonl and its folder's README beside it")  # fmt: skip
    parser.add_argument("--out", type=Path, help="write each year's backtest report here")
    parser.add_argument("--charts", type=Path, metavar="DIR",
                        help="draw each year's pair chart into DIR/<year>.png without the "
                        "archive's headlines (alerts by their counts), to publish")  # fmt: skip
    args = parser.parse_args(argv)
    if not args.years and not TIMELINES.is_dir():
        print(f"skipped: {TIMELINES} is absent (the timelines live beside the project)")
        return 0
    years = args.years or sorted(TIMELINES.glob("*.jsonl"))
    summary = []
    for path in (y for y in years if not y.name.endswith(".labels.jsonl")):
        pair = pair_of(path)
        f1, named = item_level(path, pair)
        replayed(path, pair, turning_points(path.parent / "README.md"), args.out, args.charts)
        summary.append((path.stem, f1, named))
    print("\nitem level: timeline, macro-F1, pair named on moving items (targets 0.70, 0.85)")
    for stem, f1, named in summary:
        print(f"  {stem:22} {f1:.3f}  {named:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
