"""One PNG per pair, drawn as the decisions saw it: the last 24 h of news against the pair's own
normal and the lines that enter and end a state, the state periods shaded, every alert marked by
kind and direction, and under the chart the strongest headline of each alert.

matplotlib (the `demo` extra) is imported when a chart is drawn, never at import: the Lambda
handlers never load this module, and the command line only with `--out`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from tensionwatch.alerts.common import support
from tensionwatch.models import Alert, AlertKind, Direction
from tensionwatch.report.data import Mark, PairReport
from tensionwatch.report.periods import Change
from tensionwatch.report.watch import NearMiss, Point
from tensionwatch.signals.config import SignalConfig
from tensionwatch.wording import counted

ESCALATION, THAW, QUIET = "#c0392b", "#1e8449", "#7f8c8d"
MAX_LISTED = 12  # headlines listed under a chart; the page lists every alert
LINE_CHARS = 110  # a listed alert's line, in the chart's width at 8 pt monospace


class Labelled(Change, Protocol):
    @property
    def kind(self) -> AlertKind: ...
    @property
    def direction(self) -> Direction: ...


def alert_label(alert: Labelled) -> str:
    """An alert's kind in plain words: 'escalating', 'still thawing', 'flash: escalation',
    'back to steady'."""
    if alert.kind == "resolved":
        return f"back to steady (was {alert.state_before})"
    if alert.kind == "flash":
        return f"flash: {alert.direction}"
    if alert.state_before == alert.state_after:
        return f"still {alert.state_after}"
    return alert.state_after


def draw_png(
    pair: PairReport, config: SignalConfig, marks: Sequence[Mark] = (), *, quote: bool = True
) -> bytes:
    """The pair's chart as PNG bytes; with `quote` off, the notes give each alert's stories and
    outlets instead of its strongest headline (a chart to publish without the outlets' words).
    Raises ImportError naming the extra without matplotlib."""
    try:
        from matplotlib.dates import date2num
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError("charts need matplotlib: pip install 'tensionwatch[demo]'") from error
    listed = list(pair.alerts[:MAX_LISTED])
    notes_lines = len(listed) + len(pair.near) + 1
    figure = Figure(figsize=(10, 4.4 + 0.2 * notes_lines), layout="constrained")
    grid = figure.add_gridspec(2, 1, height_ratios=[4.4, 0.2 * notes_lines + 0.1])
    axes, notes = figure.add_subplot(grid[0]), figure.add_subplot(grid[1])
    _signal(axes, pair.series, config)
    for period in pair.periods:
        colour = ESCALATION if period.state == "escalating" else THAW
        start, end = date2num([period.start, period.end])  # type: ignore[no-untyped-call]
        axes.axvspan(start, end, color=colour, alpha=0.10, linewidth=0,
                     label=f"while {period.state}")  # fmt: skip
    _alerts(axes, pair.alerts, pair.series)
    _marks(axes, [m for m in marks if m.dyad in (None, pair.dyad)])
    axes.set_title(f"{pair.name} ({pair.dyad}): the last 24 h of news against the pair's normal",
                   loc="left", fontsize=11)  # fmt: skip
    axes.set_ylabel("net score of the last 24 h\n(each story -10 ... +10)", fontsize=9)
    _legend(axes)
    near = [near_line(miss) for miss in pair.near]
    _notes(notes, note_lines(listed, len(pair.alerts), near, quote=quote))
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=100)
    return out.getvalue()


def _signal(axes: Any, series: Sequence[Point], config: SignalConfig) -> None:
    times = [p.at for p in series]
    net = [p.net for p in series]
    low = [p.mean - p.spread for p in series]
    high = [p.mean + p.spread for p in series]
    axes.fill_between(times, low, high, color="#d5dbdb", alpha=0.7, linewidth=0,
                      label="its normal: 30-day mean ± 1 spread")  # fmt: skip
    for margin, style, name in ((config.enter_margin, "--", "enters"),
                                (config.exit_margin, ":", "ends")):  # fmt: skip
        spreads = f"{margin:g} spread{'' if margin == 1 else 's'}"
        axes.plot(times, [p.mean - margin * p.spread for p in series], style, color=ESCALATION,
                  linewidth=0.9, label=f"{name} escalating ({spreads} below)")  # fmt: skip
        axes.plot(times, [p.mean + margin * p.spread for p in series], style, color=THAW,
                  linewidth=0.9, label=f"{name} thawing ({spreads} above)")  # fmt: skip
    axes.plot(times, net, color="#1b2631", linewidth=1.4, label="net score, last 24 h")
    axes.axhline(0, color="#aab7b8", linewidth=0.6)
    axes.margins(x=0.02)  # room for a marker at either end
    axes.grid(axis="y", color="#eaeded", linewidth=0.6)
    axes.tick_params(labelsize=8)


def _alerts(axes: Any, alerts: Sequence[Alert], series: Sequence[Point]) -> None:
    for number, alert in enumerate(alerts, start=1):
        colour = (QUIET if alert.kind == "resolved"
                  else ESCALATION if alert.direction == "escalation" else THAW)  # fmt: skip
        marker, size, face = _marker(alert)
        y = _value_at(series, alert.fired_at)
        axes.plot([alert.fired_at], [y], marker=marker, markersize=size, color=colour,
                  markerfacecolor=face or colour, linestyle="none",
                  label=f"alert: {_legend_name(alert)}")  # fmt: skip
        if number <= MAX_LISTED:
            axes.annotate(str(number), (alert.fired_at, y), textcoords="offset points",
                          xytext=(4, 5), fontsize=7, color=colour)  # fmt: skip


def _marker(alert: Alert) -> tuple[str, float, str | None]:
    """(shape, size, face colour or None for filled) by kind and direction."""
    if alert.kind == "flash":
        return "*", 13, None
    if alert.kind == "resolved":
        return "o", 7, "white"
    shape = "v" if alert.direction == "escalation" else "^"
    return (shape, 9, None) if alert.state_before != alert.state_after else (shape, 7, "white")


def _legend_name(alert: Alert) -> str:
    if alert.kind == "resolved":
        return "back to steady"
    if alert.kind == "flash":
        return f"flash ({alert.direction})"
    still = "still " if alert.state_before == alert.state_after else ""
    return f"{still}{alert.state_after}"


def _value_at(series: Sequence[Point], at: datetime) -> float:
    return next((p.net for p in series if p.at == at), 0.0)  # the series holds each alert time


def _marks(axes: Any, marks: Sequence[Mark]) -> None:
    for mark in marks:
        colour = {"escalation": ESCALATION, "thaw": THAW}.get(mark.direction, QUIET)
        axes.axvline(mark.day, color=colour, linewidth=0.8, alpha=0.5, linestyle="-.",
                     label="turning point (given)")  # fmt: skip
        if mark.label:
            top = axes.get_xaxis_transform()  # x in dates, y in the axes' height
            axes.annotate(mark.label[:40], (mark.day, 0.99), xycoords=top, rotation=90,
                          fontsize=6, color=colour, va="top", ha="right")  # fmt: skip


def _legend(axes: Any) -> None:
    handles, labels = axes.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))  # one entry per kind of thing drawn
    axes.legend(unique.values(), unique.keys(), fontsize=7, loc="upper left",
                bbox_to_anchor=(1.01, 1.0), frameon=False)  # fmt: skip


def near_line(miss: NearMiss) -> str:
    """The closest a pair came to a state change it did not make, and what it lacked."""
    state = "escalating" if miss.direction == "escalation" else "thawing"
    # Short enough to fit a chart's line whole: the reason is the part a reader needs.
    return (f"closest to {state}, no alert: {miss.at:%d %b %Y %H:%M}, {miss.departure:+.1f} "
            f"spreads; {miss.reason}")  # fmt: skip


def note_lines(
    alerts: Sequence[Alert], total: int, near: Sequence[str], *, quote: bool = True
) -> list[str]:
    """The lines under a chart: each alert listed, with its strongest headline (or, with
    `quote` off, its stories and outlets), then the near misses."""
    lines = [_clip(f"{n:>2}  {a.fired_at:%d %b %Y %H:%M}  {alert_label(a)} ({a.severity}): "
                   f"{_what(a) if quote else support(a)}")
             for n, a in enumerate(alerts, start=1)]  # fmt: skip
    if total > len(alerts):
        more = counted(total - len(alerts), "more alert", "more alerts")
        lines.append(f"... and {more}: see report.html")
    if not lines:
        lines = ["No alert fired for this pair."]
    return lines + [f"    {_clip(line)}" for line in near]


def _notes(axes: Any, lines: Sequence[str]) -> None:
    axes.axis("off")
    axes.text(0, 1, "\n".join(lines), va="top", ha="left", fontsize=8, family="monospace",
              transform=axes.transAxes)  # fmt: skip


def _what(alert: Alert) -> str:
    return alert.articles[0].title if alert.articles else alert.rationale


def _clip(text: str) -> str:
    return text if len(text) <= LINE_CHARS else text[: LINE_CHARS - 1] + "…"
