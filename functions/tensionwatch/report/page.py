"""`report.html`: one self-contained page (inline CSS, charts as data: URIs, no script), so it
opens from a file, an email attachment or an air-gapped laptop and loads nothing. Pure: every
piece of news text is escaped, every link is the article's own and only followed on a click."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from html import escape

from tensionwatch.models import Alert
from tensionwatch.report.charts import alert_label, near_line
from tensionwatch.report.data import Comparison, PairReport, Report
from tensionwatch.report.periods import time_in

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;
max-width:1100px;color:#1b2631;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #d5dbdb}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.25em .6em;text-align:left;
vertical-align:top;border-bottom:1px solid #eaeded}th{background:#f4f6f6}
td.n{text-align:right}img{max-width:100%}.muted{color:#717d7e}.esc{color:#c0392b}
.thaw{color:#1e8449}.note{background:#fef9e7;padding:.5em 1em;border-left:3px solid #f4d03f}
"""


def render_page(report: Report, charts: Mapping[str, bytes]) -> str:
    """The whole page; `charts` maps a pair to its PNG (pairs without one get none)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(report.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(report.title)}</h1>",
        f"<p>{report.start:%d %b %Y} to {report.end:%d %b %Y}; settings: "
        f"{escape(report.settings)}.</p>",
        *(f'<p class="note">{escape(note)}</p>' for note in report.notes),
        _facts(report.facts),
        _summary(report.pairs, report.left_out),
        _comparison(report.comparison) if report.comparison else "",
    ]
    for pair in report.pairs:
        parts.append(_pair(pair, charts.get(pair.dyad)))
    parts.append("</body></html>")
    return "\n".join(parts)


def _facts(facts: Sequence[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><td>{escape(k)}</td><td class=n>{escape(v)}</td></tr>" for k, v in facts)
    return f"<table>{rows}</table>"


def _summary(pairs: Sequence[PairReport], left_out: int) -> str:
    head = ("<tr><th>pair</th><th>stories</th><th>copies</th><th>alerts</th>"
            "<th>days escalating</th><th>days thawing</th></tr>")  # fmt: skip
    rows = [
        f'<tr><td><a href="#{p.dyad}">{escape(p.name)} ({p.dyad})</a></td>'
        f"<td class=n>{p.stories}</td><td class=n>{p.copies}</td>"
        f"<td class=n>{len(p.alerts)}</td>"
        f"<td class=n>{time_in(p.periods, 'escalating').total_seconds() / 86400:.1f}</td>"
        f"<td class=n>{time_in(p.periods, 'thawing').total_seconds() / 86400:.1f}</td></tr>"
        for p in pairs
    ]
    more = (f'<p class="muted">{left_out} more pairs had articles but no alert; '
            "they are counted above, not drawn.</p>" if left_out else "")  # fmt: skip
    return f"<h2>Pairs</h2><table>{head}{''.join(rows)}</table>{more}"


def _comparison(comparison: Comparison) -> str:
    head = ("<tr><th>pair</th><th>A</th><th>B</th><th>gained</th><th>lost</th>"
            "<th>moved</th></tr>")  # fmt: skip
    rows = "".join(f"<tr><td>{escape(row[0])}</td>"
                   + "".join(f"<td class=n>{n}</td>" for n in row[1:]) + "</tr>"
                   for row in comparison.rows)  # fmt: skip
    changes = "".join(f"<li>{escape(line)}</li>" for line in comparison.changes)
    return (
        f"<h2>Compared</h2><p>A: {escape(comparison.first)}; "
        f"B: {escape(comparison.second)}. The charts below are A's.</p>"
        f"<table>{head}{rows}</table><ul>{changes}</ul>"
    )


def _pair(pair: PairReport, png: bytes | None) -> str:
    parts = [f'<h2 id="{pair.dyad}">{escape(pair.name)} ({pair.dyad})</h2>']
    if png is not None:
        data = base64.b64encode(png).decode("ascii")
        parts.append(f'<img alt="signal of {pair.dyad}" src="data:image/png;base64,{data}">')
    parts.append(_alerts(pair.alerts) if pair.alerts else "<p>No alert fired.</p>")
    for miss in pair.near:
        line = near_line(miss)
        parts.append(f'<p class="muted">{escape(line[:1].upper() + line[1:])}.</p>')
    for alert, silence in pair.silenced:
        parts.append(f'<p class="muted">Silenced by {escape(silence)}: '
                     f"{alert.fired_at:%d %b %Y %H:%M} {escape(alert.rationale)}</p>")  # fmt: skip
    return "\n".join(parts)


def _alerts(alerts: Sequence[Alert]) -> str:
    head = ("<tr><th>#</th><th>when</th><th>what</th><th>severity</th><th>why</th>"
            "<th>strongest reports</th></tr>")  # fmt: skip
    rows = []
    for number, alert in enumerate(alerts, start=1):
        css = (
            "esc"
            if alert.direction == "escalation" and alert.kind != "resolved"
            else ("thaw" if alert.direction == "thaw" and alert.kind != "resolved" else "muted")
        )
        links = "<br>".join(f'{_link(a.url, a.title)} <span class="muted">{escape(a.outlet)}</span>'
                            for a in alert.articles[:3])  # fmt: skip
        rows.append(f"<tr><td>{number}</td><td>{alert.fired_at:%d %b %Y %H:%M}</td>"
                    f'<td class="{css}">{escape(alert_label(alert))}</td>'
                    f"<td>{alert.severity}</td><td>{escape(alert.rationale)}</td>"
                    f"<td>{links}</td></tr>")  # fmt: skip
    return f"<table>{head}{''.join(rows)}</table>"


def _link(url: str, text: str) -> str:
    """A link to the article, followed only on a click; plain text for anything but http(s)."""
    if not url.startswith(("https://", "http://")):
        return escape(text)
    return f'<a href="{escape(url)}" rel="noreferrer noopener">{escape(text)}</a>'
