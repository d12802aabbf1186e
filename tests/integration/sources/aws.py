"""moto resources shaped like the contracts: every table pk/sk on-demand, the ScoreQueue."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import boto3

from tensionwatch.models import Article
from tensionwatch.pipeline.poll import PollPipeline
from tensionwatch.pipeline.poll_report import PollMetrics
from tensionwatch.sources.base import Cursor, Source
from tensionwatch.store.articles import ArticleStore
from tensionwatch.store.cursors import CursorStore
from tensionwatch.store.queue import ScoreQueue
from tensionwatch.store.source_states import SourceStateStore


@dataclass(frozen=True)
class PollResources:
    dynamodb: Any
    sqs: Any
    articles_table: str
    cursors_table: str
    queue_url: str

    def stores(self) -> dict[str, Any]:
        """The poll pipeline's stores on these tables, as its keyword arguments."""
        return {
            "articles": ArticleStore(self.articles_table, self.dynamodb),
            "cursors": CursorStore(self.cursors_table, self.dynamodb),
            "states": SourceStateStore(self.cursors_table, self.dynamodb),
        }

    def pipeline(
        self, sources: Mapping[str, Source], metrics: PollMetrics, clock: Callable[[], float]
    ) -> PollPipeline:
        """The poll pipeline over these tables and queue (SQS retries without waiting)."""
        queue = ScoreQueue(self.queue_url, self.sqs, sleep=lambda s: None)
        return PollPipeline(sources, **self.stores(), queue=queue, metrics=metrics, clock=clock)

    def cursor(self, source: str, query: str) -> Cursor | None:
        """Where the poll stored that `query` of `source` stopped (in the source's state)."""
        return SourceStateStore(self.cursors_table, self.dynamodb).read(source).cursors.get(query)

    def drain(self) -> list[Article]:
        """Every message on the queue, as Articles (deleted as read)."""
        out: list[Article] = []
        while True:
            got = self.sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            ).get("Messages", [])
            if not got:
                return out
            for message in got:
                out.append(Article.model_validate(json.loads(message["Body"])))
                self.sqs.delete_message(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )


def create_table(client: Any, name: str) -> None:
    client.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


def poll_resources() -> PollResources:
    """Create the poll function's tables and queue (call inside mock_aws)."""
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    sqs = boto3.client("sqs", region_name="us-east-1")
    for name in ("ArticlesTable", "CursorsTable"):
        create_table(dynamodb, name)
    dlq = sqs.create_queue(QueueName="ScoreDLQ")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
    queue_url = sqs.create_queue(
        QueueName="ScoreQueue",
        Attributes={
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"], "maxReceiveCount": 5}
            )
        },
    )["QueueUrl"]
    return PollResources(dynamodb, sqs, "ArticlesTable", "CursorsTable", queue_url)
