"""Filter semantics, spelled out case by case (the moto test holds SNS to the same answers)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tensionwatch.subscriptions import SubscriptionFilter, matches, sns_filter_policy
from tests.factories import make_alert


def test_empty_filter_takes_state_changes_and_flashes_but_not_resolved_notices() -> None:
    spec = SubscriptionFilter()
    assert matches(spec, make_alert(kind="state_change"))
    assert matches(spec, make_alert(kind="flash"))
    assert not matches(spec, make_alert(kind="resolved"))
    assert matches(SubscriptionFilter(include_resolved=True), make_alert(kind="resolved"))


def test_pairs_and_countries_are_alternatives() -> None:
    spec = SubscriptionFilter(dyads=("JP-KR",), countries=("CN",))
    assert matches(spec, make_alert("JP-KR"))
    assert matches(spec, make_alert("CN-US"))
    assert not matches(spec, make_alert("RU-US"))


def test_min_severity_is_a_floor() -> None:
    spec = SubscriptionFilter(min_severity="warning")
    assert not matches(spec, make_alert(severity="info"))
    assert matches(spec, make_alert(severity="warning"))
    assert matches(spec, make_alert(severity="critical"))


def test_directions_restrict() -> None:
    spec = SubscriptionFilter(directions=("escalation",))
    assert matches(spec, make_alert(direction="escalation"))
    assert not matches(spec, make_alert(direction="thaw"))


def test_policy_leaves_out_empty_clauses_and_uses_or_for_pairs_with_countries() -> None:
    assert sns_filter_policy(SubscriptionFilter()) == {"kind": ["state_change", "flash"]}
    spec = SubscriptionFilter(dyads=("kr-jp",), countries=("cn",), min_severity="critical")
    assert sns_filter_policy(spec) == {
        "$or": [{"dyad": ["JP-KR"]}, {"countries": ["CN"]}],
        "severity": ["critical"],
        "kind": ["state_change", "flash"],
    }


@pytest.mark.parametrize(
    ("fields", "field_named"),
    [
        ({"dyads": ["JAPAN-KR"]}, "dyads"),
        ({"countries": ["JPN"]}, "countries"),
        ({"directions": ["sideways"]}, "directions"),
        ({"min_severity": "loud"}, "min_severity"),
        ({"kinds": []}, "kinds"),
    ],
)
def test_invalid_filters_name_the_field(fields: dict[str, object], field_named: str) -> None:
    with pytest.raises(ValidationError) as caught:
        SubscriptionFilter.model_validate(fields)
    assert caught.value.errors()[0]["loc"][0] == field_named


def test_filter_beyond_sns_combination_limit_is_refused() -> None:
    many = [f"A{chr(65 + i)}" for i in range(26)]
    with pytest.raises(ValidationError, match="combinations"):
        SubscriptionFilter(countries=many, directions=("thaw", "escalation"), min_severity="info",
                           kinds=("flash", "state_change"), include_resolved=True)  # fmt: skip
