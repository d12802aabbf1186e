"""SQS event → score handler → DynamoDB state → SNS → subscribed queues, under moto."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tensionwatch.handlers.score import handler, pipeline
from tensionwatch.models import Article
from tensionwatch.store.dyads import DyadStore
from tests.factories import T0, make_article
from tests.integration.score.stack import FakeContext, ScoreStack, sqs_event

ESCALATION = [
    ("Japan protests Korean coast guard incursion near disputed islands", "Tokyo Times"),
    ("South Korea summons Japanese envoy over island dispute", "Seoul Herald"),
    ("Japan threatens sanctions on South Korea over seized ships", "Pacific Wire"),
    ("South Korea expels Japanese diplomats as tensions flare", "Asia Daily"),
]


def stories(headlines: list[tuple[str, str]], *, start_minutes: int = 0) -> list[Article]:
    return [
        make_article(
            title,
            outlet=outlet,
            url=f"https://{i}.example.com/{start_minutes}",
            published_at=T0 + timedelta(minutes=start_minutes + 20 * i),
        )
        for i, (title, outlet) in enumerate(headlines)
    ]


def china_japan() -> list[Article]:
    return stories(
        [
            ("China imposes sanctions on Japan over island dispute", "Beijing Post"),
            ("Japan protests Chinese warships near Okinawa", "Tokyo Times"),
            ("China expels Japanese diplomats in island row", "Global Wire"),
        ],
        start_minutes=5,
    )


def test_sqs_event_escalates_pairs_and_filtered_queue_gets_only_its_pair(
    stack: ScoreStack,
) -> None:
    response = handler(sqs_event([*stories(ESCALATION), *china_japan()]), FakeContext())
    assert response == {"batchItemFailures": []}
    [jpkr] = stack.received(stack.filtered_url)
    everything = stack.received(stack.all_url)
    assert sorted(r.alert.dyad for r in everything) == ["CN-JP", "JP-KR"]
    alert = jpkr.alert
    assert (alert.kind, alert.direction, alert.state_after) == (
        "state_change",
        "escalation",
        "escalating",
    )
    assert alert.rationale.startswith("JP-KR escalating: ")
    assert {name: value.get("StringValue") for name, value in jpkr.attributes.items()} == {
        "dyad": "JP-KR",
        "countries": '["JP", "KR"]',
        "direction": "escalation",
        "severity": alert.severity,
        "kind": "state_change",
        "score": f"{alert.score:.2f}",
    }
    assert jpkr.attributes["countries"]["DataType"] == "String.Array"
    assert jpkr.attributes["score"]["DataType"] == "Number"
    signal = pipeline().dyads.get("JP-KR")
    assert signal is not None and signal.state == "escalating"
    assert signal.evidence and all(e.weight < 0 for e in signal.evidence)
    assert abs(signal.evidence[0].weight) >= abs(signal.evidence[-1].weight)
    assert (signal.windows[0].name, signal.windows[0].stories) == ("24h", len(ESCALATION))


def test_retried_batch_publishes_each_alert_once(stack: ScoreStack) -> None:
    event = sqs_event([*stories(ESCALATION), *china_japan()])
    for _ in range(3):
        assert handler(event, FakeContext()) == {"batchItemFailures": []}
    alerts = [r.alert for r in stack.received(stack.all_url)]
    assert sorted(a.dyad for a in alerts) == ["CN-JP", "JP-KR"]
    signal = pipeline().dyads.get("CN-JP")
    assert signal is not None and signal.windows[0].stories == 3  # folded once, not thrice
    for alert in alerts:
        record = pipeline().alerts.get(alert.id)
        assert record is not None and record.status == "published"


def test_batch_with_one_malformed_record_reports_only_that_record(
    stack: ScoreStack, caplog: pytest.LogCaptureFixture
) -> None:
    good = stories(ESCALATION)
    event = sqs_event([good[0], "{not json", good[1]])
    bad_id = event["Records"][1]["messageId"]
    response = handler(event, FakeContext())
    assert response == {"batchItemFailures": [{"itemIdentifier": bad_id}]}
    signal = pipeline().dyads.get("JP-KR")
    assert signal is not None and signal.windows[0].articles == 2
    [failure] = [r for r in caplog.records if r.levelname == "WARNING"]
    assert failure.getMessage() == "Record processing exception; skipping this record"
    assert failure.exc_info is not None and "Invalid JSON" in str(failure.exc_info[1])


def test_record_missing_a_field_fails_alone(stack: ScoreStack) -> None:
    article = stories(ESCALATION)[0]
    broken = article.model_dump_json().replace('"title"', '"headline"')
    event = sqs_event([broken, article])
    response = handler(event, FakeContext())
    assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}


def test_a_syndicated_copy_before_its_story_folds_at_once_as_a_copy(stack: ScoreStack) -> None:
    """A copy is read on its own text: it needs nothing of its story, so it never waits."""
    [story] = stories(ESCALATION[:1])
    copy = make_article(
        story.title,
        url="https://reprint.example.com/1",
        outlet="Reprint",
        published_at=story.published_at,
        story_id=story.id,
    )
    assert handler(sqs_event([copy]), FakeContext()) == {"batchItemFailures": []}
    signal = pipeline().dyads.get("JP-KR")
    assert signal is not None
    assert (signal.windows[0].articles, signal.windows[0].stories) == (1, 0)
    # the story, and the copy redelivered with it: the copy folds nothing twice
    assert handler(sqs_event([story, copy]), FakeContext()) == {"batchItemFailures": []}
    signal = pipeline().dyads.get("JP-KR")
    assert signal is not None
    assert (signal.windows[0].articles, signal.windows[0].stories) == (2, 1)


def test_stale_state_write_is_refused(stack: ScoreStack) -> None:
    handler(sqs_event(stories(ESCALATION)), FakeContext())
    dyads: DyadStore = pipeline().dyads
    current = dyads.state("JP-KR")
    stale = type(current)(version=current.version - 1)
    from tensionwatch.store.dyads import Commit

    assert dyads.commit("JP-KR", stale, current) is Commit.CONFLICT
