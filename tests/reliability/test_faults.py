"""Faults injected while the load runs through the offline stack: DynamoDB throttling in the poll
and score paths, SNS publishes whose ack is lost, a score Lambda that crashes right after its
fold transaction committed, one news source down throughout. The books must still balance:
nothing lost, nothing scored, published or delivered twice; failures show in the metrics."""

from __future__ import annotations

import moto

from tests.reliability.load import Faults, run_load

SIZE = 80  # small: every fault retries, and moto costs ~15 ms a call
POLL, SCORE = "PollFunction", "ScoreFunction"


def test_throttling_lost_acks_and_crashes_after_commit_lose_and_double_nothing() -> None:
    faults = Faults(
        before=frozenset(
            {
                (POLL, "dynamodb.BatchGetItem"),
                (POLL, "dynamodb.TransactWriteItems"),
                (SCORE, "dynamodb.Query"),
                (SCORE, "dynamodb.TransactWriteItems"),
                (SCORE, "sns.Publish"),
            }
        ),
        after=frozenset({(SCORE, "sns.Publish"), (SCORE, "dynamodb.UpdateItem")}),
        rate=0.08,
    )
    with moto.mock_aws():
        books = run_load(SIZE, faults=faults)
    assert books.problems() == []
    kinds = {key.split()[0] for key in faults.injected}
    assert kinds == {"before", "after"}, faults.injected
    assert books.score_failures > 0, "injected score faults must fail records (then retry)"
    assert any(where != "northstar-daily/feed" for where in books.source_failures)
    assert books.abandoned() > 0, "a throttled hand-off re-reads its items on the next poll"
    assert books.metrics["SourceFailures"] == sum(books.source_failures.values())
