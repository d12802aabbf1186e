"""Two weeks of generated news for three pairs, scored by the real scorer and folded by the
real handler under moto: exactly the expected alerts, in order."""

from __future__ import annotations

from tensionwatch.handlers.score import handler, pipeline
from tests.integration.score.stack import FakeContext, ScoreStack, score_batch_size, sqs_event
from tests.integration.score.stream import two_weeks

BATCH = score_batch_size()  # the batches the ScoreFunction is handed


def run(stack: ScoreStack) -> list[tuple[str, str, str, str]]:
    stream = two_weeks()
    for start in range(0, len(stream), BATCH):
        response = handler(sqs_event(stream[start : start + BATCH]), FakeContext())
        assert response == {"batchItemFailures": []}
    return [
        (r.alert.fired_at.strftime("%m-%d"), r.alert.dyad, r.alert.kind, r.alert.direction)
        for r in stack.received(stack.all_url)
    ]


def test_two_weeks_of_news_produce_exactly_the_expected_alerts(stack: ScoreStack) -> None:
    assert run(stack) == [
        ("10-05", "JP-KR", "state_change", "escalation"),
        ("10-07", "JP-KR", "resolved", "escalation"),
        ("10-08", "CN-US", "flash", "escalation"),
        ("10-10", "JP-KR", "state_change", "thaw"),
        ("10-14", "JP-KR", "resolved", "thaw"),
    ]
    # The steady pair had news every day and never left steady.
    signal = pipeline().dyads.get("DE-FR")
    assert signal is not None and signal.state == "steady"
    assert signal.windows[1].name == "7d" and signal.windows[1].stories > 3


def test_replaying_the_two_weeks_publishes_nothing_new(stack: ScoreStack) -> None:
    first = run(stack)
    assert run(stack) == []
    assert len(first) == 5
