"""The alarm on unhealthy sources watches exactly what the poll emits: the metric, its
namespace and its dimensions as Powertools writes them under the template's own settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools import Metrics

from tensionwatch.local.template import Resolver, load_template, parameter_defaults
from tensionwatch.pipeline.poll_report import UNHEALTHY_TOTAL, PollReport, PowertoolsPollMetrics

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"


def template() -> dict[str, Any]:
    return load_template(TEMPLATE)


def resolved(value: Any) -> Any:
    """`value` with its intrinsics resolved as a deploy would (parameters at their defaults)."""
    return Resolver(template(), parameter_defaults(template())).resolve(value)


def alarm() -> dict[str, Any]:
    properties: dict[str, Any] = template()["Resources"]["SourceUnhealthyAlarm"]["Properties"]
    return properties


def test_the_alarm_tells_ops_as_soon_as_one_source_is_unhealthy() -> None:
    watched = alarm()
    assert watched["MetricName"] == UNHEALTHY_TOTAL
    assert (watched["Statistic"], watched["ComparisonOperator"], watched["Threshold"]) == (
        "Maximum", "GreaterThanThreshold", 0
    )  # fmt: skip
    assert watched["AlarmActions"] == [{"Ref": "OpsTopic"}]


def test_the_poll_emits_the_metric_the_alarm_watches(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    variables = template()["Globals"]["Function"]["Environment"]["Variables"]
    for name in ("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE"):
        monkeypatch.setenv(name, resolved(variables[name]))
    metrics = Metrics()
    PowertoolsPollMetrics(metrics).totals(PollReport(unhealthy={"bbc-world": "failing since"}))
    metrics.flush_metrics()
    [emitted] = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    [directive] = emitted["_aws"]["CloudWatchMetrics"]
    watched = alarm()
    assert directive["Namespace"] == watched["Namespace"]
    assert directive["Dimensions"] == [[d["Name"] for d in watched["Dimensions"]]]
    assert {d["Name"]: emitted[d["Name"]] for d in watched["Dimensions"]} == {
        d["Name"]: resolved(d["Value"]) for d in watched["Dimensions"]
    }
    assert emitted[watched["MetricName"]] == [1.0]
