"""`tensionwatch demo --out DIR`: the alerts as JSON, and the backtest's report of the same
news: one chart per pair and `report.html`.

The charts draw each pair's signal as the score function computed it: the articles the demo's
score function received are replayed through the same decisions in memory (the backtest), which
fire the same alerts (tests/e2e/test_demo.py holds that), and the alerts drawn are the ones the
demo published.
"""

from __future__ import annotations

import json
from pathlib import Path

from tensionwatch.backtest.archive import Numbered
from tensionwatch.backtest.replay import Replay, replay
from tensionwatch.local.demo import DemoResult
from tensionwatch.local.report import BROKEN_ON_PURPOSE
from tensionwatch.report.build import pair_reports
from tensionwatch.report.data import Report
from tensionwatch.report.files import write_report
from tensionwatch.report.watch import SignalWatch
from tensionwatch.scoring.scorer import score_article
from tensionwatch.signals.config import SignalConfig


def write_outputs(result: DemoResult, out: Path) -> list[Path]:
    """Write alerts.json, `signal-<PAIR>.png` files and report.html into `out`; the paths
    written. Raises ImportError naming the `demo` extra when matplotlib is missing."""
    out.mkdir(parents=True, exist_ok=True)
    alerts = out / "alerts.json"
    alerts.write_text(json.dumps([a.model_dump(mode="json") for a in result.alerts], indent=2))
    return [alerts, *write_report(demo_report(result), out)]


def replay_demo(result: DemoResult, watch: SignalWatch | None = None) -> Replay:
    """The articles the demo's score function received, replayed in that order in memory."""
    config = watch.config if watch is not None else SignalConfig()
    items = (Numbered(n, a) for n, a in enumerate(result.articles, start=1))
    return replay(items, [config], score_article, watchers=[watch])


def demo_report(result: DemoResult) -> Report:
    """The demo's run as a report: its published alerts on the replayed signal."""
    watch = SignalWatch(SignalConfig())
    replayed = replay_demo(result, watch)
    span = (result.started, result.ended)
    pairs, left_out = pair_reports(result.alerts, [], replayed.runs[0].store.folded(), watch, span)
    facts = (
        ("scheduled polls", result.polls),
        ("articles queued", result.queued),
        ("syndicated copies", result.syndicated),
        ("alerts published", len(result.alerts)),
    )
    return Report(
        title="Tension Watch demo",
        start=result.started,
        end=result.ended,
        config=watch.config,
        settings="the defaults",
        facts=tuple((what, f"{n:,}") for what, n in facts),
        pairs=pairs,
        notes=(
            f"The source {BROKEN_ON_PURPOSE} fails every poll on purpose: one source "
            "down must not stop the others, and nothing it would have sent is lost.",
        ),
        left_out=left_out,
    )
