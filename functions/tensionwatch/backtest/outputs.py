"""What a backtest writes: the alerts as JSON lines, each the message SNS delivers to a
subscriber (the `default` body of `store.topic.publish_request`: the alert's JSON), and with
`--out` the report with its charts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from tensionwatch.backtest.compare import PairDiff
from tensionwatch.backtest.replay import AlertRow, Replay
from tensionwatch.backtest.report import build_report
from tensionwatch.models import Alert
from tensionwatch.report.data import Mark
from tensionwatch.report.files import write_report
from tensionwatch.report.watch import SignalWatch


def alert_lines(alerts: Iterable[Alert]) -> Iterable[bytes]:
    """One JSON line per alert: what an SQS, Lambda or HTTPS subscriber receives."""
    for alert in alerts:
        yield alert.model_dump_json().encode() + b"\n"


def write_alerts(alerts: Iterable[Alert], out: BinaryIO) -> None:
    out.writelines(alert_lines(alerts))


def write_alert(alert: Alert, out: BinaryIO) -> None:
    write_alerts([alert], out)


def write_out(
    out: Path,
    title: str,
    replay: Replay,
    watch: SignalWatch,
    *,
    marks: Sequence[Mark] = (),
    comparison: Sequence[PairDiff[AlertRow]] = (),
) -> list[Path]:
    """`alerts.jsonl` (and `alerts-compare.jsonl`), `report.html` and the charts of the first
    run; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for run, name in zip(replay.runs, ("alerts.jsonl", "alerts-compare.jsonl"), strict=False):
        path = out / name
        with path.open("wb") as lines:
            write_alerts(run.alerts, lines)
        written.append(path)
    report = build_report(title, replay, watch, marks, comparison)
    return written + write_report(report, out)
