"""Deliver Lambda: DeliveryQueue (raw alerts from the AlertsTopic) → Slack and webhooks."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from tensionwatch.config import deliver_settings
from tensionwatch.handlers.queued import retry_context

if TYPE_CHECKING:
    from tensionwatch.pipeline.deliver import DeliverPipeline

logger = Logger()
metrics = Metrics()
# A batch whose every record needs a retry still answers with item failures, not an error.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


@cache
def pipeline() -> DeliverPipeline:
    """The service with its stores and senders, built once per container."""
    from tensionwatch.delivery.wiring import deliver_pipeline

    return deliver_pipeline(deliver_settings())


def record_handler(record: SQSRecord) -> None:
    pipeline().handle(record.body, **retry_context(record))


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
