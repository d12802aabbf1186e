"""Poll throughput under moto: normalise + dedup + syndication + enqueue, and AWS calls per article.

Feeds the real PollPipeline from a fake source that normalises raw NewsAPI-shaped entries, over
several polls whose windows overlap (as real polls do), with syndicated copies among the new
articles. Counts every AWS call through a botocore `before-parameter-build` hook (it sees the API
parameters, so write units can be counted too).

    .venv/bin/python scripts/bench_poll.py                    # 5 polls x 400 entries
    .venv/bin/python scripts/bench_poll.py --polls 3 --per-poll 100
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import moto

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project root, for tests/

from tests.reliability import capacity
from tests.reliability.moto_speed import cheap_transaction_rollback

from tensionwatch.pipeline.poll import PollEvent, PollPipeline
from tensionwatch.pipeline.poll_report import PollReport
from tensionwatch.sources.base import Cursor, Fetched, SourcePolicy, add_entry
from tensionwatch.sources.pacer import Pacer
from tensionwatch.store.articles import ArticleStore
from tensionwatch.store.cursors import CursorStore
from tensionwatch.store.queue import ScoreQueue
from tensionwatch.store.source_states import SourceStateStore

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
WORDS = [
    "talks",
    "tariffs",
    "sanctions",
    "envoy",
    "border",
    "ceasefire",
    "summit",
    "minister",
    "trade",
    "deal",
    "troops",
    "navy",
    "drills",
    "embassy",
    "protest",
    "pipeline",
    "grain",
    "steel",
    "visa",
    "quota",
    "treaty",
    "accord",
    "dispute",
    "islands",
    "airspace",
    "exports",
    "imports",
    "election",
    "coalition",
    "parliament",
    "strike",
    "drone",
    "missile",
    "aid",
    "loan",
]
WRITE_CALL_BUDGET = 1.0  # issue 3 acceptance: <= 1 DynamoDB write per new article
SQS_CALL_BUDGET = 0.15  # issue 3 acceptance: <= 0.15 SQS calls per article


class CallCounter:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.write_units = 0.0  # by the requests' sizes (tests/reliability/capacity.py)
        self.in_aws = 0.0  # seconds inside AWS calls, i.e. inside moto's emulation
        self._started = 0.0

    def before(self, **_: Any) -> None:
        self._started = time.perf_counter()

    def after(self, **_: Any) -> None:
        self.in_aws += time.perf_counter() - self._started

    def __call__(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        self.calls[model.name] += 1
        self.write_units += capacity.units(model.name, params, None)[1]


class RawSource:
    """Raw NewsAPI-shaped entries, normalised by the same code the adapters use."""

    name = "bench"
    policy = SourcePolicy()

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.pacer = Pacer(0)

    def query_ids(self) -> list[str]:
        return ["q"]

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        fetched = Fetched(Cursor(self.name, query_id, since=now))
        for raw in self.entries:
            add_entry(fetched, url=raw["url"], title=raw["title"], now=now,
                      published_at=datetime.fromisoformat(raw["publishedAt"]),
                      outlet=raw["source"]["name"], summary=raw["description"],
                      body=raw["content"])  # fmt: skip
        return fetched


class NullMetrics:
    def totals(self, report: PollReport) -> None: ...
    def source_failure(self, source: str, reason: str) -> None: ...
    def latency(self, source: str, millis: float) -> None: ...
    def source_health(self, source: str, unhealthy: bool) -> None: ...


def _story(rng: random.Random, n: int, when: datetime) -> list[dict[str, Any]]:
    """One story as 1-3 outlets' copies (most stories have a single copy)."""
    title = " ".join(rng.choices(WORDS, k=9)) + f" {n}"
    lead = " ".join(rng.choices(WORDS, k=30)) + f" ref{n}"
    copies = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
    return [
        {"source": {"name": f"Outlet {c}"}, "title": title + ("" if c == 0 else f" - Outlet {c}"),
         "description": f"<p>{lead}</p>", "content": lead + " [+1200 chars]",
         "url": f"https://www.outlet{c}.example/{n}/{c}?utm_source=rss",
         "publishedAt": (when + timedelta(seconds=c)).isoformat()}
        for c in range(copies)
    ]  # fmt: skip


