"""What the deliver and digest handlers share: each record they take may be retried through
SQS, so its service needs the record's receive count, queue and receipt handle."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord


def retry_context(record: SQSRecord) -> dict[str, Any]:
    """The keyword arguments a sending service's `handle` takes besides the body."""
    return {
        "receive_count": int(record.attributes.approximate_receive_count),
        "queue_arn": record.event_source_arn,
        "receipt_handle": record.receipt_handle,
    }
