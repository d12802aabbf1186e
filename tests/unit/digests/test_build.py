"""Building the brief from what was read: movement against the pair's own baseline, movers,
stories once each, quiet periods, and the caps with the rest counted."""

from __future__ import annotations

from datetime import timedelta

from tensionwatch.digests.build import PairHistory, Period, build_digest, summarise, top_stories
from tensionwatch.digests.model import MAX_PAIRS
from tensionwatch.signals.alerts import ArticleRef
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.state import PairState
from tensionwatch.signals.windows import Tally
from tensionwatch.subscriptions import Delivery, Subscription
from tests.factories import T0, make_alert

CONFIG = SignalConfig()
PERIOD = Period(T0, T0 + timedelta(days=1))
SUB = Subscription(id="sub_1", channel="slack", target="https://hooks.slack.com/x", created_at=T0,
                   delivery=Delivery.model_validate({"mode": "both", "digest": {}}))  # fmt: skip


def history(dyad: str, net: float, *, daily: float = 0.0, state: str = "steady") -> PairHistory:
    days = {(T0 - timedelta(days=i)).date(): Tally(stories=1, score_sum=daily)
            for i in range(1, 31)}  # fmt: skip
    return PairHistory(dyad, PairState(state=state), Tally(stories=2, score_sum=net), days)


def test_movement_is_against_the_pairs_own_baseline() -> None:
    quiet_pair = summarise(history("GR-TR", -12.0), PERIOD, CONFIG)
    assert (quiet_pair.expected, quiet_pair.departure) == (0.0, -2.4)  # spread floored at 5
    noisy_pair = summarise(history("CN-US", -12.0, daily=-10.0), PERIOD, CONFIG)
    assert noisy_pair.expected == -10.0 and noisy_pair.departure == -0.4, "its normal day"
    weekly = summarise(history("GR-TR", -12.0), Period(T0, T0 + timedelta(days=7)), CONFIG)
    assert weekly.departure == round(-12.0 / (5 * 7**0.5), 2), "a week's spread is sqrt(7) days'"


def test_a_period_with_no_alert_and_no_mover_is_quiet() -> None:
    pairs = [summarise(history("GR-TR", -4.0), PERIOD, CONFIG)]  # 0.8 spreads: steady
    digest = build_digest(SUB, PERIOD, pairs=pairs, alerts=[], stories=[], config=CONFIG)
    assert digest.quiet and digest.movers == ()
    alert = make_alert("GR-TR", severity="critical")
    loud = build_digest(SUB, PERIOD, pairs=pairs, alerts=[alert], stories=[], config=CONFIG)
    assert not loud.quiet and loud.alerts[0].sent_at_once, "both mode: critical went at once"


def test_pairs_past_the_cap_are_counted_and_unsettled_ones_come_first() -> None:
    pairs = [summarise(history(f"A{chr(65 + i // 26)}-Z{chr(65 + i % 26)}", 0.0), PERIOD, CONFIG)
             for i in range(MAX_PAIRS + 30)]  # fmt: skip
    pairs[-1] = summarise(history("ZY-ZZ", 0.0, state="escalating"), PERIOD, CONFIG)
    digest = build_digest(SUB, PERIOD, pairs=pairs, alerts=[], stories=[], config=CONFIG)
    assert len(digest.pairs) == MAX_PAIRS and digest.more_pairs == 30
    assert digest.pairs[0].dyad == "ZY-ZZ"


def test_a_story_about_several_pairs_is_one_story_with_all_its_outlets() -> None:
    def ref(article: str, story: str, outlet: str, score: float) -> ArticleRef:
        return ArticleRef(article, f"title {story}", f"https://x.example/{article}", outlet, T0,
                          story, "escalation", score, pairs=("BO-EC", "CL-EC"))  # fmt: skip

    refs = {"BO-EC": [ref("a", "a", "Wire", -4.0), ref("b", "a", "Post", -4.0)],
            "CL-EC": [ref("a", "a", "Wire", -4.0), ref("c", "c", "Daily", -8.0)]}  # fmt: skip
    stories = top_stories(refs)
    assert [(s.title, s.outlets) for s in stories] == [("title c", 1), ("title a", 2)]
