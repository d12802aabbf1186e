"""The signal's decisions driven with event times: states, hysteresis, repeats, resolved."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tensionwatch.models import Alert
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.state import PairState, Snapshot, changed, decide
from tensionwatch.signals.windows import Baseline, Tally, Window
from tests.factories import T0, make_article, make_score
from tests.unit.signals.sim import PairSim

_serial = itertools.count()


def report(sim: PairSim, at: datetime, score: float, outlet: str = "Wire A") -> list[Alert]:
    """One story about the sim's pair at `at` with `score`, from `outlet`."""
    n = next(_serial)
    article = make_article(
        f"Story {n} about the pair",
        url=f"https://news.example.com/{n}",
        outlet=outlet,
        published_at=at,
    )
    return sim.add(article, make_score(sim.dyad, score))


def escalate(sim: PairSim, start: datetime, stories: int = 4) -> list[Alert]:
    """`stories` strong escalation stories from distinct outlets, one an hour."""
    fired: list[Alert] = []
    for i in range(stories):
        fired += report(sim, start + timedelta(hours=i), -7.0, outlet=f"Outlet {i}")
    return fired


def test_rising_escalation_fires_exactly_one_state_change() -> None:
    sim = PairSim()
    for day in range(10):  # a quiet pair: one mild story a day
        report(sim, T0 + timedelta(days=day), 1.0)
    fired = escalate(sim, T0 + timedelta(days=10), stories=8)
    assert [(a.kind, a.direction, a.state_before, a.state_after) for a in fired] == [
        ("state_change", "escalation", "steady", "escalating")
    ]
    assert fired[0].rationale.startswith("JP-KR escalating: Story")
    assert "3 outlets, 3 stories in 24 h" in fired[0].rationale
    assert sim.state.state == "escalating"


def test_one_source_alone_does_not_change_state() -> None:
    sim = PairSim()
    for i in range(6):
        report(sim, T0 + timedelta(hours=i), -8.0, outlet="Only Outlet")
    assert sim.alerts == []
    assert sim.state.state == "steady"


def snap(at: datetime, net: float, stories: int = 3) -> Snapshot:
    """A snapshot whose 24 h window nets `net` from `stories` stories by as many outlets,
    over a flat baseline: departure = net / 8 (the spread floor)."""
    outlets = frozenset(f"Outlet {i}" for i in range(stories))
    side = (
        {"escalation_stories": stories, "escalation_outlets": outlets}
        if net < 0
        else {"thaw_stories": stories, "thaw_outlets": outlets}
    )
    tally = Tally(articles=stories, stories=stories, score_sum=net, outlets=outlets, **side)
    window = Window("24h", at - timedelta(hours=23), at, tally)
    return Snapshot(at, window, window, Window("6h", at, at, Tally()), Baseline(0.0, 8.0, 30))


def run(departures: list[float], config: SignalConfig) -> list[tuple[str, str]]:
    state, fired = PairState(), []
    for hour, z in enumerate(departures):
        decision = decide(state, snap(T0 + timedelta(hours=hour), z * 8.0), config)
        state = decision.state
        fired += [(i.kind, i.state_after) for i in decision.intents]
    return fired


def test_noise_around_the_threshold_does_not_flap() -> None:
    """After entering, the departure swings around the enter margin but never back inside
    the exit margin: hysteresis holds the state; with exit == enter the same stream flaps."""
    noise = [-2.5] + [-1.6, -2.2, -1.3, -2.4, -1.1, -2.05] * 4
    assert run(noise, SignalConfig()) == [("state_change", "escalating")]
    flapping = run(noise, SignalConfig(exit_margin=2.0))
    assert len(flapping) > 10


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=-1.99, max_value=1.99), min_size=1, max_size=40))
def test_departures_inside_the_enter_margin_never_fire(departures: list[float]) -> None:
    assert run(departures, SignalConfig()) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=-6.0, max_value=-1.01), min_size=1, max_size=40))
def test_an_entered_state_holds_while_outside_the_exit_margin(departures: list[float]) -> None:
    fired = run([-2.5, *departures], SignalConfig(repeat_interval_hours=1000))
    assert fired == [("state_change", "escalating")]


