"""DyadsTable item encoding that needs no table."""

from __future__ import annotations

from tensionwatch.store.dyad_items import number


def test_scores_at_the_ends_of_the_scale_are_stored_as_plain_numbers() -> None:
    """The calibrated scale reaches exactly ±10 (an invasion); '-1E+1' broke the fold."""
    assert [number(v) for v in (-10.0, 10.0, 20.0, 0.0, -2.5, 1 / 3)] == [
        "-10", "10", "20", "0", "-2.5", "0.333",
    ]  # fmt: skip