def run(polls: int, per_poll: int, overlap: float, seed: int) -> tuple[float, float]:
    """Run the polls and print the numbers; returns (DynamoDB write calls, SQS calls) per new
    article."""
    rng = random.Random(seed)
    with moto.mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        sqs = boto3.client("sqs", region_name="us-east-1")
        for table in ("Articles", "Cursors"):
            dynamodb.create_table(
                TableName=table, BillingMode="PAY_PER_REQUEST",
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                           {"AttributeName": "sk", "KeyType": "RANGE"}],
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                      {"AttributeName": "sk", "AttributeType": "S"}],
            )  # fmt: skip
        queue_url = sqs.create_queue(QueueName="ScoreQueue")["QueueUrl"]
        consumer = boto3.client("sqs", region_name="us-east-1")  # uncounted: the scorer's side
        counter = CallCounter()
        for client in (dynamodb, sqs):
            client.meta.events.register("before-parameter-build.*.*", counter)
            client.meta.events.register("before-call.*.*", counter.before)
            client.meta.events.register("after-call.*.*", counter.after)
        source = RawSource()
        pipeline = PollPipeline(
            {"bench": source},
            articles=ArticleStore("Articles", dynamodb),
            cursors=CursorStore("Cursors", dynamodb),
            states=SourceStateStore("Cursors", dynamodb),
            queue=ScoreQueue(queue_url, sqs),
            metrics=NullMetrics(),
        )
        total = PollReport()
        seconds = 0.0
        story = 0
        previous: list[dict[str, Any]] = []
        for poll in range(polls):
            when = START + timedelta(minutes=5 * poll)
            carried = previous[: int(len(previous) * overlap)]
            fresh: list[dict[str, Any]] = []
            while len(carried) + len(fresh) < per_poll:
                fresh.extend(_story(rng, story, when))
                story += 1
            source.entries = carried + fresh
            started = time.perf_counter()
            report = pipeline.run(PollEvent(scheduled_time=when))
            seconds += time.perf_counter() - started
            # The scorer drains the queue between polls; an ever-growing moto queue would
            # measure moto's per-send scan of every message instead. (PurgeQueue is limited
            # to once a minute, so the queue is recreated under the same URL.)
            consumer.delete_queue(QueueUrl=queue_url)
            consumer.create_queue(QueueName="ScoreQueue")
            previous = fresh
            for name in ("fetched", "queued", "duplicates", "syndicated"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
        return _print(polls, total, seconds, counter)


def _print(
    polls: int, total: PollReport, seconds: float, counter: CallCounter
) -> tuple[float, float]:
    writes = ("TransactWriteItems", "BatchWriteItem", "PutItem", "UpdateItem", "DeleteItem")
    dynamo_writes = sum(counter.calls[op] for op in writes)
    dynamo_reads = sum(counter.calls[op] for op in ("BatchGetItem", "GetItem", "Query"))
    sqs_calls = counter.calls["SendMessageBatch"]
    new = max(1, total.queued)
    print(f"polls={polls} fetched={total.fetched} new={total.queued} "
          f"duplicates={total.duplicates} syndicated={total.syndicated}")  # fmt: skip
    print(f"throughput: {total.fetched / seconds:.0f} articles/s fetched through normalise + "
          f"dedup + syndication + enqueue ({seconds:.2f} s under moto)")  # fmt: skip
    own = seconds - counter.in_aws
    print(f"  of which {counter.in_aws:.2f} s inside moto; the poll's own code: "
          f"{total.fetched / own:.0f} articles/s ({own:.2f} s)")  # fmt: skip
    print(f"DynamoDB write calls per new article: {dynamo_writes / new:.3f}  "
          f"(write units per new article: {counter.write_units / new:.2f})")  # fmt: skip
    print(f"DynamoDB read calls per fetched article: {dynamo_reads / max(1, total.fetched):.3f}")
    print(f"SQS calls per new article: {sqs_calls / new:.3f}")
    print("calls by operation: " + ", ".join(f"{k}={v}" for k, v in sorted(counter.calls.items())))
    return dynamo_writes / new, sqs_calls / new


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polls", type=int, default=5)
    parser.add_argument("--per-poll", type=int, default=400)
    parser.add_argument("--overlap", type=float, default=0.3, help="share re-fetched next poll")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--moto-as-is",
        action="store_true",
        help="keep moto's whole-table copies per transaction action (slow)",
    )
    args = parser.parse_args(argv)
    print(
        "moto transaction backups: "
        + ("whole tables per action (as shipped)" if args.moto_as_is else "touched items (patched)")
    )
    # moto's per-action table copies measure moto, not the poll (tests/reliability/moto_speed.py)
    patched: AbstractContextManager[None] = (
        nullcontext() if args.moto_as_is else cheap_transaction_rollback()
    )
    with patched:
        writes, sqs_calls = run(args.polls, args.per_poll, args.overlap, args.seed)
    within = writes <= WRITE_CALL_BUDGET and sqs_calls <= SQS_CALL_BUDGET
    print(f"budget (<= {WRITE_CALL_BUDGET} DynamoDB write call, <= {SQS_CALL_BUDGET} SQS calls "
          f"per new article): {'met' if within else 'EXCEEDED'}")  # fmt: skip
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
