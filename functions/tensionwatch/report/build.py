"""From a replay's alerts and what `SignalWatch` saw to the pairs a report shows. Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from tensionwatch.models import Alert
from tensionwatch.report.data import PairReport, chart_step, pair_name
from tensionwatch.report.periods import state_periods
from tensionwatch.report.watch import SignalWatch

# Pairs drawn: every pair that alerted, then the busiest quiet ones up to this many charts. A
# year of wire news names a hundred pairs; a page of a hundred charts is read by nobody.
MAX_CHARTS = 12


def pair_reports(
    alerts: Sequence[Alert],
    silenced: Sequence[tuple[Alert, str]],
    folded: Mapping[str, tuple[int, int]],
    watch: SignalWatch,
    span: tuple[datetime, datetime],
) -> tuple[tuple[PairReport, ...], int]:
    """The pairs to show, alerted ones first (by name), and how many were left out.
    `folded`: (stories, copies) per pair; `span`: what the charts cover."""
    start, end = span
    by_pair: dict[str, list[Alert]] = defaultdict(list)
    for alert in alerts:
        by_pair[alert.dyad].append(alert)
    muted: dict[str, list[tuple[Alert, str]]] = defaultdict(list)
    for alert, silence in silenced:
        muted[alert.dyad].append((alert, silence))
    alerted = sorted(set(by_pair) | set(muted))
    quiet = sorted((d for d in folded if d not in by_pair and d not in muted),
                   key=lambda d: (-folded[d][0], d))  # fmt: skip
    shown = alerted + quiet[: max(0, MAX_CHARTS - len(alerted))]
    step = chart_step(start, end)
    grid = [start + step * i for i in range(int((end - start) / step) + 1)]
    reports = []
    for dyad in shown:
        mine = sorted(by_pair[dyad], key=lambda a: (a.fired_at, a.id))
        everything = mine + [a for a, _ in muted[dyad]]
        stories, copies = folded.get(dyad, (0, 0))
        reports.append(PairReport(
            dyad=dyad, name=pair_name(dyad), stories=stories, copies=copies, alerts=tuple(mine),
            silenced=tuple(muted[dyad]), periods=tuple(state_periods(everything, end)),
            # The grid, and each alert's own time so its marker sits on the line it crossed.
            series=tuple(watch.series(dyad, grid + [a.fired_at for a in everything])),
            near=tuple(watch.near[dyad].values()) if dyad in watch.near else (),
        ))  # fmt: skip
    return tuple(reports), len(folded) - len([d for d in shown if d in folded])