def test_unchanged_state_is_not_resent_before_the_repeat_interval() -> None:
    sim = PairSim(config=SignalConfig(repeat_interval_hours=72))
    for day in range(5):  # escalation sustained for five days
        escalate(sim, T0 + timedelta(days=day), stories=4)
    kinds = [(a.kind, a.state_before, a.fired_at - T0) for a in sim.alerts]
    assert kinds == [
        ("state_change", "steady", timedelta(hours=2)),
        ("state_change", "escalating", timedelta(days=3, hours=2)),  # 72 h after the first
    ]
    assert sim.alerts[1].rationale.startswith("JP-KR still escalating")


def test_return_to_steady_sends_a_resolved_notice() -> None:
    sim = PairSim()
    escalate(sim, T0, stories=4)
    for hour in range(30, 60, 6):  # the news calms down: mild stories after a day
        report(sim, T0 + timedelta(hours=hour), 0.5)
    resolved = [a for a in sim.alerts if a.kind == "resolved"]
    assert len(resolved) == 1
    assert (resolved[0].direction, resolved[0].state_before, resolved[0].state_after) == (
        "escalation",
        "escalating",
        "steady",
    )
    assert resolved[0].severity == "info"
    assert resolved[0].rationale.startswith("JP-KR back to steady after escalating since")


def test_a_swing_past_the_other_margin_goes_straight_to_the_other_state() -> None:
    assert run([-2.5, 2.5, 0.0], SignalConfig()) == [
        ("state_change", "escalating"),
        ("state_change", "thawing"),
        ("resolved", "steady"),
    ]


def test_thaw_after_escalation_resolves_then_thaws() -> None:
    sim = PairSim()
    escalate(sim, T0, stories=4)
    for i in range(6):
        report(sim, T0 + timedelta(hours=30 + i), 8.0, outlet=f"Outlet {i}")
    changes = [(a.kind, a.direction, a.state_after) for a in sim.alerts]
    assert changes == [
        ("state_change", "escalation", "escalating"),
        ("resolved", "escalation", "steady"),
        ("state_change", "thaw", "thawing"),
    ]


def test_busy_pair_baseline_raises_the_bar() -> None:
    """The same day of news is an escalation for a quiet pair, normal for a tense one."""
    quiet, tense = PairSim(), PairSim(dyad="IN-PK")
    for day in range(30):
        report(tense, T0 + timedelta(days=day), -6.0, outlet="Daily Wire")
        report(tense, T0 + timedelta(days=day, hours=1), -4.0 - (day % 3) * 3, outlet="Other")
    day31 = T0 + timedelta(days=31)
    for sim in (quiet, tense):
        escalate(sim, day31, stories=3)
    assert [a.kind for a in quiet.alerts] == ["state_change"]
    assert [a for a in tense.alerts if a.fired_at >= day31] == []


def test_late_article_does_not_move_the_pair_clock_back() -> None:
    sim = PairSim()
    report(sim, T0 + timedelta(days=2), 1.0)
    report(sim, T0, -8.0, outlet="Late Wire")
    assert sim.state.latest == T0 + timedelta(days=2)


def test_decision_is_replay_deterministic() -> None:
    first, second = PairSim(), PairSim()
    for sim in (first, second):
        escalate(sim, T0, stories=5)
    assert [a.id for a in first.alerts] == [a.id for a in second.alerts]
    assert replace(first.state) == second.state


def test_a_changed_state_is_what_dataclasses_replace_gives() -> None:
    at = datetime(2025, 1, 1, tzinfo=UTC)
    prev = PairState("thawing", at, at, 3, at, None, at, frozenset({"a"}))
    changes: list[dict[str, object]] = [
        {"state": "steady"}, {"latest": at + timedelta(hours=1)}, {"version": 4},
        {"pending": frozenset()}, {"thaw_flash_at": at, "last_sent": None},
    ]  # fmt: skip
    for change in changes:
        new = changed(prev, **change)
        assert new == replace(prev, **change)
        assert list(vars(new).items()) == list(vars(replace(prev, **change)).items())
        assert prev == PairState("thawing", at, at, 3, at, None, at, frozenset({"a"}))  # untouched
    with pytest.raises(TypeError):
        changed(prev, lastest=at)
