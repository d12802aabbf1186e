"""`template.yaml` against the code it deploys: handlers, settings, queues, tables, policies.

The template is parsed with a loader that reads CloudFormation's short tags (`!Ref X` becomes
`{"Ref": "X"}`), so every check sees the long forms CloudFormation itself evaluates.
"""

from __future__ import annotations

import importlib
import json
import re
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, get_args

import pytest
from cfnlint.api import ManualArgs, lint_file  # type: ignore[import-untyped]

from tensionwatch import config
from tensionwatch.local.template import load_template
from tensionwatch.models import AlertKind

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
FUNCTION = "AWS::Serverless::Function"
QUEUE = "AWS::SQS::Queue"
TABLE = "AWS::DynamoDB::Table"
# Variables every function gets from Globals for Powertools; not part of any settings model.
POWERTOOLS_ENV = {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE"}
VISIBILITY_FACTOR = 6  # AWS: queue visibility timeout >= 6x the consuming function's timeout
# Receives before the redrive to a DLQ, per queue: scoring is retried briefly (a poison article
# is a poison article); deliveries ride out a receiver's outage (DeliverSettings.MAX_RECEIVES).
MAX_RECEIVES = {
    "PollQueue": 3,
    "ScoreQueue": 5,
    "DeliveryQueue": config.DeliverSettings.model_fields["MAX_RECEIVES"].default,
    "DigestQueue": config.DigestSettings.model_fields["MAX_RECEIVES"].default,
}
# Tables whose records expire (TTL on expires_at); cursors and subscriptions live until changed.
EXPIRING_TABLES = {
    "ArticlesTable", "DyadsTable", "AlertsTable", "SilencesTable", "NotificationsTable",
}  # fmt: skip
# Kept on stack deletion, with point-in-time recovery: what people made (subscriptions,
# silences) and what took weeks to learn (alerts, each pair's signal and baseline).
RECOVERABLE_TABLES = {"AlertsTable", "SubscriptionsTable", "DyadsTable", "SilencesTable"}
STATEFUL = ("AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::Logs::LogGroup")
CFN_LINT_IGNORES: list[str] = []  # none needed; add a rule id here with the reason beside it


@cache
def template() -> dict[str, Any]:
    return load_template(TEMPLATE)  # the offline stack's reader: one parse of the CFN tags


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {name: spec for name, spec in template()["Resources"].items() if spec["Type"] == kind}


def props(name: str) -> dict[str, Any]:
    properties: dict[str, Any] = template()["Resources"][name].get("Properties", {})
    return properties


def global_function(key: str) -> Any:
    return template().get("Globals", {}).get("Function", {}).get(key)


def function_timeout(name: str) -> int:
    return int(props(name).get("Timeout", global_function("Timeout") or 3))


def placeholder(value: Any) -> Any:
    """Intrinsics resolved to readable strings (parameters to their defaults)."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, arg),) = value.items()
        parameters = template().get("Parameters", {})
        if key == "Ref":
            return str(parameters[arg].get("Default", "")) if arg in parameters else f"{arg}-ref"
        if key == "Fn::GetAtt":
            return ".".join(arg)
        if key == "Fn::Sub":
            text = arg if isinstance(arg, str) else arg[0]
            return re.sub(r"\$\{([^}]+)\}", lambda m: placeholder({"Ref": m.group(1)}), text)
    return value if not isinstance(value, dict | list) else json.dumps(value)


def environment(name: str) -> dict[str, Any]:
    """The function's variables as Lambda gets them: Globals merged with its own."""
    shared = (global_function("Environment") or {}).get("Variables", {})
    own = props(name).get("Environment", {}).get("Variables", {})
    return {**shared, **own}


def handler_name(function: str) -> str:
    """`poll` for `tensionwatch.handlers.poll.handler`."""
    return str(props(function)["Handler"]).split(".")[-2]


def settings_model(function: str) -> type[config.Settings]:
    model: type[config.Settings] = getattr(config, f"{handler_name(function).title()}Settings")
    return model


def sqs_events(function: str) -> Iterator[dict[str, Any]]:
    for event in (props(function).get("Events") or {}).values():
        if event["Type"] == "SQS":
            yield event["Properties"]


def policy_tables(function: str) -> set[str]:
    """Tables named by the function's policy statements (tests/integration/iam checks the
    actions against the code)."""
    from tests.integration.iam.template_policies import granted

    tables = resources(TABLE)
    return {resource for _, resource in granted(props(function)["Policies"]) if resource in tables}


# ------------------------------------------------------------------ whole template


def test_template_is_cfn_lint_clean() -> None:
    matches = lint_file(TEMPLATE, ManualArgs(ignore_checks=CFN_LINT_IGNORES))
    assert [str(match) for match in matches] == []


def test_globals_package_the_code_once_for_arm64_python() -> None:
    assert template()["Transform"] == "AWS::Serverless-2016-10-31"
    assert global_function("CodeUri") == "functions/"
    assert global_function("Architectures") == ["arm64"]
    assert str(global_function("Runtime")).startswith("python3.1")
    assert set(global_function("Environment")["Variables"]) >= POWERTOOLS_ENV


@pytest.mark.parametrize("function", sorted(resources(FUNCTION)))
def test_each_function_is_built_from_the_lock_by_functions_makefile(function: str) -> None:
    # `sam build` runs the target build-<Function> of functions/Makefile: one a function lacks
    # fails the build, one it does not use would package the unlocked requirements.
    assert template()["Resources"][function]["Metadata"]["BuildMethod"] == "makefile"
    makefile = (ROOT / "functions" / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^build-\S.*\bbuild-{function}\b|^build-{function}\b", makefile, re.M)


def test_the_five_functions_are_there() -> None:
    handlers = {props(name)["Handler"] for name in resources(FUNCTION)}
    assert handlers == {
        f"tensionwatch.handlers.{h}.handler" for h in ("poll", "score", "deliver", "api", "digest")
    }


# ------------------------------------------------------------------ functions


@pytest.mark.parametrize("function", sorted(resources(FUNCTION)))
def test_handler_imports(function: str) -> None:
    module, _, attribute = props(function)["Handler"].rpartition(".")
    assert "CodeUri" not in props(function), "every function shares Globals' CodeUri"
    assert callable(getattr(importlib.import_module(module), attribute))


@pytest.mark.parametrize("function", sorted(resources(FUNCTION)))
def test_environment_satisfies_the_settings_model(function: str) -> None:
    env = {key: placeholder(value) for key, value in environment(function).items()}
    model = settings_model(function)
    model.model_validate(env)  # raises naming any missing or malformed variable
    assert set(env) - POWERTOOLS_ENV <= set(model.model_fields), "variables no setting reads"


@pytest.mark.parametrize("function", sorted(resources(FUNCTION)))
def test_parameter_defaults_equal_the_settings_defaults(function: str) -> None:
    parameters = template()["Parameters"]
    fields = settings_model(function).model_fields
    for key, value in environment(function).items():
        name = value.get("Ref") if isinstance(value, dict) else None
        if name in parameters and key in fields and not fields[key].is_required():
            default = fields[key].default
            assert type(default)(parameters[name]["Default"]) == default, key


@pytest.mark.parametrize("function", sorted(resources(FUNCTION)))
def test_environment_names_the_resource_it_refers_to(function: str) -> None:
    suffixes = {"_TABLE": ("Table", TABLE), "_QUEUE_URL": ("Queue", QUEUE),
                "_TOPIC_ARN": ("Topic", "AWS::SNS::Topic")}  # fmt: skip
    for key, value in environment(function).items():
        for suffix, (logical_suffix, kind) in suffixes.items():
            if key.endswith(suffix):
                stem = key.removesuffix(suffix).title().replace("_", "")
                assert value == {"Ref": f"{stem}{logical_suffix}"}, key
                assert template()["Resources"][value["Ref"]]["Type"] == kind


@pytest.mark.parametrize("function", sorted(resources(FUNCTION)))
def test_each_function_has_its_own_policies_for_exactly_its_tables(function: str) -> None:
    assert props(function).get("Policies"), "a function without Policies gets no least privilege"
    env_tables = {v["Ref"] for k, v in environment(function).items() if k.endswith("_TABLE")}
    assert policy_tables(function) == env_tables


@pytest.mark.parametrize("function", sorted(resources(FUNCTION)))
def test_each_function_logs_to_its_own_group_with_a_retention(function: str) -> None:
    group = props(function)["LoggingConfig"]["LogGroup"]["Ref"]
    assert template()["Resources"][group]["Type"] == "AWS::Logs::LogGroup"
    assert props(group)["RetentionInDays"] > 0
    others = [props(f)["LoggingConfig"]["LogGroup"] for f in resources(FUNCTION) if f != function]
    assert {"Ref": group} not in others


@pytest.mark.parametrize("function", sorted(resources(FUNCTION)))
def test_sqs_event_sources_report_batch_item_failures(function: str) -> None:
    for event in sqs_events(function):
        assert event["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert "MaximumBatchingWindowInSeconds" in event
        # Lambda takes more than 10 records of a standard queue only with a batching window.
        assert 1 <= event["BatchSize"] <= (100 if event["MaximumBatchingWindowInSeconds"] else 10)


def test_poll_ticks_on_the_scheduler_with_the_poll_event_contract() -> None:
    from tensionwatch.pipeline.poll import PollEvent

    event = props("PollFunction")["Events"]["Schedule"]
    assert event["Type"] == "ScheduleV2"
    assert event["Properties"]["ScheduleExpression"] == {"Ref": "ScheduleRate"}
    assert template()["Parameters"]["ScheduleRate"]["Default"] == "rate(5 minutes)"
    body = json.loads(event["Properties"]["Input"])
    assert body == {"sources": None, "scheduled_time": "<aws.scheduler.scheduled-time>"}
    PollEvent.model_validate({**body, "scheduled_time": "2026-11-29T05:00:00Z"})


def test_poll_workers_take_one_source_each_with_bounded_concurrency_and_nothing_reserved() -> None:
    from tensionwatch.pipeline.poll import LATE_AFTER_SECONDS

    tasks = props("PollFunction")["Events"]["Tasks"]["Properties"]
    assert tasks["Queue"] == {"Fn::GetAtt": ["PollQueue", "Arn"]}
    assert tasks["BatchSize"] == 1  # a slow source holds one worker, never a batch behind it
    assert 2 <= tasks["ScalingConfig"]["MaximumConcurrency"] <= 50
    # A reservation fails on new accounts: the source's lease keeps polls apart instead.
    assert not any("ReservedConcurrentExecutions" in props(f) for f in resources(FUNCTION))
    assert "PollSingleFlight" not in template()["Parameters"]
    rate = re.fullmatch(
        r"rate\((\d+) minutes\)", template()["Parameters"]["ScheduleRate"]["Default"]
    )
    assert rate and int(rate.group(1)) * 60 == LATE_AFTER_SECONDS  # late = missed a tick
    assert props("PollQueueAgeAlarm")["Threshold"] == LATE_AFTER_SECONDS
    assert props("PollFunction")["EventInvokeConfig"]["MaximumRetryAttempts"] == 0


@pytest.mark.parametrize("function", ["DeliverFunction", "DigestFunction"])
def test_senders_have_time_for_a_whole_send_and_what_follows_it(function: str) -> None:
    from tensionwatch.delivery.deadline import RESERVE_SECONDS
    from tensionwatch.delivery.transport import TIMEOUT

    assert function_timeout(function) >= TIMEOUT + RESERVE_SECONDS


@pytest.mark.parametrize(
    ("function", "queue", "model"),
    [("DeliverFunction", "DeliveryQueue", config.DeliverSettings),
     ("DigestFunction", "DigestQueue", config.DigestSettings)],
)  # fmt: skip
def test_senders_give_up_on_the_receive_the_queue_redrives_after(
    function: str, queue: str, model: type[config.Settings]
) -> None:
    env = environment(function)
    redrive = props(queue)["RedrivePolicy"]["maxReceiveCount"]
    default = model.model_fields["MAX_RECEIVES"].default
    assert int(env.get("MAX_RECEIVES", default)) == redrive


def test_digests_tick_on_the_quarter_hour_the_schedules_assume() -> None:
    from tensionwatch.digests.jobs import DigestTick
    from tensionwatch.digests.schedule import TICK_MINUTES

    tick = props("DigestFunction")["Events"]["Tick"]["Properties"]
    assert tick["ScheduleExpression"] == f"cron(0/{TICK_MINUTES} * * * ? *)"
    body = json.loads(tick["Input"])
    assert body == {"scheduled_time": "<aws.scheduler.scheduled-time>"}
    DigestTick.model_validate({**body, "scheduled_time": "2026-11-29T05:00:00Z"})


# ------------------------------------------------------------------ queues and topics


def dead_letter_queues() -> set[str]:
    return {
        spec["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for spec in resources(QUEUE).values()
        if "RedrivePolicy" in spec.get("Properties", {})
    }


@pytest.mark.parametrize("queue", sorted(resources(QUEUE)))
def test_every_queue_but_a_dlq_redrives_to_a_dlq(queue: str) -> None:
    assert props(queue).get("SqsManagedSseEnabled") or props(queue).get("KmsMasterKeyId")
    if queue in dead_letter_queues():
        assert "RedrivePolicy" not in props(queue)
        return
    redrive = props(queue)["RedrivePolicy"]
    assert redrive["maxReceiveCount"] == MAX_RECEIVES[queue]
    assert redrive["deadLetterTargetArn"]["Fn::GetAtt"][0] in resources(QUEUE)


def test_visibility_is_six_times_the_consumer_timeout() -> None:
    consumers = [
        (event["Queue"]["Fn::GetAtt"][0], function)
        for function in resources(FUNCTION)
        for event in sqs_events(function)
    ]
    assert {queue for queue, _ in consumers} == set(resources(QUEUE)) - dead_letter_queues()
    for queue, function in consumers:
        assert props(queue)["VisibilityTimeout"] >= VISIBILITY_FACTOR * function_timeout(function)


def test_delivery_queue_gets_raw_alerts_from_the_topic_it_trusts() -> None:
    subscription = props("DeliveryQueueSubscription")
    assert subscription["Protocol"] == "sqs"
    assert subscription["RawMessageDelivery"] in (True, "true")
    assert subscription["TopicArn"] == {"Ref": "AlertsTopic"}
    assert subscription["Endpoint"] == {"Fn::GetAtt": ["DeliveryQueue", "Arn"]}
    # alerts only (the deliver function reads Alerts): the topic also carries email digests
    assert subscription["FilterPolicy"] == {"kind": list(get_args(AlertKind))}
    (statement,) = props("DeliveryQueuePolicy")["PolicyDocument"]["Statement"]
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == {"Ref": "AlertsTopic"}
    assert props("AlertsTopic")["KmsMasterKeyId"] == "alias/aws/sns"


# ------------------------------------------------------------------ tables


@pytest.mark.parametrize("table", sorted(resources(TABLE)))
def test_every_table_is_pk_sk_on_demand_and_encrypted(table: str) -> None:
    spec = props(table)
    assert spec["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert spec["AttributeDefinitions"] == [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "S"},
    ]  # and nothing else: no GSI or LSI keys
    assert spec["BillingMode"] == "PAY_PER_REQUEST"
    assert spec["SSESpecification"]["SSEEnabled"] is True
    ttl = spec.get("TimeToLiveSpecification")
    expected = {"AttributeName": "expires_at", "Enabled": True}
    assert ttl == (expected if table in EXPIRING_TABLES else None)
    pitr = spec.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled")
    assert bool(pitr) == (table in RECOVERABLE_TABLES)
    kept = template()["Resources"][table]["DeletionPolicy"] == "Retain"
    assert kept == (table in RECOVERABLE_TABLES)


@pytest.mark.parametrize("name", sorted(n for kind in STATEFUL for n in resources(kind)))
def test_stateful_resources_say_what_deletion_and_replacement_do(name: str) -> None:
    spec = template()["Resources"][name]
    assert spec["DeletionPolicy"] in ("Retain", "Delete")
    assert spec["UpdateReplacePolicy"] == spec["DeletionPolicy"]


def test_every_settings_table_has_a_table_and_the_stores_use_no_index() -> None:
    fields = {
        field
        for model in config.Settings.__subclasses__()
        for field in model.model_fields
        if field.endswith("_TABLE")
    }
    logical = {f.removesuffix("_TABLE").title().replace("_", "") + "Table" for f in fields}
    assert logical == set(resources(TABLE))
    stores = (ROOT / "functions" / "tensionwatch" / "store").glob("*.py")
    assert [p.name for p in stores if "IndexName" in p.read_text(encoding="utf-8")] == []


# ------------------------------------------------------------------ API and alarms


def test_every_api_route_is_iam_authorised() -> None:
    auth = props("HttpApi")["Auth"]
    assert auth["DefaultAuthorizer"] == "AWS_IAM"
    assert auth["EnableIamAuthorizer"] is True
    routes = props("ApiFunction")["Events"].values()
    assert {route["Type"] for route in routes} == {"HttpApi"}
    assert all(route["Properties"]["ApiId"] == {"Ref": "HttpApi"} for route in routes)
    assert all("Auth" not in route["Properties"] for route in routes)


def test_api_admins_are_a_template_parameter_defaulting_to_none() -> None:
    assert environment("ApiFunction")["ADMIN_PRINCIPALS"] == {"Ref": "AdminPrincipals"}
    parameter = template()["Parameters"]["AdminPrincipals"]
    assert parameter["Default"] == ""
    pattern = re.compile(parameter["AllowedPattern"])
    role, user = "arn:aws:iam::123456789012:role/Ops", "arn:aws:iam::123456789012:user/a.b@c"
    assert all(pattern.fullmatch(v) for v in ("", role, f"{role},{user}"))
    assert not any(pattern.fullmatch(v) for v in ("*", "Ops", f"{role},", "arn:aws:iam::1:role/x"))
    env = {key: placeholder(value) for key, value in environment("ApiFunction").items()}
    settings = config.ApiSettings.model_validate({**env, "ADMIN_PRINCIPALS": f"{role}, {user}"})
    assert {role, user} == settings.ADMIN_PRINCIPALS


def test_api_routes_are_exactly_the_apps_operations() -> None:
    from tensionwatch.api.app import build_app

    methods = ("get", "post", "put", "patch", "delete")
    paths = build_app().get_openapi_schema().paths or {}
    operations = {
        (method.upper(), path)
        for path, item in paths.items()
        for method in methods
        if getattr(item, method, None)
    } | {("GET", "/openapi.json")}  # served by the app, left out of its own schema
    routes = {
        (route["Properties"]["Method"], route["Properties"]["Path"])
        for route in props("ApiFunction")["Events"].values()
    }
    assert routes == operations


def alarms() -> list[dict[str, Any]]:
    return [spec["Properties"] for spec in resources("AWS::CloudWatch::Alarm").values()]


def watched(alarm: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(namespace, metric, first dimension's resource) for each metric the alarm reads."""
    stats = [m["MetricStat"]["Metric"] for m in alarm.get("Metrics", []) if "MetricStat" in m]
    out = []
    for metric in stats or [alarm]:
        dimensions = metric.get("Dimensions") or [{"Value": ""}]  # e.g. a metric of our own
        value = placeholder(dimensions[0]["Value"])
        out.append(
            (metric["Namespace"], metric["MetricName"], value.split(".")[0].removesuffix("-ref"))
        )
    return out


def alarmed(metric: str, namespace: str | None = None) -> set[str]:
    return {
        resource
        for alarm in alarms()
        for space, name, resource in watched(alarm)
        if name == metric and namespace in (None, space)
    }


def test_alarms_watch_every_stage_and_tell_ops_when_they_fire_and_clear() -> None:
    assert alarmed("ApproximateNumberOfMessagesVisible") == dead_letter_queues()
    assert alarmed("ApproximateAgeOfOldestMessage") == set(resources(QUEUE)) - dead_letter_queues()
    assert alarmed("Errors") == set(resources(FUNCTION))
    assert alarmed("Throttles") == set(resources(FUNCTION))
    assert alarmed("NumberOfNotificationsFailed") == {"AlertsTopic"}
    assert alarmed("5xx", "AWS/ApiGateway") == alarmed("Latency", "AWS/ApiGateway") == {"HttpApi"}
    groups = {placeholder(group).removesuffix("-ref") for group in schedule_groups().values()}
    assert alarmed("TargetErrorCount") == alarmed("InvocationDroppedCount") == groups
    for alarm in alarms():
        assert alarm["AlarmActions"] == alarm["OKActions"] == [{"Ref": "OpsTopic"}]


def schedule_groups() -> dict[str, Any]:
    """Each function's schedule -> the group it is in (None: the account's default group)."""
    return {
        f"{function}.{name}": event["Properties"].get("GroupName")
        for function in resources(FUNCTION)
        for name, event in props(function).get("Events", {}).items()
        if event["Type"] == "ScheduleV2"
    }


def test_each_schedule_is_in_a_group_of_its_own_that_its_alarm_watches() -> None:
    # The scheduler's metrics are per group: a schedule in the default group shares them with
    # whatever else the account schedules.
    assert schedule_groups() == {
        "PollFunction.Schedule": {"Ref": "PollScheduleGroup"},
        "DigestFunction.Tick": {"Ref": "DigestScheduleGroup"},
    }


def test_alarms_reach_a_required_confirmed_address() -> None:
    parameter = template()["Parameters"]["AlarmEmail"]
    assert "Default" not in parameter  # a deploy without it fails instead of alarming nobody
    pattern = re.compile(parameter["AllowedPattern"])
    assert pattern.fullmatch("ops@example.com")
    assert not any(pattern.fullmatch(v) for v in ("", "ops", "ops@example", "a b@example.com"))
    subscription = template()["Resources"]["OpsEmailSubscription"]
    assert "Condition" not in subscription
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}
    samconfig = tomllib.loads((ROOT / "infra" / "samconfig.toml").read_text(encoding="utf-8"))
    overrides = [
        override.partition("=")
        for stage in samconfig.values()
        if isinstance(stage, dict)
        for override in stage.get("deploy", {}).get("parameters", {}).get("parameter_overrides", [])
    ]
    # Guided deploys ask for it and save it; no stage may set it empty (quoted or not).
    assert [v for name, _, v in overrides if name == "AlarmEmail" and not v.strip('"')] == []


def test_functions_log_json_at_the_stack_level_and_are_traced() -> None:
    logging = global_function("LoggingConfig")
    assert logging["LogFormat"] == "JSON"
    assert logging["ApplicationLogLevel"] == {"Ref": "LogLevel"}
    assert global_function("Tracing") == "Active"


def test_api_access_logs_go_to_a_group_with_a_retention() -> None:
    settings = props("HttpApi")["AccessLogSettings"]
    group = settings["DestinationArn"]["Fn::GetAtt"][0]
    assert props(group)["RetentionInDays"] > 0
    fields = json.loads(re.sub(r"\$context\.[a-zA-Z.]+", "x", settings["Format"]))
    assert {"requestId", "caller", "route", "status"} <= set(fields)


def test_each_stack_has_its_own_webhook_secrets_prefix() -> None:
    for function in ("DeliverFunction", "ApiFunction", "DigestFunction"):
        prefix = environment(function)["WEBHOOK_SECRETS_PREFIX"]
        assert prefix == {"Fn::Sub": "${AWS::StackName}/webhooks/"}


def checkov_skips() -> list[tuple[str, dict[str, str]]]:
    return [
        (name, skip)
        for name, spec in template()["Resources"].items()
        for skip in (spec.get("Metadata") or {}).get("checkov", {}).get("skip", [])
    ]


def test_every_checkov_skip_says_why() -> None:
    skips = checkov_skips()
    assert skips, "the template lists its checkov skips"
    for name, skip in skips:
        assert re.fullmatch(r"CKV2?_AWS_\d+", skip["id"]), name
        assert len(skip.get("comment", "")) >= 60, f"{name} {skip['id']}: give the reason"


def test_dashboard_body_is_json_naming_only_template_resources() -> None:
    body = props("Dashboard")["DashboardBody"]["Fn::Sub"]
    names = {name.split(".")[0] for name in re.findall(r"\$\{([^}]+)\}", body)}
    assert names - {"AWS::Region"} <= set(template()["Resources"])
    widgets = json.loads(re.sub(r"\$\{[^}]+\}", "x", body))["widgets"]
    assert all(widget["properties"]["metrics"] for widget in widgets)


def test_every_function_is_capped_at_this_stacks_queues() -> None:
    """SAM's AWSLambdaSQSQueueExecutionRole receives and deletes on Resource "*": the
    boundary every function carries allows SQS only on the stack's own queues."""
    boundary = global_function("PermissionsBoundary")
    assert boundary == {"Ref": "FunctionsBoundary"}
    assert all("PermissionsBoundary" not in props(f) for f in resources(FUNCTION))
    statements = props("FunctionsBoundary")["PolicyDocument"]["Statement"]
    [queues] = [s for s in statements if s.get("Action") == "sqs:*"]
    allowed = {ref["Fn::GetAtt"][0] for ref in queues["Resource"]}
    assert allowed == set(resources("AWS::SQS::Queue"))
    [rest] = [s for s in statements if "NotAction" in s]
    assert (rest["Effect"], rest["NotAction"]) == ("Allow", "sqs:*")
