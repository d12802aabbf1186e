"""One decision, two homes: the scenario's two weeks through the score handler on DynamoDB and
SNS (moto), and through the same ScorePipeline on the backtest's memory stores, fire the same
alerts to the last field: ids, times, severities, rationales, evidence, citations. A silence
mutes the same alert in both."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tensionwatch.backtest.replay import Run, new_run
from tensionwatch.handlers.score import handler, pipeline
from tensionwatch.models import Alert, Silence
from tensionwatch.scoring.scorer import score_article
from tensionwatch.signals.config import SignalConfig
from tests.integration.score.stack import FakeContext, ScoreStack, score_batch_size, sqs_event
from tests.integration.score.stream import START, two_weeks

BATCH = score_batch_size()  # the batches the ScoreFunction is handed
THAW_WEEK = Silence(
    id="thaw-week",
    dyad="JP-KR",
    direction="thaw",
    starts_at=START + timedelta(days=8),
    ends_at=START + timedelta(days=12),
    created_by="desk",
)


def in_dynamodb(stack: ScoreStack) -> tuple[list[Alert], dict[str, str]]:
    """Published alerts, and the silence of each silenced one, by the Lambda handler."""
    stream = two_weeks()
    for start in range(0, len(stream), BATCH):
        assert handler(sqs_event(stream[start : start + BATCH]), FakeContext()) == {
            "batchItemFailures": []
        }
    published = [r.alert for r in stack.received(stack.all_url)]
    silenced = {}
    for alert in pipeline().alerts.query(None, START - timedelta(days=1)):
        record = pipeline().alerts.get(alert.id)
        if record is not None and record.status == "silenced":
            silenced[alert.id] = record.silenced_by or ""
    return published, silenced


def in_memory(silences: list[Silence]) -> tuple[list[Alert], dict[str, str]]:
    run: Run = new_run(SignalConfig(), score_article, silences)
    for article in two_weeks():
        run.handle(article)
    return run.alerts, {r.alert.id: r.silenced_by or "" for r in run.silenced}


def in_order(alerts: list[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (a.fired_at, a.id))


@pytest.mark.parametrize("silences", [[], [THAW_WEEK]], ids=["no silence", "a silence"])
def test_the_two_weeks_fire_the_same_alerts_in_both_homes(
    stack: ScoreStack, silences: list[Silence]
) -> None:
    for silence in silences:
        pipeline().silences.put(silence)
    published, silenced = in_dynamodb(stack)
    memory_published, memory_silenced = in_memory(silences)
    assert len(published) >= 4
    assert in_order(memory_published) == in_order(published)
    assert memory_silenced == silenced
    assert bool(silenced) == bool(silences)


def test_the_memory_store_forgets_what_no_decision_reads() -> None:
    """Bounded by pairs x window: after two weeks a pair holds at most a day of hourly buckets
    and citations (its baseline keeps days), not two weeks of articles."""
    run = new_run(SignalConfig(), score_article)
    stream = two_weeks()
    for article in stream:
        run.handle(article)
    held = run.store.held("DE-FR")
    assert 0 < held.hours <= 26
    assert 0 < held.citations < sum(1 for a in stream if "France" in a.title) / 3
