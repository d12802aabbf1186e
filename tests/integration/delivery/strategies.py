"""Hypothesis strategies for alerts and subscription filters over a small world of countries."""

from __future__ import annotations

from typing import Any

from hypothesis import reject
from hypothesis import strategies as st
from pydantic import ValidationError

from tensionwatch.models import Alert
from tensionwatch.scoring.pairs import dyad_of
from tensionwatch.subscriptions import SubscriptionFilter
from tests.factories import make_alert

# Few countries, so random filters and random alerts overlap often enough to exercise both answers.
COUNTRIES = ("CN", "JP", "KR", "RU", "US")
DIRECTIONS = ("thaw", "escalation", "neutral")
SEVERITIES = ("info", "warning", "critical")
KINDS = ("state_change", "flash", "resolved")

pairs = st.lists(st.sampled_from(COUNTRIES), min_size=2, max_size=2, unique=True).map(
    lambda two: dyad_of(*two)
)


@st.composite
def alerts(draw: st.DrawFn) -> Alert:
    return make_alert(
        draw(pairs),
        kind=draw(st.sampled_from(KINDS)),
        direction=draw(st.sampled_from(DIRECTIONS)),
        severity=draw(st.sampled_from(SEVERITIES)),
        id=f"alert-{draw(st.uuids()).hex[:12]}",
    )


@st.composite
def filters(draw: st.DrawFn) -> SubscriptionFilter:
    fields: dict[str, Any] = {
        "dyads": draw(st.lists(pairs, max_size=2, unique=True)),
        "countries": draw(st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True)),
        "directions": draw(st.lists(st.sampled_from(DIRECTIONS), max_size=2, unique=True)),
        "min_severity": draw(st.sampled_from(SEVERITIES)),
        "kinds": draw(
            st.lists(st.sampled_from(("state_change", "flash")), min_size=1, unique=True)
        ),
        "include_resolved": draw(st.booleans()),
    }
    try:
        return SubscriptionFilter(**fields)
    except ValidationError:  # beyond SNS's combination limit: the API refuses it too
        reject()
