"""Alert construction: deterministic ids, severity, evidence, silences."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from tensionwatch.models import AlertEvidence, Silence
from tensionwatch.signals.alerts import ArticleRef, alert_id, build_alert, severity
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.silences import silenced_by
from tensionwatch.signals.state import Intent
from tensionwatch.signals.windows import Tally, Window
from tests.factories import T0, make_alert

WINDOW = Window("24h", T0 - timedelta(hours=23), T0, Tally())


def intent(departure: float = -2.5, kind: str = "state_change") -> Intent:
    return Intent(kind, "escalation", "steady", "escalating", WINDOW, departure)  # type: ignore[arg-type]


def ref(n: int, score: float, *, outlet: str = "Wire", story: str | None = None) -> ArticleRef:
    ev = AlertEvidence(
        phrase=f"phrase {n}",
        sentence=f"Sentence {n}.",
        category="THREATEN",
        weight=score,
        article_url=f"https://x.example.com/{n}",
        outlet=outlet,
    )
    return ArticleRef(
        str(n),
        f"Headline {n}.",
        f"https://x.example.com/{n}",
        outlet,
        T0 - timedelta(hours=n),
        story or str(n),
        "escalation",
        score,
        (ev,),
    )


def test_alert_id_is_deterministic_per_pair_direction_kind_and_hour() -> None:
    one = alert_id("JP-KR", "escalation", "state_change", T0)
    assert one == alert_id("JP-KR", "escalation", "state_change", T0 + timedelta(minutes=59))
    others = {
        alert_id("JP-KR", "thaw", "state_change", T0),
        alert_id("JP-KR", "escalation", "flash", T0),
        alert_id("CN-JP", "escalation", "state_change", T0),
        alert_id("JP-KR", "escalation", "state_change", T0 + timedelta(hours=1)),
    }
    assert one not in others and len(others) == 4


@pytest.mark.parametrize(
    ("departure", "outlets", "expected"),
    [
        (-2.1, 3, "info"),
        (-3.2, 3, "warning"),
        (-2.1, 4, "warning"),
        (-4.5, 5, "critical"),
        (-4.5, 4, "warning"),
        (-9.0, 2, "warning"),
    ],
)
def test_severity_needs_strength_and_breadth(departure: float, outlets: int, expected: str) -> None:
    assert severity(intent(departure), outlets, SignalConfig()) == expected


def test_resolved_is_info_and_flash_at_least_warning() -> None:
    assert severity(intent(kind="resolved"), 9, SignalConfig()) == "info"
    assert severity(intent(0.0, kind="flash"), 3, SignalConfig()) == "warning"


def test_alert_cites_strongest_articles_in_its_window_first() -> None:
    refs = [
        ref(1, -5.0, outlet="A"),
        ref(2, -9.0, outlet="B"),
        ref(3, -7.0, outlet="C"),
        ref(30, -9.9, outlet="Old"),
        ref(4, -9.0, outlet="D", story="2"),
    ]
    alert = build_alert("JP-KR", intent(), refs, SignalConfig())
    assert [a.outlet for a in alert.articles] == ["B", "D", "C", "A"]  # 30 h old: outside
    assert (alert.article_count, alert.story_count, alert.outlet_count) == (4, 3, 4)
    assert alert.score == -7.0  # mean of the three stories; the copy has no vote
    assert [e.phrase for e in alert.evidence] == ["phrase 2", "phrase 4", "phrase 3", "phrase 1"]
    assert alert.rationale == "JP-KR escalating: Headline 2; 4 outlets, 3 stories in 24 h"
    assert alert.window_end == alert.fired_at == T0


def test_long_headline_is_clipped_in_the_rationale() -> None:
    long = ArticleRef("1", "word " * 60, "https://x.example.com/1", "W", T0, "1", "escalation", -8)
    alert = build_alert("JP-KR", intent(), [long], SignalConfig())
    assert len(alert.rationale) < 140 and "…" in alert.rationale


def silence(ident: str = "s1", **fields: object) -> Silence:
    values: dict[str, object] = {
        "id": ident,
        "starts_at": T0 - timedelta(days=1),
        "ends_at": T0 + timedelta(days=1),
        "created_by": "ops",
    }
    values.update(fields)
    return Silence(**values)  # type: ignore[arg-type]


def test_silence_mutes_matching_pair_and_direction_only() -> None:
    alert = make_alert("JP-KR", direction="escalation", fired_at=T0)
    assert silenced_by(alert, [silence(dyad="JP-KR")]) is not None
    assert silenced_by(alert, [silence(dyad="CN-JP")]) is None
    assert silenced_by(alert, [silence(direction="thaw")]) is None
    assert silenced_by(alert, [silence(country="KR", direction="escalation")]) is not None


def test_silence_applies_at_the_alerts_event_time() -> None:
    alert = make_alert("JP-KR", fired_at=T0 + timedelta(days=2))
    assert silenced_by(alert, [silence(dyad="JP-KR")]) is None  # it ended a day before
    expired_then = silence("late", starts_at=T0 + timedelta(days=3), ends_at=T0 + timedelta(days=4))
    assert silenced_by(alert, [expired_then]) is None


def test_first_silence_by_id_is_reported() -> None:
    alert = make_alert("JP-KR")
    assert silenced_by(alert, [silence("zz"), silence("aa")]).id == "aa"  # type: ignore[union-attr]


def test_alert_articles_carry_the_pairs_their_story_is_about() -> None:
    wide = replace(ref(1, -9.0), pairs=("BO-EC", "CL-EC", "EC-PE"))
    alert = build_alert("CL-EC", intent(), [wide, ref(2, -8.0)], SignalConfig())
    assert [a.pairs for a in alert.articles] == [("BO-EC", "CL-EC", "EC-PE"), ()]
    assert alert.schema_version == 2
