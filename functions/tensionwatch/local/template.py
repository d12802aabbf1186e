"""Read `template.yaml` and resolve CloudFormation intrinsics among its own resources.

A small CFN-tag-aware loader on PyYAML (the `demo` extra): short tags (`!Ref X`, `!GetAtt A.B`,
`!Sub ...`) become their long forms (`{"Ref": X}`, `{"Fn::GetAtt": [A, B]}`), as CloudFormation
reads them; `Resolver` then evaluates the long forms against what the offline stack created.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

PSEUDO = {
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",  # moto's default account
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "tensionwatch-local",
    "AWS::NoValue": None,
}
_SUB_VAR = re.compile(r"\$\{([^}!]+)\}")


class Unresolved(LookupError):
    """A reference to a resource the stack has not created (yet)."""


class _CfnLoader(yaml.SafeLoader):
    pass


def _construct_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix in ("Ref", "Condition"):  # the two intrinsics without the Fn:: prefix
        return {suffix: value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


def load_template(path: Path) -> dict[str, Any]:
    """The template as plain data with long-form intrinsics; raises ValueError if it is not
    a YAML mapping with `Resources`."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506
    if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
        raise ValueError(f"{path} is not a CloudFormation template with Resources")
    return data


def parameter_defaults(template: Mapping[str, Any]) -> dict[str, Any]:
    """Each template parameter's Default (deploy-time answers the local stack has none of)."""
    params = template.get("Parameters") or {}
    return {name: spec.get("Default", "") for name, spec in params.items()}


class Resolver:
    """Evaluates intrinsics. `refs` maps a logical id to its Ref value, `attrs` to its
    attributes; a reference to a logical id in neither raises Unresolved."""

    def __init__(self, template: Mapping[str, Any], parameters: Mapping[str, Any]) -> None:
        self.refs: dict[str, Any] = {**PSEUDO, **parameters}
        self.attrs: dict[str, dict[str, Any]] = {}
        self._conditions: dict[str, Any] = dict(template.get("Conditions") or {})

    def resolve(self, value: Any) -> Any:
        """`value` with every intrinsic replaced by its value; raises Unresolved."""
        if isinstance(value, list):
            return [item for item in map(self.resolve, value) if item is not None]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref" or key.startswith("Fn::") or key == "Condition":
                return self._intrinsic(key, arg)
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not None}

    def condition(self, name: str) -> bool:
        """The value of a named template condition."""
        return bool(self.resolve(self._conditions[name]))

    def _intrinsic(self, key: str, arg: Any) -> Any:
        match key:
            case "Ref":
                if arg not in self.refs:
                    raise Unresolved(arg)
                return self.refs[arg]
            case "Fn::GetAtt":
                name, attribute = arg
                try:
                    return self.attrs[name][attribute]
                except KeyError:
                    raise Unresolved(f"{name}.{attribute}") from None
            case "Fn::Sub":
                return self._sub(arg)
            case "Condition":
                return self.condition(arg)
        return self._function(key.removeprefix("Fn::"), self._args(key, arg))

    def _args(self, key: str, arg: Any) -> Any:
        if key == "Fn::If":  # only the branch taken is resolved
            name, then, otherwise = arg
            return self.resolve(then if self.condition(name) else otherwise)
        return self.resolve(arg)

    def _function(self, name: str, arg: Any) -> Any:
        function = _FUNCTIONS.get(name)
        if function is None:
            raise ValueError(f"intrinsic Fn::{name} is not supported by the offline stack")
        return function(arg)

    def _sub(self, arg: Any) -> str:
        text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in extra:
                return str(extra[name])
            if "." in name:
                logical, attribute = name.split(".", 1)
                return str(self._intrinsic("Fn::GetAtt", [logical, attribute]))
            return str(self._intrinsic("Ref", name))

        return _SUB_VAR.sub(value, text)


_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "If": lambda arg: arg,  # the branch was chosen and resolved already
    "Join": lambda arg: str(arg[0]).join(str(part) for part in arg[1]),
    "Select": lambda arg: arg[1][int(arg[0])],
    "Split": lambda arg: str(arg[1]).split(arg[0]),
    "Equals": lambda arg: arg[0] == arg[1],
    "Not": lambda arg: not arg[0],
    "And": all,
    "Or": any,
    "ToJsonString": json.dumps,
}
