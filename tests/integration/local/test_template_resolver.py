"""Intrinsics in the template resolve as CloudFormation would resolve them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tensionwatch.local.template import Resolver, Unresolved, load_template

TEMPLATE = """
Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsDev: !Equals [!Ref Stage, dev]
  NotDev: !Not [!Condition IsDev]
Resources:
  Q: {Type: AWS::SQS::Queue}
"""


@pytest.fixture
def resolver(tmp_path: Path) -> Resolver:
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE)
    resolver = Resolver(load_template(path), {"Stage": "dev"})
    resolver.refs["Q"] = "https://queue/q"
    resolver.attrs["Q"] = {"Arn": "arn:aws:sqs:us-east-1:123456789012:q"}
    return resolver


def test_short_tags_become_long_forms(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("Resources:\n  X: {Type: T, Properties: {A: !GetAtt Q.Arn, B: !Ref Q}}\n")
    props = load_template(path)["Resources"]["X"]["Properties"]
    assert props == {"A": {"Fn::GetAtt": ["Q", "Arn"]}, "B": {"Ref": "Q"}}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ({"Fn::Sub": "${AWS::StackName}-${Q.Arn}"},
         "tensionwatch-local-arn:aws:sqs:us-east-1:123456789012:q"),
        ({"Fn::Sub": ["${X}/${Q}", {"X": "x"}]}, "x/https://queue/q"),
        ({"Fn::Join": ["-", ["a", {"Ref": "Stage"}]]}, "a-dev"),
        ({"Fn::Select": [1, {"Fn::Split": [":", {"Fn::GetAtt": ["Q", "Arn"]}]}]}, "aws"),
        ({"Fn::If": ["IsDev", "yes", "no"]}, "yes"),
        ({"Fn::If": ["NotDev", "yes", "no"]}, "no"),
        ([{"Ref": "AWS::NoValue"}, "kept"], ["kept"]),
    ],
)  # fmt: skip
def test_intrinsics_resolve(resolver: Resolver, expression: object, expected: object) -> None:
    assert resolver.resolve(expression) == expected


def test_a_reference_to_an_unknown_resource_is_unresolved(resolver: Resolver) -> None:
    with pytest.raises(Unresolved):
        resolver.resolve({"Fn::GetAtt": ["Missing", "Arn"]})


def test_an_unsupported_intrinsic_is_named(resolver: Resolver) -> None:
    with pytest.raises(ValueError, match="FindInMap"):
        resolver.resolve({"Fn::FindInMap": ["M", "k", "v"]})
