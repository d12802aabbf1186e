"""What `tensionwatch backtest` prints on a terminal: what was read, the alerts with their
dates, a table per pair and, with `--compare`, what the second configuration gained and lost."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from tensionwatch.backtest.compare import PairDiff
from tensionwatch.backtest.overrides import describe
from tensionwatch.backtest.replay import AlertRow, Replay, Run
from tensionwatch.report.build import MAX_CHARTS
from tensionwatch.report.charts import alert_label
from tensionwatch.report.periods import state_periods, time_in
from tensionwatch.wording import counted

RATIONALE_CHARS = 160
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def summary_lines(source: str, replay: Replay, run: Run, seconds: float) -> list[str]:
    """The header, every alert and the per-pair table of `run`."""
    counts = run.metrics.counts
    span = (f" from {replay.first:%d %b %Y} to {replay.last:%d %b %Y}"
            if replay.first and replay.last else "")  # fmt: skip
    # A rate over a few hundred lines measures the scorer's start, not the replay.
    rate = f" ({replay.lines / seconds:,.0f} lines/s)" if replay.lines >= 10_000 else ""
    lines = [
        f"Backtest of {source}: {replay.lines:,} lines, {replay.articles:,} articles{span}, "
        f"replayed in {seconds:.1f} s{rate}",
        f"  {counts['ArticlesScored']:,} articles scored ({counts['ArticlesOffTopic']:,} "
        f"off-topic, {counts['ArticlesWithoutPair']:,} naming no pair), "
        f"{counts['SyndicatedCopies']:,} of them syndicated copies, "
        f"{replay.stories.duplicates:,} duplicates dropped, "
        f"{counted(replay.bad, 'bad line', 'bad lines')}",
        f"  settings: {describe(run.config)}",
        "",
        counted(len(run.rows), "alert", "alerts") + (":" if run.rows else "."),
    ]
    lines += [f"  {alert_line(a)}" for a in run.rows]
    for record in run.silenced:
        lines.append(f"  silenced by {record.silenced_by}: {alert_line(AlertRow.of(record.alert))}")
    return [*lines, "", *pair_table(run, replay.last)]


def alert_line(alert: AlertRow) -> str:
    """One alert: when, pair, what and severity, then its rationale on a second line."""
    what = "back to steady" if alert.kind == "resolved" else alert_label(alert)
    why = alert.rationale
    why = why if len(why) <= RATIONALE_CHARS else why[: RATIONALE_CHARS - 1] + "…"
    return (f"{alert.fired_at:%Y-%m-%d %H:%M}  {alert.dyad:<6} {what:<22} {alert.severity}\n"
            f"      {why}")  # fmt: skip


def pair_table(run: Run, end: datetime | None) -> list[str]:
    """Pairs that alerted, then the busiest quiet ones: stories, alerts by kind, time in a
    state."""
    folded = run.store.folded()
    alerted = sorted({a.dyad for a in run.recorded})
    quiet = sorted((d for d in folded if d not in alerted), key=lambda d: (-folded[d][0], d))
    shown = alerted + quiet[: max(0, MAX_CHARTS - len(alerted))]
    lines = ["  pair    stories  copies  alerts  changes  flashes  resolved  "
             "days escalating  days thawing"]  # fmt: skip
    for dyad in shown:
        mine = [a for a in run.recorded if a.dyad == dyad]
        periods = state_periods(mine, end or max((a.fired_at for a in mine), default=_EPOCH))
        changes = sum(1 for a in mine if a.kind == "state_change")
        flashes = sum(1 for a in mine if a.kind == "flash")
        stories, copies = folded.get(dyad, (0, 0))
        lines.append(
            f"  {dyad:<6} {stories:>8,} {copies:>7,} {len(mine):>7} {changes:>8} {flashes:>8} "
            f"{len(mine) - changes - flashes:>9} "
            f"{time_in(periods, 'escalating').total_seconds() / 86400:>16.1f} "
            f"{time_in(periods, 'thawing').total_seconds() / 86400:>13.1f}"
        )
    if len(folded) > len(shown):
        lines.append(f"  ... and {len(folded) - len(shown)} more pairs with articles, no alert")
    return lines


def compare_lines(before: Run, after: Run, diffs: Sequence[PairDiff[AlertRow]]) -> list[str]:
    """Per pair, what configuration B gained, lost and moved against A."""
    lines = [
        "",
        f"Compared: A = {describe(before.config)}; B = {describe(after.config)}",
        f"  {len(before.rows)} alerts under A, {len(after.rows)} under B",
        "  pair       A     B  gained  lost  moved",
    ]
    for diff in diffs:
        lines.append(f"  {diff.dyad:<6} {diff.before:>5} {diff.after:>5} {len(diff.gained):>7} "
                     f"{len(diff.lost):>5} {len(diff.moved):>6}")  # fmt: skip
    return lines + [f"  {line}" for line in change_lines(diffs)]


def change_lines(diffs: Sequence[PairDiff[AlertRow]]) -> list[str]:
    """One line per alert B gained, lost or moved."""
    lines = []
    for diff in diffs:
        lines += [f"gained: {alert_line(a)}" for a in diff.gained]
        lines += [f"lost:   {alert_line(a)}" for a in diff.lost]
        lines += [f"moved:  {a.fired_at:%Y-%m-%d %H:%M} -> {alert_line(b)}"
                  for a, b in diff.moved]  # fmt: skip
    return lines
