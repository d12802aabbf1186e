"""Record → claim → publish → mark: silences, SNS failures and lost acknowledgements."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import boto3
import pytest

from tensionwatch.config import score_settings
from tensionwatch.handlers.score import handler, pipeline
from tensionwatch.handlers.score import logger as score_logger
from tensionwatch.models import Alert, Silence
from tensionwatch.pipeline.score import PUBLISH_LEASE_SECONDS
from tensionwatch.store.alerts import AlertStore
from tensionwatch.store.ddb import failed_conditions
from tensionwatch.store.topic import AlertTopic
from tests.factories import T0, make_alert
from tests.integration.lost_answers import LostAnswerClient
from tests.integration.score.stack import FakeContext, ScoreStack, sqs_event
from tests.integration.score.test_score_handler import ESCALATION, stories


class FailingTopic:
    """Publishes through `inner` after refusing `failures` times (SNS down)."""

    def __init__(self, inner: AlertTopic, failures: int) -> None:
        self.inner, self.failures, self.calls = inner, failures, 0

    def publish(self, alert: Alert) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("SNS unavailable")
        return self.inner.publish(alert)


class LostAckTopic(FailingTopic):
    """Publishes, then fails as if the response never arrived."""

    def publish(self, alert: Alert) -> str:
        message_id = self.inner.publish(alert)
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("connection reset after publish")
        return message_id


def silence(**fields: object) -> Silence:
    values: dict[str, object] = {
        "id": "maintenance",
        "starts_at": T0 - timedelta(days=1),
        "ends_at": T0 + timedelta(days=1),
        "created_by": "ops@example.com",
    }
    values.update(fields)
    return Silence(**values)  # type: ignore[arg-type]


def test_silenced_alert_is_recorded_not_published(stack: ScoreStack) -> None:
    pipeline().silences.put(silence(dyad="JP-KR", direction="escalation"))
    assert handler(sqs_event(stories(ESCALATION)), FakeContext()) == {"batchItemFailures": []}
    assert stack.received(stack.all_url) == []
    [alert] = pipeline().alerts.query("JP-KR", T0 - timedelta(days=1))
    record = pipeline().alerts.get(alert.id)
    assert record is not None and (record.status, record.silenced_by) == (
        "silenced",
        "maintenance",
    )
    assert pipeline().dyads.state("JP-KR").pending == frozenset()


def test_silence_of_another_direction_lets_the_alert_through(stack: ScoreStack) -> None:
    pipeline().silences.put(silence(dyad="JP-KR", direction="thaw"))
    handler(sqs_event(stories(ESCALATION)), FakeContext())
    assert [r.alert.dyad for r in stack.received(stack.all_url)] == ["JP-KR"]


def test_alert_recorded_while_sns_is_down_is_published_on_retry(
    stack: ScoreStack, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger=score_logger.name)
    p = pipeline()
    p.topic = FailingTopic(p.topic, failures=1)  # type: ignore[assignment]
    event = sqs_event(stories(ESCALATION))
    first = handler(event, FakeContext())
    # The pair's folds and state are written; its last record fails, so that its retry
    # publishes the pending alert: a PublishFailures count and a logged failure with SNS's
    # reason.
    assert first["batchItemFailures"] == [{"itemIdentifier": event["Records"][-1]["messageId"]}]
    [emf] = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    assert emf["PublishFailures"] == [1.0]
    logged = [r.exc_info[1] for r in caplog.records if r.exc_info and r.levelno >= logging.WARNING]
    assert [str(error) for error in logged] == ["SNS unavailable"]
    assert stack.received(stack.all_url) == []
    [pending] = p.dyads.state("JP-KR").pending
    assert handler(event, FakeContext()) == {"batchItemFailures": []}
    [received] = stack.received(stack.all_url)
    assert received.alert.id == pending
    assert p.dyads.state("JP-KR").pending == frozenset()


def test_lost_ack_republishes_the_same_alert_id(stack: ScoreStack) -> None:
    p = pipeline()
    p.topic = LostAckTopic(p.topic, failures=1)  # type: ignore[assignment]
    event = sqs_event(stories(ESCALATION))
    assert len(handler(event, FakeContext())["batchItemFailures"]) == 1
    [first] = stack.received(stack.all_url)
    # The failed record's retry saw the alert still unpublished and sent it again.
    assert handler(event, FakeContext()) == {"batchItemFailures": []}
    [again] = stack.received(stack.all_url)
    assert again.alert == first.alert  # at-least-once to SNS; deliver dedups on the id
    handler(event, FakeContext())
    assert stack.received(stack.all_url) == []


class Crash(BaseException):
    """The Lambda runtime dying mid-record (timeout, OOM): no except clause runs."""


class CrashAfterPublish(FailingTopic):
    def publish(self, alert: Alert) -> str:
        message_id = self.inner.publish(alert)
        self.calls += 1
        if self.calls <= self.failures:
            raise Crash
        return message_id


def test_crashed_publisher_holds_the_alert_until_its_lease_lapses(stack: ScoreStack) -> None:
    p = pipeline()
    now = [T0.timestamp() + 86_400.0]  # a day after the stories: it also caps their pair's clock
    p.clock = lambda: now[0]
    p.topic = CrashAfterPublish(p.topic, failures=1)  # type: ignore[assignment]
    event = sqs_event(stories(ESCALATION))
    with pytest.raises(Crash):
        handler(event, FakeContext())
    [first] = stack.received(stack.all_url)
    handler(event, FakeContext())  # within the lease: the holder might still be publishing
    assert stack.received(stack.all_url) == []
    now[0] += PUBLISH_LEASE_SECONDS + 1
    handler(event, FakeContext())
    [again] = stack.received(stack.all_url)
    assert again.alert.id == first.alert.id
    handler(event, FakeContext())
    assert stack.received(stack.all_url) == []


def test_alert_store_queries_by_pair_and_across_pairs(stack: ScoreStack) -> None:
    alerts = pipeline().alerts
    one = make_alert("JP-KR", fired_at=T0)
    two = make_alert("CN-JP", direction="escalation", fired_at=T0 + timedelta(days=40))
    old = make_alert("JP-KR", kind="flash", fired_at=T0 - timedelta(days=3))
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    assert failed_conditions(dynamodb, alerts.record_actions([one, two, old])) is None
    assert alerts.query("JP-KR", T0 - timedelta(hours=1)) == [one]
    assert alerts.query(None, T0 - timedelta(hours=1)) == [one, two]
    assert failed_conditions(dynamodb, alerts.record_actions([one])) == [0]


def test_silence_store_round_trip(stack: ScoreStack) -> None:
    silences = pipeline().silences
    first = silence()
    later = silence(id="later", starts_at=T0 + timedelta(days=2), ends_at=T0 + timedelta(days=3))
    silences.put(first)
    silences.put(later)
    assert silences.get("maintenance") == first
    assert silences.list_all() == [first, later]
    assert silences.active(T0) == [first]
    assert silences.delete("maintenance") is True
    assert silences.delete("maintenance") is False
    assert silences.get("maintenance") is None


def test_unknown_pair_has_no_signal(stack: ScoreStack) -> None:
    assert pipeline().dyads.get("FR-DE") is None


def test_metrics_count_scored_fired_and_published(
    stack: ScoreStack, capsys: pytest.CaptureFixture[str]
) -> None:
    handler(sqs_event(stories(ESCALATION)), FakeContext())
    [emf] = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    assert emf["ArticlesScored"] == [1.0] * len(ESCALATION)
    assert emf["AlertsFired"] == emf["AlertsPublished"] == [1.0]


def test_a_claim_whose_answer_was_lost_and_retried_still_publishes(stack: ScoreStack) -> None:
    p = pipeline()
    lossy = LostAnswerClient(boto3.client("dynamodb", region_name="us-east-1"))
    p.alerts = AlertStore(score_settings().ALERTS_TABLE, lossy)
    assert handler(sqs_event(stories(ESCALATION)), FakeContext()) == {"batchItemFailures": []}
    # The retried claim meets the claim it made itself: its own lease, not another run's.
    [received] = stack.received(stack.all_url)
    assert lossy.repeated >= 2  # the claim and the mark were both answered by a retry
    assert p.alerts.get(received.alert.id).status == "published"  # type: ignore[union-attr]
    assert p.dyads.state("JP-KR").pending == frozenset()
    # (Another run's claim within the lease is still refused: test_crashed_publisher_...)
