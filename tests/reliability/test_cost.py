"""The load run's bill: each line at its documented price, Lambda from compute and calls."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.reliability.cost import IDLE_RECEIVE, bill, lambda_seconds, prices


def test_a_million_units_cost_the_documented_prices() -> None:
    units = Counter({("ScoreFunction", "WRU"): 1_000_000, ("PollFunction", "RRU"): 2_000_000})
    got = bill(units, Counter(), Counter(), {}, {})
    assert got.dynamodb == pytest.approx(0.625 + 2 * 0.125)
    assert got.total == pytest.approx(got.dynamodb)


def test_queue_and_topic_requests_are_charged_per_call() -> None:
    calls = Counter({("runner", "sqs.ReceiveMessage"): 500_000,
                     ("PollFunction", "sqs.SendMessageBatch"): 500_000,
                     ("ScoreFunction", "sns.Publish"): 2_000_000})  # fmt: skip
    got = bill(Counter(), calls, Counter(), {}, {})
    assert (got.sqs, got.sns) == (pytest.approx(0.40), pytest.approx(1.0))


def test_receives_that_find_the_queue_empty_are_the_idle_polls_not_an_articles() -> None:
    busy = Counter({("runner", "sqs.ReceiveMessage"): 1_000_000})
    idle = busy + Counter({("runner", IDLE_RECEIVE): 3_000_000})
    assert bill(Counter(), idle, Counter(), {}, {}).sqs == pytest.approx(0.40)


def test_lambda_waits_on_its_calls_and_computes_at_its_memory_share() -> None:
    calls = Counter({("ScoreFunction", "dynamodb.GetItem"): 100,
                     ("ScoreFunction", "dynamodb.TransactWriteItems"): 10,
                     ("PollFunction", "dynamodb.GetItem"): 1_000})  # fmt: skip
    price = prices()
    waiting = (100 * 6 + 10 * 12) / 1000
    assert lambda_seconds("ScoreFunction", 1769, calls, 2.0, price) == pytest.approx(2 + waiting)
    # Half the memory, half the vCPU: compute takes twice as long, waiting does not change.
    assert lambda_seconds("ScoreFunction", 884.5, calls, 2.0, price) == pytest.approx(4 + waiting)


def test_the_bill_is_linear_in_what_was_counted() -> None:
    units = Counter({("ScoreFunction", "WRU"): 300, ("ScoreFunction", "RRU"): 90})
    calls = Counter({("ScoreFunction", "dynamodb.Query"): 40, ("runner", "sqs.ReceiveMessage"): 7})
    one = bill(units, calls, Counter({"ScoreFunction": 5}), {"ScoreFunction": 0.3},
               {"ScoreFunction": 512})  # fmt: skip
    double = Counter({k: 2 * v for k, v in units.items()})
    calls2 = Counter({k: 2 * v for k, v in calls.items()})
    two = bill(double, calls2, Counter({"ScoreFunction": 10}), {"ScoreFunction": 0.6},
               {"ScoreFunction": 512})  # fmt: skip
    assert two.total == pytest.approx(2 * one.total)
    assert one.lambda_ > 0
