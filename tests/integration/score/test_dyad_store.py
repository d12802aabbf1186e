"""DyadStore details under moto: transaction conflicts, the copy's story reading, signals."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError

from tensionwatch.store.dyads import DyadStore
from tests.factories import T0, make_article, make_score
from tests.integration.score.stack import ScoreStack


class ConflictingClient:
    """A DynamoDB client whose first `conflicts` transactions are cancelled by another
    transaction (what concurrent ADDs to one bucket cause; moto never does)."""

    def __init__(self, inner: Any, conflicts: int) -> None:
        self.inner, self.conflicts = inner, conflicts

    def transact_write_items(self, **request: Any) -> Any:
        if self.conflicts:
            self.conflicts -= 1
            reasons = [{"Code": "TransactionConflict"} for _ in request["TransactItems"]]
            raise ClientError(
                {"Error": {"Code": "TransactionCanceledException"}, "CancellationReasons": reasons},
                "TransactWriteItems",
            )
        return self.inner.transact_write_items(**request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def store(conflicts: int = 0) -> tuple[DyadStore, list[float]]:
    slept: list[float] = []
    client = ConflictingClient(boto3.client("dynamodb", region_name="us-east-1"), conflicts)
    return DyadStore("DyadsTable", client=client, sleep=slept.append), slept  # type: ignore[arg-type]


def test_fold_retries_a_transaction_conflict(stack: ScoreStack) -> None:
    dyads, slept = store(conflicts=2)
    assert dyads.fold(make_article(), make_score("JP-KR", 6.0)) is True
    assert len(slept) == 2 and slept[1] > slept[0]
    signal = dyads.get("JP-KR")
    assert signal is None  # folded, but no state written yet: the pipeline decides next
    assert dyads.snapshot("JP-KR", T0).window.tally.stories == 1


def test_refolding_the_same_article_is_refused(stack: ScoreStack) -> None:
    dyads, _ = store()
    article = make_article()
    assert dyads.fold(article, make_score("JP-KR", 6.0)) is True
    assert dyads.fold(article, make_score("JP-KR", 6.0)) is False
    assert dyads.snapshot("JP-KR", T0).window.tally.articles == 1


def test_story_reading_serves_its_copies_and_counts_their_outlets(stack: ScoreStack) -> None:
    dyads, _ = store()
    story = make_article(outlet="Wire")
    dyads.fold(story, make_score("JP-KR", 7.5))
    reading = dyads.reading(story.id)
    assert reading is not None and (reading.dyad, reading.direction, reading.score) == (
        "JP-KR",
        "thaw",
        7.5,
    )
    copy = make_article(url="https://b.example.com/1", outlet="Paper B", story_id=story.id)
    assert dyads.fold_copy(copy, reading) is True
    tally = dyads.snapshot("JP-KR", T0).window.tally
    assert (tally.articles, tally.stories, tally.score_sum) == (2, 1, 7.5)
    assert tally.outlets == {"Wire", "Paper B"} and tally.thaw_outlets == {"Wire"}
    refs = dyads.articles("JP-KR", T0, T0)
    assert sorted(r.outlet for r in refs) == ["Paper B", "Wire"]
    assert next(r for r in refs if r.outlet == "Wire").evidence[0].phrase == "mend ties"


def test_article_without_a_pair_is_marked_but_folds_nothing(stack: ScoreStack) -> None:
    dyads, _ = store()
    article = make_article("Markets rally on rate hopes")
    assert dyads.fold(article, make_score(None, 0.0)) is True
    reading = dyads.reading(article.id)
    assert reading is not None and reading.dyad is None
    assert dyads.fold(article, make_score(None, 0.0)) is False
