"""A report on disk: `report.html` and one `signal-<PAIR>.png` per pair it draws."""

from __future__ import annotations

from pathlib import Path

from tensionwatch.report.charts import draw_png
from tensionwatch.report.data import Report
from tensionwatch.report.page import render_page


def write_report(report: Report, out: Path) -> list[Path]:
    """Write the page and the charts into `out` (created); the paths written, charts first.
    Raises ImportError naming the `demo` extra when matplotlib is missing."""
    out.mkdir(parents=True, exist_ok=True)
    charts = {pair.dyad: draw_png(pair, report.config, report.marks) for pair in report.pairs}
    written = []
    for dyad, png in charts.items():
        path = out / f"signal-{dyad}.png"
        path.write_bytes(png)
        written.append(path)
    page = out / "report.html"
    page.write_text(render_page(report, charts), encoding="utf-8")
    return [*written, page]
