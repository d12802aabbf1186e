"""Tallies, windows and the baseline."""

from __future__ import annotations

import copy
import pickle
import random
from dataclasses import fields
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.fold import added
from tensionwatch.signals.windows import (
    Tally,
    baseline,
    contribution,
    daily_window,
    hourly_window,
    total,
)
from tensionwatch.store.dyad_items import tally_of
from tests.factories import T0

CONFIG = SignalConfig()
readings = st.tuples(
    st.sampled_from(["thaw", "escalation", "neutral"]),
    st.floats(min_value=-10, max_value=10).map(lambda x: round(x, 3)),
    st.sampled_from(["A", "B", "C", "D"]),
    st.booleans(),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(readings, max_size=30), st.randoms(use_true_random=False))
def test_any_fold_order_gives_the_same_totals(
    found: list[tuple[str, float, str, bool]], rng: random.Random
) -> None:
    """Concurrent batches apply ADDs in any order: the window must not care."""
    tallies = [contribution(d, s, o, copy=c, grave=True, config=CONFIG) for d, s, o, c in found]  # type: ignore[arg-type]
    shuffled = list(tallies)
    rng.shuffle(shuffled)
    one, other = total(tallies), total(shuffled)
    assert round(one.score_sum, 6) == round(other.score_sum, 6)
    assert one.__dict__ | {"score_sum": 0} == other.__dict__ | {"score_sum": 0}
    assert one.articles == len(found)
    assert one.stories == sum(1 for *_, copy in found if not copy)


def test_hourly_window_takes_the_last_n_hours_including_the_current() -> None:
    hours = {T0 - timedelta(hours=h): Tally(articles=1) for h in range(30)}
    window = hourly_window("24h", hours, T0 + timedelta(minutes=59), 24)
    assert window.tally.articles == 24
    assert window.start == T0 - timedelta(hours=23)


def test_daily_window_spans_whole_days_up_to_today() -> None:
    days = {T0.date() - timedelta(days=d): Tally(stories=1) for d in range(10)}
    window = daily_window("7d", days, T0, 7)
    assert window.tally.stories == 7
    assert window.start.date() == T0.date() - timedelta(days=6)


def test_baseline_counts_quiet_days_as_zero_and_floors_the_spread() -> None:
    start = T0
    assert baseline({}, start, CONFIG).spread == CONFIG.min_spread
    busy = {
        start.date() - timedelta(days=d): Tally(score_sum=-20.0 if d % 2 else 0.0)
        for d in range(1, 31)
    }
    found = baseline(busy, start, CONFIG)
    assert (found.mean, found.spread, found.days) == (-10.0, 10.0, 30)
    assert found.departure(-30.0) == -2.0


def test_baseline_excludes_the_window_itself() -> None:
    today: dict[date, Tally] = {T0.date(): Tally(score_sum=-50.0)}
    assert baseline(today, T0, CONFIG).mean == 0.0


def _reference_total(tallies: list[Tally]) -> Tally:
    """The sum as the store's ADD defines it, spelt out: what `total`'s shortcuts must give."""
    if not tallies:
        return Tally()
    values = [frozenset().union(*column) if isinstance(column[0], frozenset) else sum(column)
              for column in zip(*(astuple_shallow(t) for t in tallies), strict=True)]  # fmt: skip
    return Tally(*values)


def astuple_shallow(tally: Tally) -> tuple[object, ...]:
    return tuple(getattr(tally, f.name) for f in fields(Tally))


tallies = st.builds(
    lambda found, zero: contribution(*found[:3], copy=found[3], grave=True, config=CONFIG)
    if not zero else Tally(score_sum=-0.0),
    readings, st.booleans(),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(tallies, max_size=30))
def test_total_and_a_sum_of_two_are_the_sum_spelt_out(found: list[Tally]) -> None:
    expected = _reference_total(found)
    assert total(found) == expected and hash(total(found)) == hash(expected)
    assert repr(total(found).score_sum) == repr(expected.score_sum)  # the sign of a zero too
    if len(found) >= 2:
        pair = found[0] + found[1]
        assert pair == _reference_total(found[:2])
        assert repr(pair.score_sum) == repr(_reference_total(found[:2]).score_sum)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(-5, 45), st.floats(-50, 50).map(lambda x: round(x, 3))),
       st.integers(1, 40))  # fmt: skip
def test_the_baseline_reads_each_day_of_its_span(sums: dict[int, float], span: int) -> None:
    config = SignalConfig(baseline_days=span)
    days = {T0.date() - timedelta(days=back): Tally(score_sum=s) for back, s in sums.items()}
    last = T0.date() - timedelta(days=1)
    daily = tuple(days[d].score_sum if d in days else 0.0
                  for d in (last - timedelta(days=i) for i in range(span)))  # fmt: skip
    assert baseline(days, T0, config).daily == daily


def test_every_way_a_tally_is_made_holds_its_fields_in_order() -> None:
    """`total` reads a tally's __dict__ as its fields in order."""
    names = [f.name for f in fields(Tally)]
    one = contribution("thaw", 4.0, "A", copy=False, grave=True, config=CONFIG)
    other = Tally(escalation_outlets=frozenset({"B"}), articles=2, score_sum=-1.5)
    made = [Tally(), one, other, one + other, total([one, other, one]),
            tally_of({"articles": {"N": "3"}, "outlets": {"SS": ["A"]}}), copy.copy(one),
            pickle.loads(pickle.dumps(other)), added(one, other)]  # fmt: skip
    assert all(list(tally.__dict__) == names for tally in made)


@settings(max_examples=200, deadline=None)
@given(readings, st.booleans(), st.sampled_from([-0.0, 3.0, -3.0, 4.0, -4.0]))
def test_a_contribution_is_the_tally_spelt_out(
    found: tuple[str, float, str, bool], grave: bool, edge: float
) -> None:
    """`contribution` builds its tally without Tally's __init__: the same tally as the
    keywords give, its score the same float (an edge of the thresholds, a zero's sign too)."""
    for direction, score, outlet, copy_ in (found, (found[0], edge, *found[2:])):
        strong = (
            direction in ("thaw", "escalation") and abs(score) >= CONFIG.flash_corroborate_score
        )
        sided = direction in ("thaw", "escalation") and not copy_
        peak = sided and grave and abs(score) >= CONFIG.flash_score
        one, none = frozenset({outlet}), frozenset[str]()
        expected = Tally(
            articles=1, stories=0 if copy_ else 1, score_sum=0.0 if copy_ else round(score, 3),
            thaw_stories=int(sided and direction == "thaw"),
            escalation_stories=int(sided and direction == "escalation"),
            thaw_peaks=int(peak and direction == "thaw"),
            escalation_peaks=int(peak and direction == "escalation"),
            outlets=one, thaw_outlets=one if sided and direction == "thaw" else none,
            escalation_outlets=one if sided and direction == "escalation" else none,
            thaw_corroborating=one if strong and direction == "thaw" else none,
            escalation_corroborating=one if strong and direction == "escalation" else none,
        )  # fmt: skip
        made = contribution(direction, score, outlet, copy=copy_, grave=grave, config=CONFIG)  # type: ignore[arg-type]
        assert list(made.__dict__.items()) == list(expected.__dict__.items())
        assert repr(made.score_sum) == repr(expected.score_sum)
