"""What a chart says besides the line: when the pair was in a state (from its alerts alone)
and, when a loud day fired nothing, what it lacked."""

from __future__ import annotations

from datetime import timedelta

from tensionwatch.backtest.replay import new_run
from tensionwatch.report.charts import near_line, note_lines
from tensionwatch.report.periods import state_periods, time_in
from tensionwatch.report.watch import SignalWatch
from tensionwatch.scoring.scorer import score_article
from tensionwatch.signals.config import SignalConfig
from tests.factories import T0, make_alert, make_article


def test_state_periods_run_from_a_change_to_the_next_change() -> None:
    day = timedelta(days=1)
    alerts = [
        make_alert(direction="escalation", fired_at=T0),
        make_alert(
            kind="flash",
            direction="escalation",
            fired_at=T0 + day,
            state_before="escalating",
            state_after="escalating",
        ),
        make_alert(
            kind="resolved",
            direction="escalation",
            fired_at=T0 + 2 * day,
            state_before="escalating",
            state_after="steady",
        ),
        make_alert(direction="thaw", fired_at=T0 + 5 * day),
    ]
    periods = state_periods(alerts, end=T0 + 6 * day)
    assert [(p.state, p.start, p.end) for p in periods] == [
        ("escalating", T0, T0 + 2 * day),
        ("thawing", T0 + 5 * day, T0 + 6 * day),
    ]
    assert time_in(periods, "escalating") == 2 * day


def test_a_loud_day_from_too_few_outlets_says_what_it_lacked() -> None:
    """Two grave reports from one outlet move the window far past the enter line; the pair
    stays steady, and the chart says why: one outlet where three are needed."""
    config = SignalConfig()
    watch = SignalWatch(config)
    run = new_run(config, score_article, watcher=watch)
    for hour, title in enumerate(["Japan imposes sanctions on South Korea",
                                  "Japan expels South Korean diplomats"]):  # fmt: skip
        run.handle(make_article(title, url=f"https://one.example/{hour}", outlet="One Outlet",
                                published_at=T0 + timedelta(hours=hour)))  # fmt: skip
    assert run.alerts == []
    miss = watch.near["JP-KR"]["escalation"]
    assert miss.departure <= -config.enter_margin
    assert miss.outlets == 1
    assert "1 outlet with escalation stories, 3 needed" in near_line(miss)


def test_a_chart_to_publish_lists_alerts_by_their_counts_not_their_headlines() -> None:
    alert = make_alert(direction="escalation", story_count=4, outlet_count=5)
    quoted = note_lines([alert], 1, [])
    unquoted = note_lines([alert], 1, [], quote=False)
    headline = alert.articles[0].title
    assert headline in quoted[0]
    assert headline not in "\n".join(unquoted)
    assert unquoted[0].endswith("3 articles, 4 stories, 5 outlets in 24h")
    assert unquoted[0].split(":")[0] == quoted[0].split(":")[0]
