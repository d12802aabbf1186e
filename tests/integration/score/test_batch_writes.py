"""The score function takes an SQS batch whole: each pair's state and buckets are read once,
its articles folded and decided in order in memory, then written once (store.dyad_batch).
What that costs, what a concurrent writer or a failing pair does to it."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tensionwatch.handlers.score import handler, pipeline
from tensionwatch.models import Article
from tensionwatch.pipeline.score import ScorePipeline
from tensionwatch.signals.pairs import fold_plan
from tensionwatch.signals.storage import Commit
from tensionwatch.signals.windows import Tally
from tensionwatch.store.dyad_batch import PairBatch
from tensionwatch.store.dyad_items import (
    citations_in,
    day_sk,
    hour_sk,
    key,
    pair_pk,
    stored_tally,
    tally_of,
    tally_update,
)
from tensionwatch.store.dyads import DyadStore
from tests.factories import T0
from tests.integration.score.stack import FakeContext, ScoreStack, sqs_event
from tests.integration.score.test_concurrency import RecordingMetrics
from tests.integration.score.test_score_handler import ESCALATION, china_japan, stories


def dyads_calls(p: ScorePipeline) -> list[tuple[str, dict[str, Any]]]:
    """Every DynamoDB request the pipeline's client makes from here on: (operation, params)."""
    calls: list[tuple[str, dict[str, Any]]] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        calls.append((model.name, params))

    p.dyads.client.meta.events.register("provide-client-params.dynamodb.*", record)
    return calls


def sort_key(params: dict[str, Any]) -> str:
    return str(params.get("Key", params.get("Item", {})).get("sk", {}).get("S", ""))


def bucket_low(params: dict[str, Any]) -> str:
    return str(params["ExpressionAttributeValues"][":low"]["S"])


def is_bucket(sk: str) -> bool:
    return sk.startswith(("H#", "D#"))


def test_a_pairs_articles_of_a_batch_read_its_state_once_and_write_each_bucket_once(
    stack: ScoreStack,
) -> None:
    articles = stories(ESCALATION)  # four stories of JP-KR, 20 minutes apart
    calls = dyads_calls(pipeline())
    assert handler(sqs_event(articles), FakeContext()) == {"batchItemFailures": []}
    buckets_read = [p for op, p in calls if op == "Query" and is_bucket(bucket_low(p))]
    writes = ("UpdateItem", "PutItem")  # the hours updated (the day rides on the state)
    buckets_written = Counter(sort_key(p) for op, p in calls
                              if op in writes and is_bucket(sort_key(p)))  # fmt: skip
    state_reads = [p for op, p in calls if op == "GetItem" and sort_key(p) == "STATE"]
    state_writes = [
        (op, p)
        for op, p in calls
        if op == "TransactWriteItems"
        or (op == "UpdateItem" and "version" in p.get("UpdateExpression", ""))
    ]
    buckets = {hour_sk(a.published_at) for a in articles}
    assert len(state_reads) == 1
    assert len(buckets_read) == 2  # the hours and the days a decision reads, once
    assert buckets_written == dict.fromkeys(buckets, 1)  # each bucket once, not once an article
    [(op, write)] = state_writes
    assert op == "TransactWriteItems"  # the state with the alert it fired, and the day's sum
    [state_update] = [a["Update"] for a in write["TransactItems"] if "Update" in a]
    open_day = state_update["ExpressionAttributeValues"][":open_day"]["M"]
    assert (open_day["on"]["S"], open_day["articles"]["N"]) == (T0.date().isoformat(), "4")
    [received] = stack.received(stack.all_url)
    assert received.alert.state_after == "escalating"
    signal = pipeline().dyads.get("JP-KR")
    assert signal is not None and signal.windows[0].stories == 4


