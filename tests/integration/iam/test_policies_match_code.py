"""Each function's IAM policy in template.yaml allows exactly the AWS calls its code can make.

A missing permission is an AccessDenied on AWS that moto never shows (moto lets every call
through); a surplus one is privilege nobody uses. Both fail here, naming the pair.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

import pytest
from tests.integration.iam.code_calls import (
    EVENT_QUEUE,
    FunctionCalls,
    adapters,
    function_calls,
    reachable,
)
from tests.integration.iam.template_policies import granted
from tests.integration.test_template_contract import (
    FUNCTION,
    environment,
    props,
    resources,
    settings_model,
    sqs_events,
    template,
)

from tensionwatch.sources.config import bundled_sources_text

FUNCTIONS = sorted(resources(FUNCTION))
Calls = set[tuple[str, str]]


def parameter_prefix() -> str:
    """The SSM path every parameter the functions read lives under (`/tensionwatch/`)."""
    pattern = template()["Parameters"]["SourcesParameterName"]["AllowedPattern"]
    found = re.search(r"\|(/[a-z]+/)", pattern)
    assert found, pattern
    return found.group(1)


@cache
def found_calls(function: str) -> FunctionCalls:
    handler = str(props(function)["Handler"]).rpartition(".")[0]
    return function_calls(handler, settings_model(function).__name__, environment(function),
                          parameter_prefix())  # fmt: skip


def needed(function: str) -> Calls:
    """What the function's code can call, its event's queue named as the template names it."""
    found = found_calls(function)
    queues = [event["Queue"]["Fn::GetAtt"][0] for event in sqs_events(function)]
    return {
        (action, queue)
        for action, resource in found.calls
        for queue in (queues if resource == EVENT_QUEUE else [resource])
    }


def differences(code: Calls, policy: Calls) -> dict[str, list[tuple[str, str]]]:
    return {"missing": sorted(code - policy), "surplus": sorted(policy - code)}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_the_policy_allows_exactly_the_calls_the_code_makes(function: str) -> None:
    policy = granted(props(function)["Policies"])
    assert differences(needed(function), policy) == {"missing": [], "surplus": []}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_removing_any_permission_is_reported_missing(function: str) -> None:
    policy = granted(props(function)["Policies"])
    for pair in sorted(policy):
        assert differences(needed(function), policy - {pair})["missing"] == [pair]


def test_a_pending_email_subscription_can_be_muted_by_the_api() -> None:
    # DELETE /subscriptions/{id}: SNS refuses to unsubscribe a pending address, so the API
    # sets its filter policy instead; without this permission AWS answers AccessDenied (500).
    assert ("sns:SetSubscriptionAttributes", "AlertsTopic:*") in needed("ApiFunction")
    assert ("sns:SetSubscriptionAttributes", "AlertsTopic:*") in granted(
        props("ApiFunction")["Policies"]
    )


def test_the_reading_sees_through_protocols_helpers_and_lazy_imports() -> None:
    # plan_queue(memory: StoryMemory) reads the band slots through ddb.query_all; the deliver
    # handler imports its wiring inside a function; DeliveryRetries acts on the event's queue.
    assert ("dynamodb:Query", "ArticlesTable") in needed("PollFunction")
    assert ("sqs:ChangeMessageVisibility", "DeliveryQueue") in needed("DeliverFunction")
    assert ("dynamodb:PutItem", "AlertsTable") in needed("ScoreFunction")  # transaction items
    assert not any(action == "dynamodb:Scan" for action, _ in needed("DeliverFunction"))
    assert not any(action == "dynamodb:DeleteItem" for action, _ in needed("PollFunction"))
    # Queues built through an alias of their class (ScoreQueue = ModelQueue); an adapter given
    # two tables (DigestReads: the pairs' and the alerts'); the poll's per-source state.
    assert ("sqs:SendMessage", "ScoreQueue") in needed("PollFunction")
    assert ("sqs:SendMessage", "DigestQueue") in needed("DigestFunction")
    assert ("dynamodb:Query", "AlertsTable") in needed("DigestFunction")
    assert ("dynamodb:PutItem", "CursorsTable") in needed("PollFunction")
    # One class built twice for one function (the ScoreQueue and the tick's PollQueue), and
    # the source's lease taken with a conditional update.
    assert ("sqs:SendMessage", "PollQueue") in needed("PollFunction")
    assert ("dynamodb:UpdateItem", "CursorsTable") in needed("PollFunction")


def test_every_adapter_is_built_for_some_function_with_a_resource() -> None:
    # An adapter the reading cannot bind to a resource would drop its calls unseen.
    found = [found_calls(function) for function in FUNCTIONS]
    assert all(calls.calls for calls in found), "a function with no AWS call: the reading broke"
    bound = {adapter for calls in found for adapter in calls.bound}
    assert bound == set(adapters())


def test_no_handler_loads_the_offline_stack() -> None:
    for function in FUNCTIONS:
        handler = str(props(function)["Handler"]).rpartition(".")[0]
        assert not any(name.startswith("tensionwatch.local") for name in reachable(handler))


def test_every_ssm_parameter_read_lives_under_the_granted_path() -> None:
    prefix = parameter_prefix()
    sources = tomllib.loads(bundled_sources_text())
    names = [
        value
        for entries in sources.values()
        if isinstance(entries, list)
        for entry in entries
        for key, value in entry.items()
        if key.endswith("_parameter")
    ]
    assert names, "the bundled sources name their key parameters"
    assert all(name.startswith(prefix) for name in names)
