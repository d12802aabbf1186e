"""Which pairs a reading folds into: every pair it names, none when off-topic, at most six."""

from __future__ import annotations

from tensionwatch.models import Relevance
from tensionwatch.signals.pairs import MAX_PAIRS_PER_ARTICLE, fold_plan, pair_readings
from tests.factories import make_off_topic, make_pair, make_score


def cut_ties(*dyads: str) -> list:  # type: ignore[type-arg]
    return [make_pair(d, -9.0, grave=True, share=round(1 / len(dyads), 3)) for d in dyads]


def test_every_pair_folds_with_its_own_reading() -> None:
    pairs = (make_pair("BO-EC", -9.0, grave=True), make_pair("CL-PE", 4.0, share=0.2))
    plan = fold_plan(make_score("BO-EC", -9.0, pairs=pairs))
    assert plan.pairs == pairs and plan.dyads == ("BO-EC", "CL-PE")
    assert (plan.dropped, plan.off_topic) == (0, False)
    assert [(p.direction, p.grave) for p in plan.pairs] == [("escalation", True), ("thaw", False)]


def test_an_off_topic_reading_folds_nothing_even_with_a_stray_dyad() -> None:
    plan = fold_plan(make_off_topic("sports", "qualifier", "goalless", dyad="AR-BR"))
    assert (plan.pairs, plan.dropped, plan.off_topic) == ((), 0, True)


def test_an_off_topic_reading_with_pairs_folds_nothing() -> None:
    score = make_score("AR-BR", -9.8, relevance=Relevance(topic="sports", on_topic=False))
    assert pair_readings(score) == ()


def test_a_reading_from_before_pairs_folds_into_its_dyad() -> None:
    score = make_score("JP-KR", -7.5, grave=True, pairs=())
    [only] = fold_plan(score).pairs
    assert (only.dyad, only.direction, only.score, only.share, only.grave) == (
        "JP-KR", "escalation", -7.5, 1.0, True,
    )  # fmt: skip


def test_a_reading_without_a_pair_folds_nothing() -> None:
    assert fold_plan(make_score(None, 0.0)).pairs == ()


def test_pairs_beyond_the_limit_are_dropped_and_counted() -> None:
    dyads = [f"AA-{chr(ord('B') + i)}{chr(ord('B') + i)}" for i in range(9)]
    plan = fold_plan(make_score(dyads[0], -9.0, pairs=tuple(cut_ties(*dyads))))
    assert MAX_PAIRS_PER_ARTICLE == 6
    assert plan.dyads == tuple(dyads[:6]) and plan.dropped == 3


def test_a_pair_named_twice_folds_once_with_its_strongest_reading() -> None:
    pairs = (make_pair("GR-TR", -8.0), make_pair("CY-TR", -5.0), make_pair("GR-TR", -2.0))
    plan = fold_plan(make_score("GR-TR", -8.0, pairs=pairs))
    assert [(p.dyad, p.score) for p in plan.pairs] == [("GR-TR", -8.0), ("CY-TR", -5.0)]