def test_a_bucket_folded_in_memory_holds_what_the_table_gives_back(stack: ScoreStack) -> None:
    """The batch's decisions read its folds as `stored_tally`: the table's numbers exactly
    (scores to 3 decimals, outlets as digests)."""
    client = boto3.client("dynamodb", region_name="us-east-1")
    tally = Tally(articles=1, stories=1, score_sum=-2.34567, escalation_stories=1,
                  outlets=frozenset({"Wire", "Daily"}),
                  escalation_outlets=frozenset({"Wire"}))  # fmt: skip
    expression, values = tally_update(tally)
    client.update_item(TableName="DyadsTable", Key=key(pair_pk("JP-KR"), hour_sk(T0)),
                       UpdateExpression=expression, ExpressionAttributeValues=values)  # fmt: skip
    item = client.get_item(TableName="DyadsTable", Key=key(pair_pk("JP-KR"), hour_sk(T0)))
    assert tally_of(item["Item"]) == stored_tally(tally)


class RacingStore:
    """A DyadStore whose first call of `method` lets another batch run: after the call for a
    read (what it read is stale), before it for a write (it meets what the other wrote)."""

    def __init__(self, inner: DyadStore, method: str, meanwhile: Any) -> None:
        self.inner, self.method, self.meanwhile = inner, method, meanwhile

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.inner, name)
        if name != self.method or self.meanwhile is None:
            return found
        run, self.meanwhile = self.meanwhile, None

        def racing(*args: Any, **kwargs: Any) -> Any:
            if name == "state_read":
                answer = found(*args, **kwargs)
                run()
                return answer
            run()
            return found(*args, **kwargs)

        return racing


def records(articles: list[Article]) -> list[tuple[str, Article]]:
    return [(f"m{i}", a) for i, a in enumerate(articles)]


@pytest.mark.parametrize(
    "method",
    ["state_read", "update_new"],
    ids=["before its state read", "before its bucket writes"],
)
def test_a_batch_racing_another_over_the_same_articles_folds_each_once(
    stack: ScoreStack, method: str
) -> None:
    """Another batch folds two of the same articles (two polls queued them both) as this one
    reads the pair, or as it writes its buckets: then its bucket updates are refused and
    folded one by one (each once). Either way its state write finds the pair moved: the pair
    is read again and its articles decided again."""
    p = replace(pipeline(), metrics=RecordingMetrics())  # called here, not by the handler
    articles = stories(ESCALATION)
    store = RacingStore(p.dyads, method, lambda: p.handle_batch(records(articles[:2])))  # type: ignore[arg-type]
    first = replace(p, metrics=RecordingMetrics(),
                    batch=lambda: PairBatch(store, p.alerts))  # type: ignore[arg-type]  # fmt: skip
    assert first.handle_batch(records(articles)) == []
    assert first.metrics.counts["StateConflicts"] == 1  # type: ignore[attr-defined]
    signal = p.dyads.get("JP-KR")
    assert signal is not None
    assert (signal.windows[0].stories, signal.windows[0].articles) == (4, 4)
    assert [r.alert.state_after for r in stack.received(stack.all_url)] == ["escalating"]


