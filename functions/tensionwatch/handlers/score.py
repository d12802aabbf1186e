"""Score Lambda: ScoreQueue batch → score, fold into the pair's signal, publish alerts."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import Json, ValidationError

from tensionwatch.config import score_settings
from tensionwatch.models import Article
from tensionwatch.tracing import traced

if TYPE_CHECKING:
    from tensionwatch.pipeline.score import ScorePipeline

logger = Logger()
metrics = Metrics()


class ArticleRecord(SqsRecordModel):
    body: Json[Article]  # the ScoreQueue contract: Article.model_dump_json()


@cache
def pipeline() -> ScorePipeline:
    """The service with its stores and the scorer, built once per container."""
    # Lazy: boto3, the stores and the scorer's lexicon load here, not at import (cold start).
    from tensionwatch.pipeline.score import PowertoolsScoreMetrics, score_pipeline

    return score_pipeline(score_settings(), PowertoolsScoreMetrics(metrics))


@logger.inject_lambda_context
@metrics.log_metrics
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    """The batch taken whole (each pair written once: `ScorePipeline.handle_batch`); a
    malformed body fails its record alone, logged with its reason (then retried, then the
    ScoreDLQ), as does any record the service fails."""
    from tensionwatch.pipeline.score import FAILED_RECORD  # loaded with pipeline()

    service = pipeline()
    articles, failed = [], set()
    for record in event["Records"]:
        try:
            articles.append((record["messageId"], ArticleRecord.model_validate(record).body))
        except ValidationError:
            logger.warning(FAILED_RECORD, exc_info=True)
            failed.add(record["messageId"])
    failed.update(service.handle_batch(articles))
    ids = [record["messageId"] for record in event["Records"]]
    return {"batchItemFailures": [{"itemIdentifier": i} for i in ids if i in failed]}
