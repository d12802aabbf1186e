"""`tensionwatch demo --out DIR`: the alerts as JSON and one PNG chart per country pair."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from tensionwatch.local.demo import POLL_EVERY, DemoResult
from tensionwatch.models import Alert
from tensionwatch.scoring.scorer import score_article

WINDOW = timedelta(hours=24)  # the chart's rolling window, matching the signal's shortest


def write_outputs(result: DemoResult, out: Path) -> list[Path]:
    """Write alerts.json and `signal-<PAIR>.png` files into `out`; returns the paths written.
    Raises ImportError naming the `demo` extra when matplotlib is missing."""
    out.mkdir(parents=True, exist_ok=True)
    alerts = out / "alerts.json"
    alerts.write_text(json.dumps([a.model_dump(mode="json") for a in result.alerts], indent=2))
    return [alerts, *_charts(result, out)]


def pair_series(result: DemoResult) -> dict[str, list[tuple[datetime, float]]]:
    """Per pair: at each poll time, the net score of its stories over the last 24 h (event
    time; syndicated copies count once, as the signal keeps it)."""
    scored: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    for article in result.articles:
        if article.story_id not in (None, article.id):
            continue
        score = score_article(article)
        if score.dyad:
            scored[score.dyad].append((article.published_at, score.score))
    series = {}
    for dyad, points in scored.items():
        times, at = [], result.started
        while at <= result.ended:
            total = sum(value for when, value in points if at - WINDOW < when <= at)
            times.append((at, total))
            at += POLL_EVERY
        series[dyad] = times
    return series


def _charts(result: DemoResult, out: Path) -> list[Path]:
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError("charts need matplotlib: pip install 'tensionwatch[demo]'") from exc
    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    paths = []
    for dyad, points in sorted(pair_series(result).items()):
        figure, axes = plt.subplots(figsize=(9, 3.2))
        times, values = [p[0] for p in points], [p[1] for p in points]
        axes.plot(times, values, color="#345", linewidth=1.4)  # type: ignore[arg-type]
        axes.axhline(0, color="#999", linewidth=0.6)
        for alert in (a for a in result.alerts if a.dyad == dyad):
            _mark(axes, alert)
        axes.set_title(f"{dyad}: net score of stories over the last 24 h, alerts marked")
        axes.set_ylabel("score (Goldstein-like)")
        figure.autofmt_xdate()
        figure.tight_layout()
        path = out / f"signal-{dyad}.png"
        figure.savefig(path, dpi=110)
        plt.close(figure)
        paths.append(path)
    return paths


def _mark(axes: object, alert: Alert) -> None:
    colour = {"escalation": "#c0392b", "thaw": "#27ae60"}.get(alert.direction, "#7f8c8d")
    axes.axvline(alert.fired_at, color=colour, linestyle="--", linewidth=1)  # type: ignore[attr-defined]
    axes.annotate(f"{alert.kind}: {alert.direction}", (alert.fired_at, 0.03),  # type: ignore[attr-defined]
                  xycoords=axes.get_xaxis_transform(),  # type: ignore[attr-defined]
                  rotation=90, fontsize=7, color=colour, va="bottom")  # fmt: skip
