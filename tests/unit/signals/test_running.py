"""The running snapshot is `state.snapshot` of the same buckets, whatever order the folds and
decisions come in: the same windows, the same sets, the same score sums to the last bit (float
addition is not associative, so the order of the sums matters) and the same baseline."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.fold import added
from tensionwatch.signals.running import RunningSnapshot
from tensionwatch.signals.state import Snapshot, snapshot
from tensionwatch.signals.windows import Tally, contribution, hour_of
from tests.factories import T0

tallies = st.one_of(
    st.builds(
        lambda d, s, o, c, g: contribution(d, s, o, copy=c, grave=g, config=SignalConfig()),
        st.sampled_from(["thaw", "escalation", "neutral"]),
        st.floats(min_value=-10, max_value=10).map(lambda x: round(x, 3)),
        st.sampled_from(["A", "B", "C", "D", "E"]),
        st.sampled_from([False, False, False, True]),  # mostly stories: sums to add
        st.booleans(),
    ),
    st.just(Tally(articles=1, score_sum=-0.0)),
)
# ("fold", minutes from the clock, tally) or ("decide", minutes the clock moves on): folds
# land mostly in the last hours before the clock, some days late and some hours ahead of it;
# the clock mostly moves on by minutes, at times by days, at times back (a wall clock's ceiling)
minutes = st.one_of(st.integers(-240, 30), st.integers(-3 * 1440, 6 * 60))
moves = st.one_of(st.integers(0, 90), st.integers(-120, 3 * 1440))
steps = st.lists(
    st.one_of(
        st.tuples(st.just("fold"), minutes, tallies),
        st.tuples(st.just("decide"), moves, st.none()),
    ),
    min_size=20,
    max_size=120,
)
configs = st.builds(
    lambda window, flash, trend, days: SignalConfig(
        window_hours=window, flash_window_hours=flash, trend_days=trend, baseline_days=days
    ),
    st.integers(1, 30),
    st.integers(1, 8),
    st.integers(1, 9),
    st.integers(1, 12),
)


def same(found: Snapshot, expected: Snapshot) -> bool:
    """Equal, and each score sum the same float to its last bit and the sign of a zero."""
    sums = [repr(w.tally.score_sum) for w in (found.window, found.trend, found.flash)]
    wanted = [repr(w.tally.score_sum) for w in (expected.window, expected.trend, expected.flash)]
    return found == expected and sums == wanted


@settings(max_examples=500, deadline=None)
@given(steps, configs, st.booleans())
def test_the_running_snapshot_is_the_snapshot_of_the_buckets(
    found: list[tuple[str, int, Tally | None]], config: SignalConfig, prune: bool
) -> None:
    hours: dict[datetime, Tally] = {}
    days: dict[date, Tally] = {}
    running = RunningSnapshot(config)
    now = T0
    for kind, minutes, tally in found:
        if kind == "decide":
            now += timedelta(minutes=minutes)
            assert same(running.snapshot(hours, days, now), snapshot(hours, days, now, config))
            if prune:  # as the memory store forgets what no window at `now` reads
                widest = max(config.window_hours, config.flash_window_hours)
                first_hour = hour_of(now) - timedelta(hours=widest + 1)
                for old in [h for h in hours if h < first_hour]:
                    del hours[old]
                first_day = now.date() - timedelta(days=config.baseline_days + 40)
                for gone in [d for d in days if d < first_day]:
                    del days[gone]
                    running.days_changed(gone)
            continue
        assert tally is not None
        at = now + timedelta(minutes=minutes)
        hour, day = hour_of(at), at.date()
        before = hours.get(hour), days.get(day)
        after = added(before[0], tally), added(before[1], tally)
        hours[hour], days[day] = after
        running.folded(hour, day, before, after)
    assert same(running.snapshot(hours, days, now), snapshot(hours, days, now, config))


def test_a_window_moving_on_takes_off_what_it_leaves_and_counts_an_outlet_once() -> None:
    config = SignalConfig(window_hours=2, flash_window_hours=1)
    hours: dict[datetime, Tally] = {}
    days: dict[date, Tally] = {}
    running = RunningSnapshot(config)
    for hour, outlet in enumerate(["A", "B", "A"]):
        tally = contribution("thaw", 3.0, outlet, copy=False, grave=False, config=config)
        key = T0 + timedelta(hours=hour)
        before = hours.get(key), days.get(key.date())
        after = added(before[0], tally), added(before[1], tally)
        hours[key], days[key.date()] = after
        running.folded(key, key.date(), before, after)
        snap = running.snapshot(hours, days, key)
        assert snap == snapshot(hours, days, key, config)
    assert snap.window.tally.outlets == {"A", "B"} and snap.window.tally.stories == 2
    assert snap.flash.tally.outlets == {"A"} and snap.trend.tally.thaw_outlets == {"A", "B"}
