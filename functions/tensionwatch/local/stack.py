"""The offline stack: `template.yaml`'s tables, queues, topics, subscriptions and parameters,
created in moto from the template's own resource properties.

Call `build_stack()` inside an active `moto.mock_aws()`. Functions are not created (moto runs
no Lambda code without Docker); their resolved environment and event sources are recorded so
the runner can call each handler the way Lambda would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from tensionwatch.local.functions import FunctionSpec, function_spec
from tensionwatch.local.template import (
    PSEUDO,
    Resolver,
    Unresolved,
    load_template,
    parameter_defaults,
)

TEMPLATE = Path(__file__).resolve().parents[3] / "template.yaml"
REGION = str(PSEUDO["AWS::Region"])
STACK = str(PSEUDO["AWS::StackName"])
ACCOUNT = str(PSEUDO["AWS::AccountId"])
# CloudFormation's table properties that CreateTable takes under the same name.
_TABLE_KEYS = ("KeySchema", "AttributeDefinitions", "BillingMode", "ProvisionedThroughput",
               "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "Tags")  # fmt: skip
_SUBSCRIPTION_ATTRS = ("RawMessageDelivery", "FilterPolicy", "FilterPolicyScope",
                       "RedrivePolicy", "DeliveryPolicy")  # fmt: skip


@dataclass
class Stack:
    """What the offline stack created: physical names, URLs and ARNs by logical id."""

    tables: dict[str, str] = field(default_factory=dict)
    queues: dict[str, str] = field(default_factory=dict)  # logical id -> queue URL
    queue_arns: dict[str, str] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)  # logical id -> topic ARN
    subscriptions: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)  # logical id -> SSM name
    functions: dict[str, FunctionSpec] = field(default_factory=dict)
    template: dict[str, Any] = field(default_factory=dict)

    def queue_of(self, arn: str) -> str:
        """The logical id of the queue with this ARN; raises KeyError."""
        return next(name for name, known in self.queue_arns.items() if known == arn)


def build_stack(template_path: Path = TEMPLATE, parameters: dict[str, Any] | None = None) -> Stack:
    """Create every supported resource of the template in moto; raises ValueError naming a
    resource whose references cannot be resolved (a cycle or a missing resource), and
    FileNotFoundError when the template is absent (an install that is not a checkout)."""
    if not template_path.is_file():
        raise FileNotFoundError(
            f"{template_path} not found: the offline stack reads the project's template.yaml, "
            "so run it from a checkout (pip install -e .)"
        )
    template = load_template(template_path)
    resolver = Resolver(template, {**parameter_defaults(template), **(parameters or {})})
    stack = Stack(template=template)
    resources: dict[str, Any] = template["Resources"]
    pending = {name: spec for name, spec in resources.items() if _wanted(spec, resolver)}
    for name, spec in pending.items():
        if spec["Type"] not in _CREATORS:
            _placeholder(resolver, name, spec["Type"])
    pending = {name: spec for name, spec in pending.items() if spec["Type"] in _CREATORS}
    while pending:
        created = [name for name, spec in pending.items() if _try(stack, resolver, name, spec)]
        if not created:
            raise ValueError(f"cannot resolve references of: {', '.join(sorted(pending))}")
        for name in created:
            del pending[name]
    globals_ = (template.get("Globals") or {}).get("Function") or {}
    for name, spec in resources.items():
        if spec["Type"] == "AWS::Serverless::Function" and _wanted(spec, resolver):
            stack.functions[name] = function_spec(name, spec, globals_, resolver, stack.queue_of)
    return stack


def _wanted(spec: dict[str, Any], resolver: Resolver) -> bool:
    return "Condition" not in spec or resolver.condition(spec["Condition"])


def _placeholder(resolver: Resolver, name: str, kind: str) -> None:
    """Functions, APIs, alarms, roles: nothing to create, but their Ref and Arn resolve."""
    service = kind.split("::")[1].lower()
    resolver.refs[name] = f"{STACK}-{name}"
    resolver.attrs[name] = _AnyAttribute(f"arn:aws:{service}:{REGION}:{ACCOUNT}:{STACK}-{name}")


class _AnyAttribute(dict[str, Any]):
    """A placeholder's attributes: `Arn` and any other name resolve to a stable string."""

    def __init__(self, arn: str) -> None:
        super().__init__(Arn=arn)
        self._arn = arn

    def __missing__(self, key: str) -> str:
        return f"{self._arn}/{key}"


