"""What each function's role may do, read from its `Policies` in template.yaml: (IAM action,
resource) pairs, the resource named as tests/integration/iam/code_calls.py names it."""

from __future__ import annotations

from typing import Any

ARN_PREFIX = "arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:"


class NotAStatement(ValueError):
    """A policy the comparison cannot read: a SAM policy template or a managed policy grants
    actions nobody listed (DynamoDBCrudPolicy also grants Scan, DeleteItem, BatchWriteItem)."""


def granted(policies: list[Any]) -> set[tuple[str, str]]:
    """Every (action, resource) the function's inline statements allow; raises NotAStatement."""
    out: set[tuple[str, str]] = set()
    for policy in policies:
        if not isinstance(policy, dict) or set(policy) != {"Statement"}:
            raise NotAStatement(f"not an inline statement: {policy!r}")
        for statement in policy["Statement"]:
            if statement["Effect"] != "Allow":
                continue
            for action in _listed(statement["Action"]):
                out |= {(action, resource_name(r)) for r in _listed(statement["Resource"])}
    return out


def resource_name(value: Any) -> str:
    """`ArticlesTable` for `!GetAtt ArticlesTable.Arn` or `!Ref AlertsTopic`, `AlertsTopic:*`
    for `!Sub ${AlertsTopic}:*`, `secret:<name prefix>*` and `parameter:/<path>*` for ARNs."""
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        logical, attribute = value["Fn::GetAtt"]
        assert attribute == "Arn", value
        return str(logical)
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    text = value["Fn::Sub"] if isinstance(value, dict) else value
    for service in ("secretsmanager", "ssm"):
        prefix = ARN_PREFIX % service
        if text.startswith(prefix):
            return text.removeprefix(prefix).replace("parameter/", "parameter:/", 1)
    if text.startswith("${") and text.endswith("}:*"):
        return text[2:-3] + ":*"
    raise ValueError(f"a resource the comparison cannot name: {value!r}")


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
