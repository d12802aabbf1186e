"""ScoreQueue: new articles handed to the scorer, ten per call."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from tensionwatch.models import Article

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

BATCH_MAX = 10  # SQS SendMessageBatch limit
BATCH_BYTES = 240_000  # under the 256 KiB SendMessageBatch payload limit, with headroom
MAX_ATTEMPTS = 3  # first try + 2 retries of the failed entries
BACKOFF = 0.2  # seconds, doubled per retry: SQS throttling clears fast


class ScoreQueue:
    def __init__(
        self,
        queue_url: str,
        client: SQSClient | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._url = queue_url
        if client is None:
            import boto3  # imported here, not at module load: the handler's cold start stays short

            client = boto3.client("sqs")
        self._client: Any = client
        self._sleep = sleep

    def send(self, articles: Sequence[Article]) -> list[Article]:
        """Send each article's JSON; failed entries are retried. Returns the articles that
        still could not be sent (the caller keeps its cursor and releases their claims)."""
        unsent: list[Article] = []
        for batch in _batches(articles):
            unsent.extend(self._send_batch(batch))
        return unsent

    def _send_batch(self, batch: list[Article]) -> list[Article]:
        pending = {str(i): article for i, article in enumerate(batch)}
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                self._sleep(BACKOFF * 2 ** (attempt - 1))
            entries = [{"Id": i, "MessageBody": a.model_dump_json()} for i, a in pending.items()]
            try:
                answer = self._client.send_message_batch(QueueUrl=self._url, Entries=entries)
            except (ClientError, BotoCoreError):
                continue  # the whole call failed: every entry is still pending
            failed = {entry["Id"] for entry in answer.get("Failed", [])}
            pending = {i: a for i, a in pending.items() if i in failed}
            if not pending:
                return []
        return list(pending.values())


def _batches(articles: Sequence[Article]) -> list[list[Article]]:
    batches: list[list[Article]] = [[]]
    size = 0
    for article in articles:
        body = len(article.model_dump_json().encode())
        if batches[-1] and (len(batches[-1]) == BATCH_MAX or size + body > BATCH_BYTES):
            batches.append([])
            size = 0
        batches[-1].append(article)
        size += body
    return [batch for batch in batches if batch]
