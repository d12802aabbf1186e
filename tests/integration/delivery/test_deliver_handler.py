"""The deliver handler end to end: moto queue and tables, real local receivers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from pytest_httpserver import HTTPServer

from tensionwatch.handlers import deliver
from tensionwatch.subscriptions import SubscriptionFilter
from tests.factories import make_alert
from tests.integration.delivery.receivers import SlackReceiver, WebhookReceiver, serve
from tests.integration.delivery.stack import (
    MAX_RECEIVES,
    SECRETS_PREFIX,
    DeliveryStack,
    FakeContext,
)


def run(stack: DeliveryStack) -> list[str]:
    """One Lambda invocation on what the queue holds; returns the failed message ids."""
    event = stack.receive_event()
    result: Any = deliver.handler(event, FakeContext())  # type: ignore[arg-type]
    return [item["itemIdentifier"] for item in result["batchItemFailures"]]


def test_webhook_is_signed_verifiable_and_typed(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    secret = stack.subscribe("webhook", "", "sub-w")  # placeholder: target set below
    receiver = WebhookReceiver([secret or ""])
    stack.subscriptions.put(stack.subscriptions.get("sub-w").model_copy(  # type: ignore[union-attr]
        update={"target": serve(httpserver, "/hook", receiver)}))  # fmt: skip
    alert = make_alert()
    stack.enqueue(alert)
    assert run(stack) == []
    assert receiver.received[0]["type"] == "alert.fired"
    assert receiver.received[0]["data"]["id"] == alert.id
    assert stack.notifications(alert.id)["sub-w"].status == "sent"


def test_slack_and_webhook_get_only_matching_alerts(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    slack = SlackReceiver()
    stack.subscribe("slack", serve(httpserver, "/slack", slack), "sub-s",
                    SubscriptionFilter(dyads=("JP-KR",)))  # fmt: skip
    stack.enqueue(make_alert("JP-KR"))
    stack.enqueue(make_alert("CN-US"))
    assert run(stack) == []
    assert len(slack.received) == 1
    assert "JP-KR" in slack.received[0]["blocks"][0]["text"]["text"]


def test_redelivered_batch_sends_each_alert_to_each_subscription_once(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    slack = SlackReceiver()
    stack.subscribe("slack", serve(httpserver, "/slack", slack), "sub-s")
    stack.enqueue(make_alert())
    event = stack.receive_event()
    for _ in range(3):  # SQS delivers at least once: the same batch, again and again
        deliver.handler(event, FakeContext())  # type: ignore[arg-type]
    assert len(slack.received) == 1


def test_failed_subscription_is_retried_alone_while_the_other_is_not_resent(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    slack = SlackReceiver(answers=[(500, "oops", {})])
    other = SlackReceiver()
    stack.subscribe("slack", serve(httpserver, "/flaky", slack), "sub-flaky")
    stack.subscribe("slack", serve(httpserver, "/fine", other), "sub-fine")
    alert = make_alert()
    stack.enqueue(alert)
    assert len(run(stack)) == 1  # the record fails, so SQS brings it back
    assert stack.notifications(alert.id)["sub-flaky"].status == "retrying"
    assert run(stack) == []  # base backoff is 0 s in tests: it is visible again at once
    assert (len(slack.received), len(other.received)) == (1, 1)
    assert stack.notifications(alert.id)["sub-flaky"].attempts == 2


def test_gone_webhook_disables_the_subscription_with_the_reason(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    receiver = WebhookReceiver([], statuses=[410])
    secret = stack.subscribe("webhook", serve(httpserver, "/gone", receiver), "sub-gone")
    receiver.secrets = [secret or ""]
    alert = make_alert()
    stack.enqueue(alert)
    assert run(stack) == []  # nothing left to retry: the record succeeds
    sub = stack.subscriptions.get("sub-gone")
    assert sub is not None
    assert (sub.status, sub.status_reason) == ("disabled", "HTTP 410: target gone")
    assert stack.notifications(alert.id)["sub-gone"].status == "failed"


def test_retry_after_hides_the_message_for_that_long(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    slack = SlackReceiver(answers=[(429, "rate_limited", {"Retry-After": "30"})])
    stack.subscribe("slack", serve(httpserver, "/slack", slack), "sub-s")
    stack.enqueue(make_alert())
    assert len(run(stack)) == 1
    # the base backoff is 0 s here, so only Retry-After can have hidden the message
    assert stack.receive_event()["Records"] == []


def test_webhook_id_is_stable_across_retries(stack: DeliveryStack, httpserver: HTTPServer) -> None:
    receiver = WebhookReceiver([], statuses=[503])
    receiver.secrets = [stack.subscribe("webhook", serve(httpserver, "/h", receiver), "w") or ""]
    stack.enqueue(make_alert())
    run(stack)
    run(stack)
    assert len(receiver.ids) == 2
    assert receiver.ids[0] == receiver.ids[1]


def test_delivery_that_keeps_failing_reaches_the_dlq_with_its_reason_recorded(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    slack = SlackReceiver(answers=[(503, "down", {})] * 10)
    stack.subscribe("slack", serve(httpserver, "/down", slack), "sub-down")
    alert = make_alert()
    stack.enqueue(alert)
    for _ in range(MAX_RECEIVES):
        assert len(run(stack)) == 1
    assert stack.receive_event()["Records"] == []  # this receive moves it to the DLQ
    assert [alert.id in body for body in stack.dead_letters()] == [True]
    record = stack.notifications(alert.id)["sub-down"]
    assert record.status == "failed"
    assert record.reason == f"gave up after {MAX_RECEIVES} receives: HTTP 503"


def test_a_run_of_failures_disables_the_subscription(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    slack = SlackReceiver(answers=[(500, "x", {})] * 10)
    stack.subscribe("slack", serve(httpserver, "/bad", slack), "sub-bad")
    for n in range(2):
        stack.enqueue(make_alert(id=f"alert-{n}"))
    run(stack)
    run(stack)  # four failed sends in a row, before either alert used up its receives
    sub = stack.subscriptions.get("sub-bad")
    assert sub is not None
    assert sub.status == "disabled"
    assert sub.status_reason.startswith("4 consecutive failures")


def test_unsafe_target_is_refused_without_a_request(
    stack: DeliveryStack, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLOW_HTTP_TARGETS", "false")
    slack = SlackReceiver()
    stack.subscribe("slack", serve(httpserver, "/slack", slack), "sub-s")
    alert = make_alert()
    stack.enqueue(alert)
    assert run(stack) == []
    assert slack.received == []
    assert stack.notifications(alert.id)["sub-s"].reason.startswith("unsafe target")


def test_no_secret_or_target_in_logs(
    stack: DeliveryStack, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    receiver = WebhookReceiver([], statuses=[500])
    url = serve(httpserver, "/private-token-path", receiver)
    secret = stack.subscribe("webhook", url, "sub-w") or ""
    receiver.secrets = [secret]
    stack.enqueue(make_alert())
    run(stack)
    ours = [r for r in caplog.records if not r.name.startswith("werkzeug")]  # the receiver's
    logged = " ".join(str(record.__dict__) for record in ours)
    assert "delivery failed" in logged
    assert secret not in logged
    assert "private-token-path" not in logged


def test_a_body_that_is_not_an_alert_fails_its_record_only(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    slack = SlackReceiver()
    stack.subscribe("slack", serve(httpserver, "/slack", slack), "sub-s")
    stack.sqs.send_message(QueueUrl=stack.queue_url, MessageBody='{"not": "an alert"}')
    stack.enqueue(make_alert())
    event = stack.receive_event()
    bad = [r["messageId"] for r in event["Records"] if "not" in r["body"]]
    result: Any = deliver.handler(event, FakeContext())  # type: ignore[arg-type]
    # left on the queue: the redrive parks it in the DLQ after MAX_RECEIVES
    assert [item["itemIdentifier"] for item in result["batchItemFailures"]] == bad
    assert len(slack.received) == 1


def test_a_send_in_flight_elsewhere_is_retried_later_and_a_dead_one_taken_over(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    slack = SlackReceiver()
    stack.subscribe("slack", serve(httpserver, "/slack", slack), "sub-s")
    alert = make_alert()
    stack.log.claim(alert.id, "sub-s", datetime.now(UTC))  # another invocation is sending
    stack.enqueue(alert)
    assert len(run(stack)) == 1
    assert slack.received == []
    boto3.client("dynamodb", region_name="us-east-1").update_item(  # its lease runs out
        TableName="NotificationsTable",
        Key={"pk": {"S": alert.id}, "sk": {"S": "sub-s"}},
        UpdateExpression="SET lease_until = :gone",
        ExpressionAttributeValues={":gone": {"N": "0"}},
    )
    assert run(stack) == []  # that claim's lease ran out: its owner died, this one sends
    assert len(slack.received) == 1


def test_a_poisoned_subscription_among_five_holds_up_none_of_the_others(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    """A webhook whose signing secret was edited by hand into something that is not JSON
    fails with an error no sender expects; the other four still get the alert in the same
    pass, the bad one is recorded, counted and disabled by its own run, nothing reaches the
    DLQ."""
    stack.subscribe("webhook", serve(httpserver, "/poisoned", WebhookReceiver([])), "sub-0")
    boto3.client("secretsmanager", region_name="us-east-1").put_secret_value(
        SecretId=f"{SECRETS_PREFIX}sub-0", SecretString="{not json"
    )
    slacks = [SlackReceiver() for _ in range(2)]
    hooks = [WebhookReceiver([]) for _ in range(2)]
    for n, slack in enumerate(slacks, start=1):
        stack.subscribe("slack", serve(httpserver, f"/slack{n}", slack), f"sub-{n}")
    for n, hook in enumerate(hooks, start=3):
        hook.secrets = [stack.subscribe("webhook", serve(httpserver, f"/hook{n}", hook),
                                        f"sub-{n}") or ""]  # fmt: skip
    for n in range(4):  # MAX_CONSECUTIVE_FAILURES is 4 here
        alert = make_alert(id=f"alert-{n}")
        stack.enqueue(alert)
        assert run(stack) == []  # the record succeeds: nothing to retry, nothing to the DLQ
        record = stack.notifications(alert.id)
        assert [record[f"sub-{k}"].status for k in range(1, 5)] == ["sent"] * 4
        assert (record["sub-0"].status, record["sub-0"].reason) == (
            "failed", "unexpected: JSONDecodeError")  # fmt: skip
    assert [len(r.received) for r in (*slacks, *hooks)] == [4, 4, 4, 4]
    poisoned = stack.subscriptions.get("sub-0")
    assert poisoned is not None and poisoned.status == "disabled"
    assert poisoned.status_reason == "4 consecutive failures: unexpected: JSONDecodeError"
    assert stack.receive_event()["Records"] == [] and stack.dead_letters() == []


def test_alerts_go_at_once_only_as_each_subscriptions_delivery_mode_says(
    stack: DeliveryStack, httpserver: HTTPServer
) -> None:
    from tensionwatch.subscriptions import Delivery

    schedule = {"digest": {"at": "08:00", "timezone": "Europe/London"}}
    modes = {"now": {"mode": "immediate"}, "digest": {"mode": "digest", **schedule},
             "both": {"mode": "both", "at_once_from": "critical", **schedule}}  # fmt: skip
    got: dict[str, SlackReceiver] = {}
    for name, mode in modes.items():
        got[name] = SlackReceiver()
        stack.subscribe("slack", serve(httpserver, f"/{name}", got[name]), f"sub-{name}")
        saved = stack.subscriptions.get(f"sub-{name}")
        assert saved is not None
        stack.subscriptions.put(
            saved.model_copy(update={"delivery": Delivery.model_validate(mode)})
        )
    stack.enqueue(make_alert("JP-KR", severity="critical"))
    stack.enqueue(make_alert("CN-US", severity="warning"))
    assert run(stack) == []
    heads = {name: sorted(r["blocks"][0]["text"]["text"].split()[1] for r in receiver.received)
             for name, receiver in got.items()}  # fmt: skip
    assert heads == {"now": ["CN-US", "JP-KR"], "digest": [], "both": ["JP-KR"]}
