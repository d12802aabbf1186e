"""Score Lambda: ScoreQueue batch → score, fold into the pair's signal, publish alerts."""

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
from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import Json

from tensionwatch.config import score_settings
from tensionwatch.models import Article
from tensionwatch.tracing import traced

if TYPE_CHECKING:
    from tensionwatch.pipeline.score import ScorePipeline

logger = Logger()
metrics = Metrics()


class ArticleRecord(SqsRecordModel):
    body: Json[Article]  # the ScoreQueue contract: Article.model_dump_json()


# A malformed body fails its record alone; a batch of failures answers with item failures.
# Each failure is logged with its reason and traceback (then retried, then the ScoreDLQ).
processor = BatchProcessor(EventType.SQS, model=ArticleRecord, raise_on_entire_batch_failure=False,
                           logger=logger)  # type: ignore[arg-type]  # fmt: skip


@cache
def pipeline() -> ScorePipeline:
    """The service with its stores and the scorer, built once per container."""
    # Lazy: boto3, the stores and the scorer's lexicon load here, not at import (cold start).
    from tensionwatch.pipeline.score import PowertoolsScoreMetrics, score_pipeline

    return score_pipeline(score_settings(), PowertoolsScoreMetrics(metrics))


def record_handler(record: ArticleRecord) -> None:
    logger.set_correlation_id(record.messageId)
    pipeline().handle(record.body)


@logger.inject_lambda_context
@metrics.log_metrics
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
