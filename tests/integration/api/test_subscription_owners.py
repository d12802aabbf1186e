"""Each subscription belongs to the IAM principal that created it: a caller lists, reads,
deletes, tests, rotates and enables only its own; an admin principal sees every one."""

from __future__ import annotations

from datetime import timedelta

from pytest_httpserver import HTTPServer

from tensionwatch.subscriptions import Subscription
from tests.factories import T0
from tests.integration.api.client import call
from tests.integration.api.conftest import ApiWorld
from tests.integration.delivery.receivers import WebhookReceiver, serve

ALICE = "arn:aws:iam::123456789012:user/alice"
BOB = "arn:aws:iam::123456789012:user/bob"
OPS_ROLE = "arn:aws:iam::123456789012:role/ops/TensionWatchAdmin"  # with a path, as IAM shows it
# What API Gateway puts in the request context when a session of that role signs the request.
OPS_SESSION = "arn:aws:sts::123456789012:assumed-role/TensionWatchAdmin/jane@example.com"
WRITER_SESSION = "arn:aws:sts::123456789012:assumed-role/AlertWriter/ci-run-17"
WRITER_ROLE = "arn:aws:iam::123456789012:role/AlertWriter"


def _create(caller: str, url: str = "https://hooks.example.com/tension") -> dict[str, str]:
    created = call("POST", "/subscriptions", {"channel": "webhook", "target": url}, caller=caller)
    assert created.status == 201, created.body
    body: dict[str, str] = created.body
    return body


def test_a_caller_cannot_see_or_change_another_callers_subscription(
    world: ApiWorld, httpserver: HTTPServer
) -> None:
    receiver = WebhookReceiver([])
    mine = _create(ALICE, serve(httpserver, "/hook", receiver))
    receiver.secrets = [mine["secret"]]
    assert mine["owner"] == ALICE
    assert call("GET", "/subscriptions", caller=BOB).body == []
    for method, path in [("GET", ""), ("POST", "/test"), ("POST", "/secret"),
                         ("POST", "/enable"), ("DELETE", "")]:  # fmt: skip
        reply = call(method, f"/subscriptions/{mine['id']}{path}", caller=BOB)
        assert reply.status == 404, (method, path, reply.body)  # not 403: no id is confirmed
        assert "secret" not in reply.body
    assert receiver.received == []
    assert world.services.secrets.signing_secrets(mine["id"], world.services.clock()) == [
        mine["secret"]
    ]
    assert [s["id"] for s in call("GET", "/subscriptions", caller=ALICE).body] == [mine["id"]]
    assert call("POST", f"/subscriptions/{mine['id']}/test", caller=ALICE).status == 200
    assert call("DELETE", f"/subscriptions/{mine['id']}", caller=ALICE).status == 204


def test_an_admin_role_session_sees_and_changes_every_subscription(world: ApiWorld) -> None:
    world.services.admins = frozenset({OPS_ROLE})
    alices, bobs = _create(ALICE), _create(BOB)
    listed = call("GET", "/subscriptions", caller=OPS_SESSION)
    assert sorted(s["id"] for s in listed.body) == sorted([alices["id"], bobs["id"]])
    assert call("GET", f"/subscriptions/{bobs['id']}", caller=OPS_SESSION).body["owner"] == BOB
    assert call("POST", f"/subscriptions/{bobs['id']}/secret", caller=OPS_SESSION).status == 200
    assert call("DELETE", f"/subscriptions/{alices['id']}", caller=OPS_SESSION).status == 204
    assert [s["id"] for s in call("GET", "/subscriptions", caller=BOB).body] == [bobs["id"]]
    # the admin's own requests are its own; it is no owner of the others'
    assert call("GET", "/subscriptions", caller=ALICE).body == []


def test_a_role_owns_what_any_of_its_sessions_created(world: ApiWorld) -> None:
    created = _create(WRITER_SESSION)
    assert created["owner"] == WRITER_ROLE  # session names are the caller's choice, not an id
    other_session = WRITER_SESSION.replace("ci-run-17", "ci-run-18")
    assert call("GET", f"/subscriptions/{created['id']}", caller=other_session).status == 200
    assert call("GET", "/subscriptions", caller=ALICE).body == []


def test_a_subscription_without_a_recorded_owner_is_for_admins_only(world: ApiWorld) -> None:
    legacy = Subscription(id="sub_legacy", channel="email", target="desk@example.org",
                          created_at=T0 - timedelta(days=90))  # fmt: skip
    world.services.subscriptions.put(legacy)  # written before owners were recorded
    assert call("GET", "/subscriptions", caller=ALICE).body == []
    assert call("GET", "/subscriptions/sub_legacy", caller=ALICE).status == 404
    assert call("DELETE", "/subscriptions/sub_legacy", caller=ALICE).status == 404
    world.services.admins = frozenset({OPS_ROLE})
    [shown] = call("GET", "/subscriptions", caller=OPS_SESSION).body
    assert (shown["id"], shown["owner"]) == ("sub_legacy", None)


def test_a_request_without_an_iam_principal_is_refused(world: ApiWorld) -> None:
    _create(ALICE)
    for method, path, body in [("GET", "/subscriptions", None),
                               ("POST", "/subscriptions",
                                {"channel": "email", "target": "a@example.org"})]:  # fmt: skip
        reply = call(method, path, body, caller=None)
        assert reply.status == 403, reply.body
        assert reply.body["message"] == "no IAM principal in the request"
