"""The demo's plain-text report: what was polled, deduplicated, scored, and each alert
delivered per channel with its rationale and evidence."""

from __future__ import annotations

import json
from typing import TextIO

from tensionwatch.alerts.common import digest_summary, local_when, movement, sparkline
from tensionwatch.alerts.digest_email import render_digest_email
from tensionwatch.local.demo import DIGEST, DIGEST_SCHEDULE, EMAIL, SUBSCRIPTIONS, DemoResult
from tensionwatch.local.receivers import Received
from tensionwatch.models import Alert

EVIDENCE_SHOWN = 3  # per alert: the strongest few say why; the rest are in --out JSON
# The demo's sources file has one feed that always answers 503 (local/data/sources.toml).
BROKEN_ON_PURPOSE = "northstar-daily"
NEXT_STEPS = [
    "What to try next:",
    "  .venv/bin/tensionwatch demo --out out/          this run's alerts, a chart per pair "
    "and report.html",
    "  .venv/bin/tensionwatch score article.txt         one text's reading, with its evidence",
    "  .venv/bin/tensionwatch backtest sample           what would have fired on eight weeks "
    "of news, in seconds",
    "  .venv/bin/tensionwatch backtest sample --set flash_score=7 --compare min_outlets=2",
    "  deploy it: README.md, 'Deploying to AWS'",
]


def write_report(result: DemoResult, stdout: TextIO) -> None:
    """Print the whole report."""
    for line in report_lines(result):
        stdout.write(line + "\n")


def report_lines(result: DemoResult) -> list[str]:
    days = (result.ended - result.started).days
    lines = [
        "",
        f"Tension Watch demo: {days} simulated days "
        f"({result.started:%Y-%m-%d} to {result.ended:%Y-%m-%d}) in {result.seconds:.1f} s",
        "",
        *_pipeline(result),
        *_readings(result),
        "",
        f"Alerts published: {len(result.alerts)}",
    ]
    for alert in sorted(result.alerts, key=lambda a: (a.fired_at, a.dyad)):
        lines += _alert(alert, result)
    lines += _email_preview(result)
    lines += _digests(result)
    return [*lines, "", *NEXT_STEPS]


def _pipeline(result: DemoResult) -> list[str]:
    requests = ", ".join(f"{path} {count}" for path, count in sorted(result.requests.items()))
    failed = ", ".join(_failed(name, n, result.polls)
                       for name, n in sorted(result.source_failures.items()))  # fmt: skip
    dead = ", ".join(f"{name} {depth}" for name, depth in sorted(result.dead_letters.items()))
    skipped = ", ".join(f"{name} sat out {n} polls (its request budget)"
                        for name, n in sorted(result.skipped.items()))  # fmt: skip
    return [
        f"Polled       {result.polls} scheduled polls, {sum(result.requests.values())} requests"
        f" to the news server ({requests})",
        f"             {failed or 'no source failed'}; the other sources kept going",
        *([f"             {skipped}"] if skipped else []),
        *_unhealthy(result),
        f"Deduplicated {result.queued} new articles queued; {result.duplicates} already-seen"
        f" copies dropped; {result.syndicated} syndicated copies joined an earlier story",
        f"Scored       {result.scored} articles ({result.score_failures} failed attempts);"
        f" dead-letter queues: {dead}",
    ]


def _failed(name: str, failures: int, polls: int) -> str:
    if name == BROKEN_ON_PURPOSE:
        return (f"{name} failed {failures} of {polls} polls, on purpose (its feed always "
                "answers 503: one source down must not stop the others)")  # fmt: skip
    return f"{name} failed {failures} of {polls} polls"


def _unhealthy(result: DemoResult) -> list[str]:
    """The sources the SourceUnhealthy alarm would have named, with its first reason."""
    return [f"Unhealthy    {name}: {why} (alarm SourcesUnhealthy)"
            for name, why in sorted(result.unhealthy.items())]  # fmt: skip


