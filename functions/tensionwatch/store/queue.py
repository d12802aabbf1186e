"""SQS queues of JSON messages, ten per call: the ScoreQueue (new articles for the scorer)
and the DigestQueue (digests due, one per subscription and period)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

BATCH_MAX = 10  # SQS SendMessageBatch limit
BATCH_BYTES = 240_000  # under the 256 KiB SendMessageBatch payload limit, with headroom
MAX_ATTEMPTS = 3  # first try + 2 retries of the failed entries
BACKOFF = 0.2  # seconds, doubled per retry: SQS throttling clears fast
M = TypeVar("M", bound=BaseModel)


class ModelQueue:
    """A queue whose messages are pydantic models' JSON."""

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

    def send(self, messages: Sequence[M]) -> list[M]:
        """Send each message's JSON; failed entries are retried. Returns the messages that
        still could not be sent (the caller keeps its cursor: poll records none of them, the
        digest planner sends them again on its next tick)."""
        unsent: list[M] = []
        for batch in _batches(messages):
            unsent.extend(self._send_batch(batch))
        return unsent

    def _send_batch(self, batch: list[M]) -> list[M]:
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


def _batches(messages: Sequence[M]) -> list[list[M]]:
    batches: list[list[M]] = [[]]
    size = 0
    for article in messages:
        body = len(article.model_dump_json().encode())
        if batches[-1] and (len(batches[-1]) == BATCH_MAX or size + body > BATCH_BYTES):
            batches.append([])
            size = 0
        batches[-1].append(article)
        size += body
    return [batch for batch in batches if batch]


ScoreQueue = ModelQueue  # new articles for the scorer
DigestQueue = ModelQueue  # digests due: one message per subscription and period
