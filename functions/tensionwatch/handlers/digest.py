"""Digest Lambda: the schedule's tick (every 15 minutes) queues the digests due; the
DigestQueue's batches build and send them (Slack, webhooks, email through SNS)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from tensionwatch.config import digest_settings
from tensionwatch.handlers.queued import retry_context

if TYPE_CHECKING:
    from tensionwatch.pipeline.digest import DigestPipeline

logger = Logger()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


@cache
def pipeline() -> DigestPipeline:
    """The service with its stores and senders, built once per container."""
    from tensionwatch.pipeline.digest import digest_pipeline

    return digest_pipeline(digest_settings())


def record_handler(record: SQSRecord) -> None:
    pipeline().handle(record.body, **retry_context(record))


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # One function, two doors: SQS batches of queued digests, and the scheduler's tick.
    if "Records" in event:
        return dict(process_partial_response(event=event, record_handler=record_handler,
                                             processor=processor, context=context))  # fmt: skip
    from tensionwatch.digests.jobs import DigestTick  # with the service: the models load once

    return vars(pipeline().plan(DigestTick.model_validate(event).scheduled_time))
