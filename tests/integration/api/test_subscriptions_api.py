"""/subscriptions through API Gateway HTTP API events."""

from __future__ import annotations

import json

from pytest_httpserver import HTTPServer

from tensionwatch.subscriptions import SubscriptionFilter, sns_filter_policy
from tests.integration.api.client import call, canned, send
from tests.integration.api.conftest import ApiWorld
from tests.integration.delivery.receivers import SlackReceiver, WebhookReceiver, serve


def test_webhook_subscription_returns_its_secret_once_and_masks_the_url(world: ApiWorld) -> None:
    created = send(canned("api_create_webhook_subscription.json"))
    assert created.status == 201
    assert created.body["secret"].startswith("whsec_")
    assert created.body["target"] == "https://hooks.example.com/…"
    assert created.body["filter"]["dyads"] == ["JP-KR"]
    again = call("GET", f"/subscriptions/{created.body['id']}")
    assert again.status == 200
    assert "secret" not in again.body
    assert world.services.secrets.signing_secrets(created.body["id"], world.services.clock()) == [
        created.body["secret"]
    ]


def test_email_subscription_is_pending_with_the_generated_filter_policy_in_sns(
    world: ApiWorld,
) -> None:
    spec = {"countries": ["cn"], "directions": ["escalation"], "min_severity": "critical"}
    created = call("POST", "/subscriptions",
                   {"channel": "email", "target": "ops@example.org", "filter": spec})  # fmt: skip
    assert created.status == 201
    assert created.body["status"] == "pending"
    [sub] = world.sns.list_subscriptions_by_topic(TopicArn=world.topic_arn)["Subscriptions"]
    assert (sub["Protocol"], sub["Endpoint"]) == ("email", "ops@example.org")
    attributes = world.sns.get_subscription_attributes(SubscriptionArn=sub["SubscriptionArn"])
    policy = json.loads(attributes["Attributes"]["FilterPolicy"])
    assert policy == sns_filter_policy(SubscriptionFilter(**spec))
    assert policy["countries"] == ["CN"]
    assert attributes["Attributes"]["FilterPolicyScope"] == "MessageAttributes"
    # moto confirms at once; a GET picks that up from SNS
    assert call("GET", f"/subscriptions/{created.body['id']}").body["status"] == "active"


def test_invalid_requests_get_4xx_naming_the_field(world: ApiWorld) -> None:
    cases = [
        ({"target": "ops@example.org"}, "channel"),
        ({"channel": "pager", "target": "x@y.z"}, "channel"),
        ({"channel": "email", "target": "not-an-address"}, "target"),
        ({"channel": "webhook", "target": "ftp://x.example/h"}, "target"),
        ({"channel": "slack", "target": "https://x.example/h", "filter": {"dyads": ["XX"]}},
         "filter.dyads.0"),
        ({"channel": "email", "target": "a@b.co", "colour": "red"}, "colour"),
    ]  # fmt: skip
    for body, field in cases:
        reply = call("POST", "/subscriptions", body)
        assert reply.status == 422, body
        assert field in [e["field"] for e in reply.body["errors"]], reply.body
        assert field in reply.body["message"]
    assert call("POST", "/subscriptions", "{not json").status in {400, 422}


def test_unsafe_targets_are_refused_naming_the_target(world: ApiWorld) -> None:
    for channel, url in [("webhook", "https://10.0.0.1/hook"),
                         ("webhook", "http://169.254.169.254/latest"),
                         ("slack", "https://unknown.example/services/x")]:  # fmt: skip
        reply = call("POST", "/subscriptions", {"channel": channel, "target": url})
        assert reply.status == 400, url
        assert reply.body["message"].startswith("target: unsafe target")


