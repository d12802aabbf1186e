"""`tensionwatch demo` end to end: the offline stack, the fake news server and the receivers
over two simulated weeks. Its alerts must tell exactly the story the sample news was written
to tell, and every channel must get exactly what its subscription asked for."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tensionwatch.local.demo import DemoResult, offline, run_demo
from tensionwatch.local.news import START
from tensionwatch.local.outputs import write_outputs
from tensionwatch.local.report import progress_bar, write_report


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoResult]:
    with offline():
        yield run_demo(on_tick=progress_bar(io.StringIO()))


def day(alert_time: object) -> int:
    return (alert_time - START) // timedelta(days=1)  # type: ignore[operator]


# The story the sample news was written to tell: (pair, kind, direction, day from START).
STORY = [
    ("GR-TR", "state_change", "escalation", 4),  # recall, expulsion, troops, sanctions
    ("GR-TR", "resolved", "escalation", 8),  # warships withdraw, hotline restored
    ("GR-TR", "state_change", "thaw", 9),  # talks resumed, ambassador back, crossings reopen
    ("GY-VE", "flash", "escalation", 10),  # one attack, four outlets within two hours
]


def test_alerts_tell_the_story_of_the_sample_news(demo: DemoResult) -> None:
    ordered = sorted(demo.alerts, key=lambda a: a.fired_at)
    assert [(a.dyad, a.kind, a.direction, day(a.fired_at)) for a in ordered] == STORY


def test_the_steady_pair_never_alerts(demo: DemoResult) -> None:
    assert [a for a in demo.alerts if a.dyad == "AR-BR"] == []


def test_each_channel_gets_what_its_subscription_asked_for(demo: DemoResult) -> None:
    def ids(received: list) -> set[str]:  # type: ignore[type-arg]
        return {a.id for a in demo.alerts for r in received if a.id in json.dumps(r.payload)}

    everything = {a.id for a in demo.alerts if a.kind != "resolved"}
    assert ids(demo.slack) == everything
    assert ids(demo.webhook) == {
        a.id for a in demo.alerts if a.direction == "escalation" and a.kind != "resolved"
    }
    assert all(r.verified for r in demo.webhook)
    assert {a.id for a in demo.emails} == {
        a.id for a in demo.alerts if a.dyad == "GR-TR" and a.kind != "resolved"
    }


def test_the_failing_source_is_isolated_and_nothing_is_lost(demo: DemoResult) -> None:
    assert set(demo.source_failures) == {"northstar-daily"}
    assert demo.source_failures["northstar-daily"] == demo.polls
    assert demo.score_failures == 0
    assert demo.dead_letters == {"ScoreDLQ": 0, "DeliveryDLQ": 0}
    assert demo.syndicated > 0 and demo.duplicates > 0


def test_report_and_outputs_show_each_alert(demo: DemoResult, tmp_path: Path) -> None:
    out = io.StringIO()
    write_report(demo, out)
    text = out.getvalue()
    for alert in demo.alerts:
        assert alert.rationale in text
    written = write_outputs(demo, tmp_path)
    assert json.loads((tmp_path / "alerts.json").read_text())[0]["schema_version"] == 1
    assert {p.name for p in written} >= {"alerts.json", "signal-GR-TR.png", "signal-GY-VE.png"}
