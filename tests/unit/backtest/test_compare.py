"""--compare: per pair, the alerts B gained, lost, or fired at another time."""

from __future__ import annotations

from datetime import timedelta

from tensionwatch.backtest.compare import compare
from tests.factories import T0, make_alert


def test_gained_lost_and_moved_per_pair() -> None:
    kept = make_alert("JP-KR", direction="escalation", fired_at=T0)
    moved_a = make_alert("JP-KR", direction="thaw", fired_at=T0 + timedelta(days=3))
    moved_b = make_alert("JP-KR", direction="thaw", fired_at=T0 + timedelta(days=3, hours=5))
    lost = make_alert("GR-TR", kind="flash", direction="escalation", fired_at=T0)
    gained = make_alert("GR-TR", kind="flash", direction="escalation",
                        fired_at=T0 + timedelta(days=2))  # fmt: skip
    [greece, japan] = compare([kept, moved_a, lost], [kept, moved_b, gained])
    assert (greece.dyad, greece.before, greece.after) == ("GR-TR", 1, 1)
    assert (greece.lost, greece.gained, greece.moved) == ([lost], [gained], [])
    assert (japan.dyad, japan.lost, japan.gained, japan.moved) == (
        "JP-KR",
        [],
        [],
        [(moved_a, moved_b)],
    )
    assert not compare([kept], [kept])[0].changed


def test_one_alert_matches_one_alert() -> None:
    first = make_alert(fired_at=T0)
    second = make_alert(fired_at=T0 + timedelta(hours=6))
    [diff] = compare([first], [first, second])
    assert (diff.gained, diff.lost, diff.moved) == ([second], [], [])


def test_a_repeat_is_not_the_change_it_repeats() -> None:
    change = make_alert(direction="escalation", fired_at=T0)
    repeat = make_alert(direction="escalation", fired_at=T0 + timedelta(hours=3),
                        state_before="escalating")  # fmt: skip
    [diff] = compare([change], [repeat])
    assert (diff.lost, diff.gained, diff.moved) == ([change], [repeat], [])