class FailingStateWrites:
    """A DyadStore whose state writes for one pair are throttled."""

    def __init__(self, inner: DyadStore, dyad: str) -> None:
        self.inner, self.dyad = inner, dyad

    def write_state(self, dyad: str, *args: Any, **kwargs: Any) -> Any:
        if dyad == self.dyad:
            error = {"Error": {"Code": "ThrottlingException", "Message": "slow down"}}
            raise ClientError(error, "TransactWriteItems")  # type: ignore[arg-type]
        return self.inner.write_state(dyad, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_pair_whose_write_fails_fails_its_records_alone_and_its_retry_folds_once(
    stack: ScoreStack,
) -> None:
    p = replace(pipeline(), metrics=RecordingMetrics())  # called here, not by the handler
    jp_kr, cn_jp = stories(ESCALATION), china_japan()
    batch = records([*jp_kr, *cn_jp])
    store = FailingStateWrites(p.dyads, "JP-KR")  # type: ignore[arg-type]
    failing = replace(p, batch=lambda: PairBatch(store, p.alerts))  # type: ignore[arg-type]
    assert failing.handle_batch(batch) == [record for record, _ in batch[: len(jp_kr)]]
    assert [r.alert.dyad for r in stack.received(stack.all_url)] == ["CN-JP"]
    assert p.dyads.get("JP-KR") is None  # its buckets are written, its state is not
    assert p.handle_batch(batch) == []  # the whole batch again: SQS's retry
    assert [r.alert.dyad for r in stack.received(stack.all_url)] == ["JP-KR"]
    for dyad, count in (("JP-KR", len(jp_kr)), ("CN-JP", len(cn_jp))):
        signal = p.dyads.get(dyad)
        assert signal is not None and signal.windows[0].articles == count


def test_a_pairs_citations_of_an_hour_are_one_item_read_with_the_single_ones_once(
    stack: ScoreStack,
) -> None:
    """A batch writes a pair's citations of an hour as one item; one record at a time writes
    one item each. Read together, each citation comes once, in key order."""
    p = replace(pipeline(), metrics=RecordingMetrics())
    first, second, third = stories(ESCALATION)[:3]  # minutes 0, 20, 40 of one hour
    p.handle(first)  # its own item
    calls = dyads_calls(p)
    assert p.handle_batch(records([first, second, third])) == []  # first again: a redelivery
    cited = [params["Item"] for op, params in calls
             if op == "PutItem" and sort_key(params).startswith("A#")]  # fmt: skip
    assert len(cited) == 1
    assert len(citations_in(cited, T0, T0 + timedelta(hours=1))) == 3
    refs = p.dyads.articles("JP-KR", T0, T0 + timedelta(hours=1))
    assert [ref.id for ref in refs] == [first.id, second.id, third.id]
    assert p.dyads.articles("JP-KR", second.published_at, third.published_at) == refs[1:]


def test_two_batches_folding_one_day_at_once_leave_it_the_sum_of_both(stack: ScoreStack) -> None:
    """A day bucket is put as the sum of its hours on the condition that it is as the batch
    read it: the batch that writes second finds it moved and sums it as the table holds it,
    both batches' folds, with no reading of the pair again."""
    p = replace(pipeline(), metrics=RecordingMetrics())
    first, second = stories(ESCALATION)[:2]  # minutes 0 and 20 of one hour, one day
    slow, quick = PairBatch(p.dyads, p.alerts), PairBatch(p.dyads, p.alerts)
    for batch, article in ((slow, first), (quick, second)):
        score = p.scorer(article)
        batch.fold(article, score, fold_plan(score))
    assert quick.write("JP-KR")[0] is Commit.DONE
    assert slow.write("JP-KR")[0] is Commit.DONE
    assert day_total(p.dyads).articles == 2
    assert day_total(p.dyads) == p.dyads.day_hours("JP-KR", T0.date())[0]  # the hour's sum


class FoldsBetweenReads(DyadStore):
    """A store that, once, lets another run fold `other` (its hour, then its day) right after
    this batch reads the pair's hours."""

    def __init__(self, inner: DyadStore, pipeline: ScorePipeline, other: Article) -> None:
        self.__dict__.update(inner.__dict__)
        self.pipeline, self.other = pipeline, other

    def buckets(self, dyad: str, low: str, high: str) -> list[dict[str, Any]]:
        found = super().buckets(dyad, low, high)
        if low.startswith("H#") and self.other is not None:
            other, self.other = self.other, None
            score = self.pipeline.scorer(other)
            batch = PairBatch(self.pipeline.dyads, self.pipeline.alerts)
            batch.fold(other, score, fold_plan(score))
            assert batch.write(dyad)[0] is Commit.DONE
        return found


def test_a_run_that_writes_the_day_after_a_batchs_reads_leaves_no_fold_out(
    stack: ScoreStack,
) -> None:
    """The batch reads a day's bucket before its hours: another run's fold written after them
    makes the day's count it read stale, so its put is refused and the day is summed again
    from the table. (Read after the hours, the count would match, and the put would leave
    that fold out of the day for good.)"""
    p = replace(pipeline(), metrics=RecordingMetrics())
    first, second = stories(ESCALATION)[:2]
    racing = FoldsBetweenReads(p.dyads, p, second)
    batch = PairBatch(racing, p.alerts)
    score = p.scorer(first)
    batch.fold(first, score, fold_plan(score))
    assert batch.write("JP-KR")[0] is Commit.DONE
    assert day_total(p.dyads).articles == 2
    assert day_total(p.dyads) == p.dyads.day_hours("JP-KR", T0.date())[0]


def day_total(dyads: DyadStore) -> Tally:
    [item] = dyads.buckets("JP-KR", day_sk(T0.date()), day_sk(T0.date()))
    return tally_of(item)