def _try(stack: Stack, resolver: Resolver, name: str, spec: dict[str, Any]) -> bool:
    try:
        props = resolver.resolve(spec.get("Properties") or {})
    except Unresolved:
        return False
    _CREATORS[spec["Type"]](stack, resolver, name, props)
    return True


def _table(stack: Stack, resolver: Resolver, name: str, props: dict[str, Any]) -> None:
    client: Any = boto3.client("dynamodb", region_name=REGION)
    table = props.get("TableName") or f"{STACK}-{name}"
    args = {key: props[key] for key in _TABLE_KEYS if key in props}
    for index in args.get("GlobalSecondaryIndexes", []):
        index.pop("ContributorInsightsSpecification", None)
    if "StreamSpecification" in props:
        args["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
    arn = client.create_table(TableName=table, **args)["TableDescription"]["TableArn"]
    if ttl := props.get("TimeToLiveSpecification"):
        client.update_time_to_live(TableName=table, TimeToLiveSpecification=ttl)
    if pitr := props.get("PointInTimeRecoverySpecification"):
        client.update_continuous_backups(TableName=table, PointInTimeRecoverySpecification=pitr)
    stack.tables[name] = table
    resolver.refs[name] = table
    resolver.attrs[name] = {"Arn": arn}


def _queue(stack: Stack, resolver: Resolver, name: str, props: dict[str, Any]) -> None:
    client: Any = boto3.client("sqs", region_name=REGION)
    queue = props.pop("QueueName", None) or f"{STACK}-{name}"
    props.pop("Tags", None)
    attributes = {key: _attribute(value) for key, value in props.items()}
    url = client.create_queue(QueueName=queue, Attributes=attributes)["QueueUrl"]
    arn = client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    stack.queues[name] = url
    stack.queue_arns[name] = arn["Attributes"]["QueueArn"]
    resolver.refs[name] = url
    resolver.attrs[name] = {"Arn": stack.queue_arns[name], "QueueName": queue, "QueueUrl": url}


def _topic(stack: Stack, resolver: Resolver, name: str, props: dict[str, Any]) -> None:
    client: Any = boto3.client("sns", region_name=REGION)
    topic = props.get("TopicName") or f"{STACK}-{name}"
    attributes = {key: _attribute(props[key]) for key in ("KmsMasterKeyId", "DisplayName",
                  "FifoTopic") if key in props}  # fmt: skip
    arn = client.create_topic(Name=topic, Attributes=attributes)["TopicArn"]
    for inline in props.get("Subscription", []):
        client.subscribe(TopicArn=arn, Protocol=inline["Protocol"], Endpoint=inline["Endpoint"])
    stack.topics[name] = arn
    resolver.refs[name] = arn
    resolver.attrs[name] = {"TopicArn": arn, "TopicName": topic}


def _subscription(stack: Stack, resolver: Resolver, name: str, props: dict[str, Any]) -> None:
    client: Any = boto3.client("sns", region_name=REGION)
    attributes = {key: _attribute(props[key]) for key in _SUBSCRIPTION_ATTRS if key in props}
    arn = client.subscribe(TopicArn=props["TopicArn"], Protocol=props["Protocol"],
                           Endpoint=props["Endpoint"], Attributes=attributes,
                           ReturnSubscriptionArn=True)["SubscriptionArn"]  # fmt: skip
    stack.subscriptions[name] = arn
    resolver.refs[name] = arn


def _parameter(stack: Stack, resolver: Resolver, name: str, props: dict[str, Any]) -> None:
    client: Any = boto3.client("ssm", region_name=REGION)
    parameter = props.get("Name") or f"/{STACK}/{name}"
    client.put_parameter(Name=parameter, Type=props.get("Type", "String"),
                         Value=str(props["Value"]), Overwrite=True)  # fmt: skip
    stack.parameters[name] = parameter
    resolver.refs[name] = parameter
    resolver.attrs[name] = {"Type": props.get("Type", "String"), "Value": str(props["Value"])}


def _attribute(value: Any) -> str:
    """SQS and SNS take every attribute as a string; policies as JSON text."""
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_CREATORS = {
    "AWS::DynamoDB::Table": _table,
    "AWS::SQS::Queue": _queue,
    "AWS::SNS::Topic": _topic,
    "AWS::SNS::Subscription": _subscription,
    "AWS::SSM::Parameter": _parameter,
}