def _readings(result: DemoResult) -> list[str]:
    """The stories read off-topic (folded into no pair) and those split into several pairs."""
    off = [r for r in result.readings.values() if r.off_topic]
    split = [r for r in result.readings.values() if len(r.pairs) > 1]
    lines = [f"Off-topic    {_stories(len(off))} read off-topic, folded into no pair"
             + (":" if off else "")]  # fmt: skip
    lines += [f"             - {r.topic}: {r.title}" for r in off]
    lines.append(f"Split        {_stories(len(split))} about several pairs, folded into each"
                 + (":" if split else ""))  # fmt: skip
    lines += [f"             - {', '.join(r.pairs)}: {r.title}" for r in split]
    return lines


def _stories(n: int) -> str:
    return f"{n} {'story' if n == 1 else 'stories'}"


def _alert(alert: Alert, result: DemoResult) -> list[str]:
    channels = [
        _mark("slack", _delivered(alert, result.slack)),
        _mark("webhook", _delivered(alert, result.webhook), signed=True),
        _mark("email", any(mail.id == alert.id for mail in result.emails) or None),
    ]
    lines = [
        "",
        f"  {alert.fired_at:%a %d %b %H:%M}  {alert.dyad}  {alert.kind}  {alert.direction}"
        f"  ({alert.state_before} -> {alert.state_after}, {alert.severity}, "
        f"score {alert.score:+.1f})",
        f"    {alert.rationale}",
    ]
    for item in alert.evidence[:EVIDENCE_SHOWN]:
        lines.append(f'    - "{item.phrase}" {item.category} {item.weight:+.1f}  ({item.outlet})')
        lines.append(f"      {item.sentence}")
    lines.append(f"    {alert.article_count} articles, {alert.story_count} stories, "
                 f"{alert.outlet_count} outlets")  # fmt: skip
    if alert.kind == "resolved":
        channels = ["none (no subscription asked for resolved notices)"]
    lines.append("    delivered: " + "  ".join(channels))
    return lines


def _delivered(alert: Alert, received: list[Received]) -> bool | None:
    """True: delivered (and verified); False: arrived unverified; None: not sent."""
    hits = [item for item in received if alert.id in json.dumps(item.payload)]
    if not hits:
        return None
    return all(item.verified for item in hits)


def _mark(channel: str, delivered: bool | None, *, signed: bool = False) -> str:
    wanted = SUBSCRIPTIONS[channel]["description"]
    if delivered is None:
        return f"{channel} - (filtered: {wanted})"
    if not delivered:
        return f"{channel} REJECTED (bad signature)"
    return f"{channel} ok" + (" (signature verified)" if signed else "")


def _email_preview(result: DemoResult) -> list[str]:
    if not result.emails:
        return ["", f"No email matched the {EMAIL} subscription."]
    first = result.emails[0]
    lines = ["", f"Email to {EMAIL}: {len(result.emails)} messages; the first reads:", ""]
    try:
        from tensionwatch.alerts.email import (  # type: ignore[import-not-found,unused-ignore]
            render_email_text,
        )
    except ImportError:  # the renderer ships with the score function
        return [*lines, "    (the email renderer is not installed)"]
    text: str = render_email_text(first)
    return lines + ["    " + line for line in text.splitlines()]


def _digests(result: DemoResult) -> list[str]:
    """The digest subscriber's daily briefs, one line each, then the busiest one in full."""
    schedule = DIGEST_SCHEDULE
    verified = sum(r.verified for r in result.slack_digests)
    lines = ["", f"Daily digests for {DIGEST['description']!r} ({schedule['at']} "
             f"{schedule['timezone']}, every pair): {verified} on Slack, {len(result.digests)} "
             "by webhook (signatures verified)"]  # fmt: skip
    for digest in result.digests:
        lines.append(f"  {local_when(digest.period_end, digest.timezone)}  "
                     f"{digest_summary(digest)}")  # fmt: skip
        by_dyad = {pair.dyad: pair for pair in digest.pairs}
        lines += [f"      {dyad}  {sparkline(by_dyad[dyad].daily)}  {movement(by_dyad[dyad])}"
                  for dyad in digest.movers if dyad in by_dyad]  # fmt: skip
    if busiest := max(result.digests, key=lambda d: (len(d.alerts), len(d.movers)), default=None):
        when = local_when(busiest.period_end, busiest.timezone)
        lines += ["", f"The brief of {when}, as its email would read:", ""]
        lines += ["    " + line for line in render_digest_email(busiest).splitlines()]
    return lines
