"""DyadsTable item encoding that needs no table."""

from __future__ import annotations

from tensionwatch.store.dyad_items import number


def test_scores_at_the_ends_of_the_scale_are_stored_as_plain_numbers() -> None:
    """The calibrated scale reaches exactly ±10 (an invasion); '-1E+1' broke the fold."""
    assert [number(v) for v in (-10.0, 10.0, 20.0, 0.0, -2.5, 1 / 3)] == [
        "-10", "10", "20", "0", "-2.5", "0.333",
    ]  # fmt: skip


def test_the_digest_indexes_change_only_with_a_new_day_or_a_new_state() -> None:
    from datetime import UTC, datetime

    from tensionwatch.signals.state import PairState
    from tensionwatch.store.dyad_items import index_actions

    monday = datetime(2026, 11, 2, 9, tzinfo=UTC)
    later = monday.replace(hour=17)
    first = index_actions("T", "GR-TR", PairState(), PairState(latest=monday), 1)
    assert [a["Put"]["Item"]["pk"]["S"] for a in first] == ["ACTIVE#2026-11-02"]
    assert index_actions("T", "GR-TR", PairState(latest=monday), PairState(latest=later), 1) == []
    escalating = PairState(state="escalating", since=later, latest=later)
    entered = index_actions("T", "GR-TR", PairState(latest=monday), escalating, 1)
    assert entered[0]["Put"]["Item"]["pk"]["S"] == "UNSTEADY"
    assert entered[0]["Put"]["Item"]["since"]["S"] == "2026-11-02T17:00:00+00:00"
    left = index_actions("T", "GR-TR", PairState(state="escalating", latest=later),
                         PairState(latest=later), 1)  # fmt: skip
    assert left == [{"Delete": {"TableName": "T", "Key": {"pk": {"S": "UNSTEADY"},
                                                           "sk": {"S": "GR-TR"}}}}]  # fmt: skip
