"""Faults injected while the load runs through the offline stack: DynamoDB throttling in the poll
and score paths, SNS publishes whose ack is lost, a score Lambda that crashes right after its
fold transaction committed, conditional writes whose answer is lost and retried, one news source
down throughout. The books must still balance: nothing lost, nothing scored, published or
delivered twice; every failure shows in the metrics and in the logs with its reason."""

from __future__ import annotations

import moto

from tests.reliability.load import Accounting, Faults, run_load

SIZE = 80  # small: every fault retries, and moto costs ~15 ms a call
SMALL = 60  # fires alerts both ways and retries a few of their claims (40 fired two)
POLL, SCORE = "PollFunction", "ScoreFunction"
RECORD_FAILED = "Record processing exception; skipping this record"  # the BatchProcessor's line
SOURCE_FAILED = "source failed; its cursor stays"


def _logged(books: Accounting, message: str) -> list[str]:
    return [line.reason for line in books.logs if line.message == message]


def test_throttling_lost_acks_and_crashes_after_commit_lose_and_double_nothing() -> None:
    faults = Faults(
        before=frozenset(
            {
                # the band slots' read before a hand-off and their put after its send
                (POLL, "dynamodb.Query Articles"),
                (POLL, "dynamodb.PutItem Articles"),
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
    # Each failure is in the logs too, with its reason: every failed score record (the
    # injected throttling named), every failed source, every rejected entry.
    failed_records = _logged(books, RECORD_FAILED)
    assert len(failed_records) == books.score_failures
    assert any("ProvisionedThroughputExceededException" in r for r in failed_records)
    sources = _logged(books, SOURCE_FAILED)
    assert len(sources) == sum(books.source_failures.values())
    assert {"server_error", "unexpected"} <= set(sources)  # northstar's 503; a throttled hand-off
    assert _logged(books, "entry rejected") == ["no usable link"] * books.total("rejected")


def test_writes_that_commit_then_meet_their_own_condition_lose_and_double_nothing() -> None:
    """DynamoDB conditional-check failures caused by the product's own committed write: the
    score function's UpdateItems (an article's bucket folds, publish claims, marks, pending
    clears) commit, lose their answer and are sent again by the SDK, whose retry is refused by
    the guard it wrote itself; its transactions (a pair's state with its alerts) commit and
    then the Lambda dies, so SQS redelivers the record and the retry is refused by the version
    it wrote itself. (A crash after a bucket's update: the test above.) The product must read
    each as done (or its own), never as another run's work to wait for."""
    faults = Faults(
        again=frozenset({(SCORE, "dynamodb.UpdateItem")}),
        after=frozenset({(SCORE, "dynamodb.TransactWriteItems")}),
        rate=0.3,
    )
    with moto.mock_aws():
        books = run_load(SMALL, faults=faults)
    assert books.problems() == []
    assert {key.split()[0] for key in faults.injected} == {"again", "after"}, faults.injected
    refused = (SCORE, "dynamodb.UpdateItem", "ConditionalCheckFailedException")
    assert books.errors[refused] > 0
    assert books.metrics["ArticlesRedelivered"] > 0  # the retry found its own folds: done
    # Every alert recorded was published once, retried claims included (the ledger check in
    # problems() failed here before claims named their holder).
    assert books.ledger["published"] == len(books.published) > 0
    assert len(_logged(books, RECORD_FAILED)) == books.score_failures > 0
