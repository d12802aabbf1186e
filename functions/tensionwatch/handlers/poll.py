"""Poll Lambda, two doors: the schedule's tick queues a task per source (PollQueue); the
PollQueue's tasks, one a batch, each poll their source under its lease → ScoreQueue."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from tensionwatch.config import poll_settings
from tensionwatch.pipeline.poll import PollEvent
from tensionwatch.pipeline.poll_report import PowertoolsPollMetrics
from tensionwatch.tracing import traced

if TYPE_CHECKING:
    from tensionwatch.pipeline.poll import PollPipeline
    from tensionwatch.pipeline.poll_dispatch import PollDispatcher

logger = Logger()
metrics = Metrics()


@cache
def pipeline() -> PollPipeline:
    """The service with its sources and stores, built once per container."""
    from tensionwatch.pipeline.poll_service import poll_pipeline

    return poll_pipeline(poll_settings(), PowertoolsPollMetrics(metrics))


def dispatcher() -> PollDispatcher:
    """The tick's dispatcher over the pipeline's sources (built per tick: one every 5 min)."""
    from tensionwatch.pipeline.poll_service import poll_dispatcher

    return poll_dispatcher(poll_settings(), pipeline().source_names)


def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> dict[str, Any]:
    task = PollEvent.model_validate_json(record.body)  # a task that does not parse: DLQ
    lease = lambda_context.get_remaining_time_in_millis() / 1000  # lapses as Lambda stops it
    return vars(pipeline().run(task, record.message_id, lease_seconds=lease))


@logger.inject_lambda_context
@metrics.log_metrics
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if "Records" in event:
        # A processor per batch: the offline stack runs several workers in one process.
        processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
        with processor(records=event["Records"], handler=record_handler, lambda_context=context):
            results = processor.process()
        # Lambda reads batchItemFailures only; the reports are for the logs and the books.
        reports = [result for status, result, _ in results if status == "success"]
        return {**processor.response(), "reports": reports}
    return vars(dispatcher().dispatch(PollEvent.model_validate(event)))