def test_list_get_delete_and_unknown_ids(world: ApiWorld) -> None:
    one = call("POST", "/subscriptions", {"channel": "email", "target": "a@example.org"}).body
    two = send(canned("api_create_webhook_subscription.json")).body
    listed = call("GET", "/subscriptions")
    assert sorted(s["id"] for s in listed.body) == sorted([one["id"], two["id"]])
    assert call("DELETE", f"/subscriptions/{one['id']}").status == 204
    assert world.sns.list_subscriptions_by_topic(TopicArn=world.topic_arn)["Subscriptions"] == []
    assert call("DELETE", f"/subscriptions/{two['id']}").status == 204
    assert world.secrets_client.list_secrets()["SecretList"] == []
    assert call("GET", f"/subscriptions/{one['id']}").status == 404
    assert call("DELETE", f"/subscriptions/{one['id']}").status == 404
    assert call("POST", "/subscriptions/nope/test").status == 404
    assert "nope" in call("GET", "/subscriptions/nope").body["message"]


def test_test_send_reaches_a_real_webhook_marked_as_test(
    world: ApiWorld, httpserver: HTTPServer
) -> None:
    receiver = WebhookReceiver([])
    url = serve(httpserver, "/hook", receiver)
    created = call("POST", "/subscriptions", {"channel": "webhook", "target": url}).body
    receiver.secrets = [created["secret"]]
    reply = call("POST", f"/subscriptions/{created['id']}/test")
    assert reply.status == 200
    assert reply.body["delivered"] is True
    assert receiver.received[0]["type"] == "test"
    assert "Test notification" in receiver.received[0]["data"]["rationale"]


def test_test_send_to_slack_is_marked_and_failures_are_reported(
    world: ApiWorld, httpserver: HTTPServer
) -> None:
    slack = SlackReceiver(answers=[(404, "no_service", {})])
    url = serve(httpserver, "/services/T/B/X", slack)
    created = call("POST", "/subscriptions", {"channel": "slack", "target": url}).body
    failed = call("POST", f"/subscriptions/{created['id']}/test")
    assert failed.status == 502
    assert failed.body["message"] == "test delivery failed: Slack: no_service"
    assert call("POST", f"/subscriptions/{created['id']}/test").status == 200
    assert slack.received[0]["text"].startswith("[TEST]")


def test_email_test_send_is_refused_naming_the_channel(world: ApiWorld) -> None:
    created = call("POST", "/subscriptions", {"channel": "email", "target": "a@example.org"}).body
    reply = call("POST", f"/subscriptions/{created['id']}/test")
    assert reply.status == 400
    assert reply.body["message"].startswith("channel:")


def test_rotated_secret_signs_alongside_the_old_one(
    world: ApiWorld, httpserver: HTTPServer
) -> None:
    receiver = WebhookReceiver([])
    url = serve(httpserver, "/hook", receiver)
    created = call("POST", "/subscriptions", {"channel": "webhook", "target": url}).body
    rotated = call("POST", f"/subscriptions/{created['id']}/secret")
    assert rotated.status == 200
    receiver.secrets = [created["secret"], rotated.body["secret"]]
    assert call("POST", f"/subscriptions/{created['id']}/test").status == 200
    assert receiver.verified_by == [[True, True]]  # either secret alone verifies


def test_disabled_subscription_can_be_enabled_again(world: ApiWorld) -> None:
    created = send(canned("api_create_webhook_subscription.json")).body
    world.services.subscriptions.set_status(created["id"], "disabled", "HTTP 410: target gone")
    assert call("GET", f"/subscriptions/{created['id']}").body["status"] == "disabled"
    enabled = call("POST", f"/subscriptions/{created['id']}/enable")
    assert (enabled.status, enabled.body["status"]) == (200, "active")
    assert call("GET", f"/subscriptions/{created['id']}").body["status_reason"] == ""


def test_no_answer_shows_a_targets_query_or_fragment(world: ApiWorld) -> None:
    # A fragment is refused when subscribing (strict targets); its masking is unit-tested.
    target = "https://hooks.example.com/tension?token=s3cr3t"
    created = call("POST", "/subscriptions", {"channel": "webhook", "target": target})
    assert created.status == 201
    answers = [created.body, call("GET", "/subscriptions").body,
               call("GET", f"/subscriptions/{created.body['id']}").body]  # fmt: skip
    assert created.body["target"] == "https://hooks.example.com/…"
    assert all("s3cr3t" not in json.dumps(answer) for answer in answers)
