"""An archive through the production path, in moto: the poll's dedup and stories through the
band slots of the ArticlesTable (`plan_queue`, `ArticleStore`), then the score function's
handler on SQS events of the template's batch size, publishing to the AlertsTopic, with
DynamoDB's TTL emulated at event time (moto never expires anything; DynamoDB does, and a replay
over weeks meets it). The alerts are read off a queue subscribed to the topic with raw
delivery: what a subscriber receives.

TTL: the ArticleStore's clock is the batch's newest article, so its memory of the band slots
forgets a slot 30 days (event time) after it was written, as the poll worker's does."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import boto3
import pytest

from tensionwatch.backtest.replay import closes_batch
from tensionwatch.config import score_settings
from tensionwatch.handlers import score
from tensionwatch.models import Alert, Article
from tensionwatch.sources.stories import plan_queue
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
    polled_at = [0.0]  # the poll's clock: the newest article of its batch
    seen = ArticleStore("ArticlesTable", dynamodb, clock=lambda: polled_at[0])
    for n, batch in enumerate(polls(articles)):
        now = max(a.published_at for a in batch)
        polled_at[0] = now.timestamp()
        plan = plan_queue(batch, seen)
        # as the poll does once they are sent: later polls drop them and match copies to them
        seen.record(plan.assigned, f"poll-{n}", now.timestamp())
        by_id = {a.id: a for a in batch}
        queued = sorted((by_id[c.id].model_copy(update={"story_id": c.story_id})
                         for c in plan.assigned), key=lambda a: (a.published_at, a.id))  # fmt: skip
        # The score function runs moments after the poll: its wall clock is the poll's.
        score.pipeline().clock = lambda at=now: at.timestamp()
        for start in range(0, len(queued), SCORE_BATCH):
            event = sqs_event(queued[start : start + SCORE_BATCH])
            assert score.handler(event, FakeContext()) == {"batchItemFailures": []}
    score.pipeline.cache_clear()
    return [received.alert for received in stack.received(stack.all_url)]


def polls(articles: Iterable[Article]) -> Iterator[list[Article]]:
    """The batches the backtest assigns stories in: a poll's worth, within an hour."""
    batch: list[Article] = []
    for article in articles:
        if batch and closes_batch(batch, article):
            yield batch
            batch = []
        batch.append(article)
    if batch:
        yield batch
