"""A replay's report: what was read, each pair's signal and alerts, ready for `--out`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from tensionwatch.backtest.compare import PairDiff
from tensionwatch.backtest.overrides import describe
from tensionwatch.backtest.replay import AlertRow, Replay, Run
from tensionwatch.backtest.summary import change_lines
from tensionwatch.report.build import pair_reports
from tensionwatch.report.data import Comparison, Mark, Report
from tensionwatch.report.watch import SignalWatch

MARGIN = timedelta(hours=12)  # charts start a little before the first article, end after the last


def replay_facts(replay: Replay, run: Run) -> tuple[tuple[str, str], ...]:
    """What the replay read and did, for the page and the terminal."""
    counts = run.metrics.counts
    facts = [
        ("lines read", replay.lines),
        ("lines refused (each reported with its reason)", replay.bad),
        ("articles replayed", replay.articles),
        ("exact duplicates dropped", replay.stories.duplicates),
        ("articles scored", counts["ArticlesScored"]),
        ("syndicated copies among them (adding no story)", counts["SyndicatedCopies"]),
        ("read off-topic (folded into no pair)", counts["ArticlesOffTopic"]),
        ("naming no pair", counts["ArticlesWithoutPair"]),
        ("pairs with articles", len(run.store.folded())),
        ("alerts published", len(run.alerts)),
        ("alerts silenced", len(run.silenced)),
    ]
    return tuple((what, f"{n:,}") for what, n in facts)


def build_report(
    title: str,
    replay: Replay,
    watch: SignalWatch,
    marks: Sequence[Mark] = (),
    diffs: Sequence[PairDiff[AlertRow]] = (),
) -> Report:
    """The report of the first configuration's run of `replay`, drawn from what `watch` saw;
    with `diffs`, how the second configuration's alerts differ."""
    run = replay.runs[0]
    if replay.first is None or replay.last is None:
        raise ValueError("nothing was replayed: no report to draw")
    span = (replay.first - MARGIN, replay.last + MARGIN)
    silenced = [(r.alert, r.silenced_by or "") for r in run.silenced]
    pairs, left_out = pair_reports(run.alerts, silenced, run.store.folded(), watch, span)
    comparison = _comparison(replay.runs, diffs) if len(replay.runs) > 1 else None
    return Report(title=title, start=replay.first, end=replay.last, config=run.config,
                  settings=describe(run.config), facts=replay_facts(replay, run), pairs=pairs,
                  marks=tuple(marks), left_out=left_out, comparison=comparison)  # fmt: skip


def _comparison(runs: Sequence[Run], diffs: Sequence[PairDiff[AlertRow]]) -> Comparison:
    rows = tuple((d.dyad, d.before, d.after, len(d.gained), len(d.lost), len(d.moved))
                 for d in diffs)  # fmt: skip
    first, second = (describe(run.config) for run in runs[:2])
    return Comparison(first, second, rows, tuple(change_lines(diffs)))
