"""`--set NAME=VALUE`: every SignalConfig number, typed and checked as the score function's
settings are, and a clear refusal otherwise."""

from __future__ import annotations

from dataclasses import fields

import pytest

from tensionwatch.backtest.overrides import OverrideError, configured, describe, parse_overrides
from tensionwatch.signals.config import SignalConfig


def test_any_setting_can_be_set_in_either_case() -> None:
    values = parse_overrides(["flash_score=7", "MIN_OUTLETS=2", "repeat-interval-hours=24"])
    assert values == {"flash_score": 7.0, "min_outlets": 2, "repeat_interval_hours": 24}
    assert isinstance(values["min_outlets"], int) and isinstance(values["flash_score"], float)
    config = configured(SignalConfig(), values)
    assert (config.flash_score, config.min_outlets, config.window_hours) == (7.0, 2, 24)
    assert describe(config) == "min_outlets=2, flash_score=7, repeat_interval_hours=24"


def test_every_signal_setting_is_a_settable_name() -> None:
    for field in fields(SignalConfig):
        assert parse_overrides([f"{field.name}=3"]) == {field.name: 3}


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("flash_score", "expected NAME=VALUE"),
        ("flash_score=", "expected NAME=VALUE"),
        ("bogus=1", "no setting 'bogus'; one of window_hours"),
        ("min_outlets=two", "min_outlets=two: Input should be a valid integer"),
        ("min_outlets=2.5", "min_outlets=2.5: Input should be a valid integer"),
    ],
)
def test_a_bad_setting_is_refused_saying_why(given: str, said: str) -> None:
    with pytest.raises(OverrideError, match=None) as refused:
        parse_overrides([given])
    assert said in str(refused.value)


def test_the_defaults_describe_themselves() -> None:
    assert describe(SignalConfig()) == "the defaults"
