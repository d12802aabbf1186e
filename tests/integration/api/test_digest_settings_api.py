"""Digest settings through the API: validated with a reason, owned like the rest of the
subscription, and an email subscription's SNS policy kept in step."""

from __future__ import annotations

import json

import pytest

from tests.integration.api.client import OPS, call
from tests.integration.api.conftest import ApiWorld

OTHER = "arn:aws:iam::123456789012:user/someone-else"
DAILY = {"mode": "digest", "digest": {"cadence": "daily", "at": "08:00",
                                      "timezone": "Europe/London"}}  # fmt: skip


def create(channel: str, target: str, **body: object) -> dict[str, object]:
    reply = call("POST", "/subscriptions", {"channel": channel, "target": target, **body})
    assert reply.status == 201, reply.body
    created: dict[str, object] = reply.body
    return created


@pytest.mark.parametrize(
    ("delivery", "field", "why"),
    [
        ({"mode": "digest"}, "delivery.digest", "needs a digest schedule"),
        ({"mode": "digest", "digest": {"timezone": "Europe/Londres"}}, "delivery.digest.timezone",
         "IANA"),
        ({"mode": "digest", "digest": {"at": "8:05"}}, "delivery.digest.at", "HH:MM"),
        ({"mode": "digest", "digest": {"at": "08:05"}}, "delivery.digest.at", "quarter hour"),
        ({"mode": "both", "digest": {"cadence": "weekly"}}, "delivery.digest.weekday",
         "needs a weekday"),
        ({"mode": "immediate", "digest": {}}, "delivery.digest", "takes no digest schedule"),
        ({"mode": "hourly"}, "delivery.mode", ""),
    ],
)  # fmt: skip
def test_a_bad_digest_schedule_is_a_422_naming_the_field_and_the_rule(
    world: ApiWorld, delivery: dict[str, object], field: str, why: str
) -> None:
    body = {"channel": "slack", "target": "https://hooks.slack.com/services/T/B/x",
            "delivery": delivery}  # fmt: skip
    reply = call("POST", "/subscriptions", body)
    assert reply.status == 422
    assert reply.body["errors"][0]["field"] == field
    assert why in reply.body["errors"][0]["message"]


def test_a_subscription_keeps_its_digest_settings_and_shows_them(world: ApiWorld) -> None:
    created = create("slack", "https://hooks.slack.com/services/T/B/x", delivery=DAILY)
    shown = call("GET", f"/subscriptions/{created['id']}").body
    assert shown["delivery"]["mode"] == "digest"
    assert shown["delivery"]["digest"]["timezone"] == "Europe/London"
    assert shown["delivery"]["when_quiet"] == "one_line"


def test_only_the_owner_changes_digest_settings(world: ApiWorld) -> None:
    created = create("slack", "https://hooks.slack.com/services/T/B/x")
    path = f"/subscriptions/{created['id']}/delivery"
    assert call("PUT", path, DAILY, caller=OTHER).status == 404, "another's id: as unknown"
    assert call("GET", f"/subscriptions/{created['id']}").body["delivery"]["mode"] == "immediate"
    changed = call("PUT", path, DAILY, caller=OPS)
    assert changed.status == 200
    assert changed.body["delivery"]["mode"] == "digest"
    assert call("PUT", "/subscriptions/sub_unknown/delivery", DAILY).status == 404


def policy_of(world: ApiWorld, subscription_id: str) -> dict[str, object]:
    found = call("GET", f"/subscriptions/{subscription_id}")
    assert found.status == 200
    subs = world.sns.list_subscriptions_by_topic(TopicArn=world.topic_arn)["Subscriptions"]
    attributes = world.sns.get_subscription_attributes(SubscriptionArn=subs[0]["SubscriptionArn"])
    policy: dict[str, object] = json.loads(attributes["Attributes"]["FilterPolicy"])
    return policy


def test_an_email_subscriptions_policy_follows_its_delivery_mode(world: ApiWorld) -> None:
    created = create("email", "desk@example.com", filter={"dyads": ["GR-TR"]})
    sub_id = str(created["id"])
    assert policy_of(world, sub_id)["kind"] == ["state_change", "flash"]
    both = {**DAILY, "mode": "both", "at_once_from": "critical"}
    assert call("PUT", f"/subscriptions/{sub_id}/delivery", both).status == 200
    policy = policy_of(world, sub_id)
    assert policy["kind"] == ["state_change", "flash", f"digest:{sub_id}"]
    assert policy["severity"] == ["critical"], "only critical alerts go at once"
    assert call("PUT", f"/subscriptions/{sub_id}/delivery", DAILY).status == 200
    assert policy_of(world, sub_id) == {"kind": [f"digest:{sub_id}"]}


def test_an_email_digest_policy_sns_would_refuse_is_a_clear_error(world: ApiWorld) -> None:
    dyads = [f"A{chr(65 + i)}-ZZ" for i in range(25)]
    spec = {"dyads": dyads, "directions": ["thaw", "escalation"], "min_severity": "critical"}
    created = create("email", "desk@example.com", filter=spec)  # 25 x 2 x 1 x 2 kinds = 100
    both = {**DAILY, "mode": "both"}  # one more kind (its digests): 150, the most SNS takes
    assert call("PUT", f"/subscriptions/{created['id']}/delivery", both).status == 200
    reply = call("POST", "/subscriptions", {"channel": "email", "target": "b@example.com",
                                            "filter": {**spec, "dyads": [*dyads, "ZY-ZZ"]},
                                            "delivery": both})  # fmt: skip
    assert reply.status == 422
    assert reply.body["errors"][0]["field"] == "delivery"
    assert "SNS allows 150" in reply.body["errors"][0]["message"]


def test_schemas_are_listed_and_served_as_published(world: ApiWorld) -> None:
    from tests.contracts import SCHEMAS

    listed = call("GET", "/schemas")
    assert listed.status == 200
    assert listed.body["schemas"] == ["alert.v2", "digest.v1", "webhook.v1"]
    for name in listed.body["schemas"]:
        served = call("GET", f"/schemas/{name}")
        assert served.status == 200
        assert served.body == json.loads((SCHEMAS / f"{name}.json").read_text())
    assert call("GET", "/schemas/digest").body["$id"] == "/schemas/digest.v1"
    missing = call("GET", "/schemas/invoice.v9")
    assert missing.status == 404
    assert "GET /schemas" in missing.body["message"]
