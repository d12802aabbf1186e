"""The deliver function stops sending before Lambda's time runs out: a receiver that never
answers holds up one send, not the batch, and what was not sent comes back at once as item
failures instead of after the queue's visibility timeout."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from tensionwatch.config import deliver_settings
from tensionwatch.delivery import transport
from tensionwatch.delivery.errors import DeliveryError
from tensionwatch.delivery.ssrf import Target
from tensionwatch.handlers import deliver
from tests.factories import T0, make_alert
from tests.integration.delivery.receivers import DrippingReceiver, StalledReceiver
from tests.integration.delivery.stack import DeliveryStack, FakeContext
from tests.integration.test_template_contract import function_timeout

BATCH = 10  # DeliverFunction's BatchSize


@pytest.fixture
def stalled(stack: DeliveryStack, monkeypatch: pytest.MonkeyPatch) -> Iterator[StalledReceiver]:
    receiver = StalledReceiver()
    monkeypatch.setenv("TARGET_PORTS", str(receiver.port))
    deliver_settings.cache_clear()
    deliver.pipeline.cache_clear()
    yield receiver
    receiver.close()


@dataclass
class Invocation:
    failed: list[str]  # message ids reported as item failures
    messages: list[str]  # the batch's message ids
    took: float  # seconds
    attempted: list[str]  # alert ids with a notification-log entry: a send was started


def run_batch(stack: DeliveryStack, context: Any) -> Invocation:
    """One deliver invocation on a full batch of distinct alerts."""
    alerts = [make_alert(fired_at=T0 + timedelta(minutes=n)) for n in range(BATCH)]
    for alert in alerts:
        stack.enqueue(alert)
    event = stack.receive_event()
    assert len(event["Records"]) == BATCH
    started = time.monotonic()
    result = deliver.handler(event, context)
    return Invocation(
        failed=[item["itemIdentifier"] for item in result["batchItemFailures"]],
        messages=[record["messageId"] for record in event["Records"]],
        took=time.monotonic() - started,
        attempted=[alert.id for alert in alerts if stack.notifications(alert.id)],
    )


def test_a_batch_to_a_stalled_receiver_ends_within_the_invocation_and_fails_the_rest(
    stack: DeliveryStack, stalled: StalledReceiver
) -> None:
    stack.subscribe("webhook", stalled.url(), "sub-stalled")
    limit = 6.0  # seconds the invocation has; the stalled sends would take 10 x 10 s
    run = run_batch(stack, FakeContext(timeout_ms=int(limit * 1000)))

    # Within the invocation is the guarantee; the reserve is what the rest of the batch may use
    # after the last send's cut-off, and on a loaded two-core runner it has used 1.2 s of its 2.
    assert run.took < limit, f"took {run.took:.1f} s of {limit} s"
    assert sorted(run.failed) == sorted(run.messages)  # nothing delivered: all come back
    (first,) = run.attempted  # one send fitted (4 s of the 6), the other nine were deferred
    outcome = stack.notifications(first)["sub-stalled"]
    assert (outcome.status, outcome.reason) == ("retrying", "timeout")
    # The unsent records were made visible again now, not after the 60 s visibility timeout.
    assert len(stack.receive_event()["Records"]) == BATCH


@pytest.mark.slow  # a minute: the deployed timeout in real time
def test_a_full_invocation_to_a_stalled_receiver_ends_within_the_function_timeout(
    stack: DeliveryStack, stalled: StalledReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The deployed numbers: DeliverFunction's Timeout, the transport's 10 s per send, and the
    # default run of failures before a subscription is disabled (the fixture's 4 is shorter).
    monkeypatch.delenv("MAX_CONSECUTIVE_FAILURES")
    deliver_settings.cache_clear()
    deliver.pipeline.cache_clear()
    stack.subscribe("webhook", stalled.url(), "sub-stalled")
    limit = function_timeout("DeliverFunction")
    run = run_batch(stack, FakeContext(timeout_ms=limit * 1000))

    print(f"a batch of {BATCH} to a stalled receiver: {run.took:.1f} s of {limit} s, "
          f"{len(run.attempted)} sends started")  # fmt: skip
    assert run.took < limit, f"took {run.took:.1f} s of {limit} s"
    assert sorted(run.failed) == sorted(run.messages)
    assert 1 < len(run.attempted) < BATCH  # several sends fitted, the rest were deferred


def test_a_receiver_answering_a_byte_at_a_time_is_cut_off_at_the_send_timeout() -> None:
    receiver = DrippingReceiver(every=0.1)
    target = Target("http", "127.0.0.1", receiver.port, "/", ("127.0.0.1",))
    started = time.monotonic()
    try:
        with pytest.raises(DeliveryError) as raised:
            transport.post(target, b"{}", {}, timeout=1.0)
    finally:
        receiver.close()
    assert raised.value.reason == "timeout"
    assert raised.value.recoverable
    assert time.monotonic() - started < 1.5  # each byte came within the socket timeout
