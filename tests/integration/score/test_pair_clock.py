"""A pair's clock is event time, but no article dated in the future can carry it there: the
wall clock plus the sources' skew caps it (sources clamp such dates already; this holds for one
that slipped through, such as an article queued before they did)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tensionwatch.handlers.score import handler, pipeline
from tensionwatch.signals.state import pair_now
from tensionwatch.sources.text import FUTURE_SKEW
from tests.factories import T0, make_article
from tests.integration.score.stack import FakeContext, ScoreStack, sqs_event

HEADLINE = "Japan threatens sanctions on South Korea over seized ships"
FAR_FUTURE = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)


def test_an_article_dated_in_the_future_leaves_the_pair_clock_at_the_wall_clock(
    stack: ScoreStack,
) -> None:
    wall = T0 + timedelta(hours=2)
    scoring = pipeline()
    scoring.clock = wall.timestamp
    future = make_article(HEADLINE, outlet="Pacific Wire", published_at=FAR_FUTURE)
    assert handler(sqs_event([future]), FakeContext()) == {"batchItemFailures": []}
    assert scoring.dyads.state("JP-KR").latest == wall + FUTURE_SKEW
    scoring.clock = (wall + timedelta(days=1)).timestamp  # a day on, news at its own time
    later = make_article(HEADLINE + " again", outlet="Asia Daily", url="https://a.example/2",
                         published_at=wall + timedelta(days=1))  # fmt: skip
    handler(sqs_event([later]), FakeContext())
    assert scoring.dyads.state("JP-KR").latest == wall + timedelta(days=1)


def test_a_clock_carried_into_the_future_before_comes_back() -> None:
    ceiling = T0 + FUTURE_SKEW
    assert pair_now(FAR_FUTURE, T0, ceiling) == ceiling
    assert pair_now(T0, T0 - timedelta(hours=3), ceiling) == T0  # a late article: unchanged
    assert pair_now(None, T0) == T0
