"""Hostile SQS bodies and API requests through the real handlers on the offline stack: no
exception escapes a handler, and only the bad records of a batch are reported failed."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tensionwatch.local.lambda_events import http_api_event, sqs_event
from tensionwatch.local.runner import Runner
from tensionwatch.local.stack import REGION
from tensionwatch.models import Alert
from tests.factories import make_alert, make_article
from tests.fuzz import strategies as s
from tests.fuzz.conftest import RENEW_EVERY, renew
from tests.fuzz.strategies import FUZZ

bodies = st.one_of(
    s.hostile_text,
    s.any_json.map(json.dumps),
    # near-valid: a real article or alert with one field replaced by hostile JSON
    st.builds(
        lambda d, k, v: json.dumps({**d, k: v}),
        st.just(json.loads(make_article().model_dump_json())),
        st.sampled_from(["id", "url", "title", "published_at", "story_id", "source"]),
        s.any_json,
    ),
    st.builds(
        lambda d, k, v: json.dumps({**d, k: v}),
        st.just(json.loads(make_alert().model_dump_json())),
        st.sampled_from(
            [
                "id",
                "dyad",
                "countries",
                "kind",
                "direction",
                "fired_at",
                "schema_version",
                "evidence",
            ]
        ),
        s.any_json,
    ),
)


def _message(body: str) -> dict[str, Any]:
    return {
        "MessageId": str(uuid.uuid4()),
        "ReceiptHandle": uuid.uuid4().hex,
        "Body": body,
        "Attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1",
            "ApproximateFirstReceiveTimestamp": "1",
            "SenderId": "fuzz",
        },
    }


def _batch(runner: Runner, function: str, queue: str, good: str, bad: str) -> set[str]:
    """Run [good, bad] through the function; returns the failed ids, asserting none escape."""
    messages = [_message(good), _message(bad)]
    event = sqs_event(messages, runner.stack.queue_arns[queue], REGION)
    result = runner.invoke(function, event)
    failed = {item["itemIdentifier"] for item in result["batchItemFailures"]}
    assert messages[0]["MessageId"] not in failed, "a good record failed beside a bad one"
    return failed


_scored = itertools.count(1)


@FUZZ
@given(bodies)
def test_score_handler_fails_only_the_hostile_record(runner: Runner, body: str) -> None:
    if next(_scored) % RENEW_EVERY == 0:
        renew(runner)
    good = make_article(url=f"https://a.example/{uuid.uuid4().hex}").model_dump_json()
    _batch(runner, "ScoreFunction", "ScoreQueue", good, body)


@FUZZ
@given(bodies)
def test_deliver_handler_fails_only_the_hostile_record(runner: Runner, body: str) -> None:
    good = make_alert(id=uuid.uuid4().hex[:24]).model_dump_json()
    failed = _batch(runner, "DeliverFunction", "DeliveryQueue", good, body)
    try:
        Alert.model_validate_json(body)
        valid = True
    except ValueError:
        valid = False
    assert valid or failed, "an unparseable body must fail (and reach the DLQ), not vanish"


methods = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"])
paths = st.one_of(
    st.sampled_from(
        [
            "/subscriptions",
            "/silences",
            "/alerts",
            "/dyads/GR-TR",
            "/dyads/x",
            "/subscriptions/" + "a" * 40,
            "/silences/../../etc",
            "/",
            "/%00",
        ]
    ),
    s.hostile_text.map(lambda t: "/" + t.replace("?", "")),
)
request_bodies = st.one_of(
    st.none(),
    s.any_json,
    st.fixed_dictionaries(
        {
            "channel": st.sampled_from(["slack", "webhook", "email", "x"]),
            "target": s.maybe_url,
            "filter": s.any_json,
        }
    ),
    st.fixed_dictionaries({"dyad": s.maybe_text, "until": s.maybe_date, "reason": s.maybe_text}),
)


@FUZZ
@given(
    methods,
    paths,
    request_bodies,
    st.dictionaries(
        st.sampled_from(["since", "dyad", "limit", "cursor"]), s.hostile_text, max_size=3
    ),
)
def test_api_answers_every_request_with_a_status_never_a_crash(
    runner: Runner, method: str, path: str, body: Any, query: dict[str, str]
) -> None:
    query = {k: v.replace("&", "").replace("=", "") for k, v in query.items()}
    answer = runner.invoke("ApiFunction", http_api_event(method, path, body, query=query))
    assert isinstance(answer["statusCode"], int) and answer["statusCode"] < 500, answer


@FUZZ
@given(st.sampled_from(["slack", "webhook"]), s.hostile_url)
def test_api_refuses_every_target_with_whitespace_control_or_bidi_characters(
    runner: Runner, channel: str, url: str
) -> None:
    body = {"channel": channel, "target": url}
    answer = runner.invoke("ApiFunction", http_api_event("POST", "/subscriptions", body))
    assert 400 <= answer["statusCode"] < 500, answer
    assert "/services/T/B/X" not in answer["body"], "the refused target was echoed"
