"""An archive through the production path, in moto: the poll's claims in the ArticlesTable
(`plan_claims`, `ArticleStore`), then the score function's handler on SQS events of the
template's batch size, publishing to the AlertsTopic, with DynamoDB's TTL emulated at event
time (moto never expires anything; DynamoDB does, and a replay over weeks meets it). The alerts
are read off a queue subscribed to the topic with raw delivery: what a subscriber receives.

TTL: before each poll's batch, every item whose `expires_at` has passed by the batch's newest
article is deleted, as if DynamoDB's TTL were prompt; the items that matter are the ones a
later poll reads: seen-records and band items (30 days after the claim). A band item a later
story took over keeps its new expiry (the delete is conditional)."""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Iterable, Iterator
from contextlib import suppress
from datetime import datetime
from typing import Any

import boto3
import pytest

from tensionwatch.backtest.replay import closes_batch
from tensionwatch.config import score_settings
from tensionwatch.handlers import score
from tensionwatch.models import Alert, Article
from tensionwatch.sources.stories import plan_claims
from tensionwatch.store.articles import ArticleStore
from tests.integration.score.stack import (
    TABLES,
    FakeContext,
    score_batch_size,
    score_stack,
    sqs_event,
)
from tests.integration.sources.aws import create_table

SCORE_BATCH = score_batch_size()  # the batches the ScoreFunction is handed
SEEN_TTL = 30 * 86_400  # ArticleStore's default, PollSettings.SEEN_TTL_DAYS


class Expiry:
    """The items that will expire, soonest first, deleted once their time has passed."""

    def __init__(self, dynamodb: Any) -> None:
        self._dynamodb = dynamodb
        self._due: list[tuple[float, str, str, str]] = []  # (expires, table, pk, sk)

    def add(self, expires: float, table: str, pk: str, sk: str) -> None:
        heapq.heappush(self._due, (expires, table, pk, sk))

    def run(self, now: datetime) -> None:
        stamp = now.timestamp()
        while self._due and self._due[0][0] < stamp:
            _, table, pk, sk = heapq.heappop(self._due)
            # A band a newer story took since has its expiry: the delete leaves it.
            with suppress(self._dynamodb.exceptions.ConditionalCheckFailedException):
                self._dynamodb.delete_item(
                    TableName=table, Key={"pk": {"S": pk}, "sk": {"S": sk}},
                    ConditionExpression="expires_at < :now",
                    ExpressionAttributeValues={":now": {"N": str(stamp)}},
                )  # fmt: skip


def production_alerts(articles: Iterable[Article], monkeypatch: pytest.MonkeyPatch) -> list[Alert]:
    """The alerts the production path publishes for `articles`; every record is handled, none
    fails (call inside mock_aws)."""
    stack = score_stack()
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    create_table(dynamodb, "ArticlesTable")
    for variable, table in TABLES.items():
        monkeypatch.setenv(variable, table)
    monkeypatch.setenv("ALERTS_TOPIC_ARN", stack.topic_arn)
    score_settings.cache_clear()
    score.pipeline.cache_clear()
    seen = ArticleStore("ArticlesTable", dynamodb)
    expiry = Expiry(dynamodb)
    for batch in polls(articles):
        now = max(a.published_at for a in batch)
        expiry.run(now)
        plan = plan_claims(batch, seen, stale_before=0.0)
        claimed = seen.claim(plan.claims, run := uuid.uuid4().hex, now.timestamp()).claimed
        seen.commit(run, now.timestamp())
        # as the poll does once its articles are queued: later polls match copies to these
        seen.index([claim for claim in claimed if claim.is_story], run, now.timestamp())
        expires = int(now.timestamp()) + SEEN_TTL
        for claim in claimed:
            expiry.add(expires, "ArticlesTable", f"article#{claim.id}", "seen")
            for band in claim.band_keys:
                expiry.add(expires, "ArticlesTable", band, "band")
        by_id = {a.id: a for a in batch}
        queued = sorted((by_id[c.id].model_copy(update={"story_id": c.story_id})
                         for c in claimed), key=lambda a: (a.published_at, a.id))  # fmt: skip
        # The score function runs moments after the poll: its wall clock is the poll's.
        score.pipeline().clock = lambda at=now: at.timestamp()
        for start in range(0, len(queued), SCORE_BATCH):
            event = sqs_event(queued[start : start + SCORE_BATCH])
            assert score.handler(event, FakeContext()) == {"batchItemFailures": []}
    score.pipeline.cache_clear()
    return [received.alert for received in stack.received(stack.all_url)]


def polls(articles: Iterable[Article]) -> Iterator[list[Article]]:
    """The batches the backtest plans claims for: a poll's worth, within an hour."""
    batch: list[Article] = []
    for article in articles:
        if batch and closes_batch(batch, article):
            yield batch
            batch = []
        batch.append(article)
    if batch:
        yield batch
