"""Tracing costs the handlers nothing at import and never records an HTTP call's URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json, sys
import tensionwatch.handlers.{handler} as handler_module
loaded_at_import = "aws_xray_sdk" in sys.modules
from tensionwatch.tracing import traced, tracer
calls = []
@traced
def handler(event, context):
    calls.append(event)
    return {{"echo": event}}
answer = [handler({{"n": n}}, None) for n in range(2)]
from aws_xray_sdk.core import patcher
patched = sorted(patcher._PATCHED_MODULES)
print(json.dumps({{"loaded_at_import": loaded_at_import, "answer": answer,
                  "tracers": tracer.cache_info().misses, "patched": patched}}))
"""


@pytest.mark.parametrize("handler", ["poll", "score", "deliver", "api", "digest"])
def test_the_tracer_loads_on_the_first_call_and_patches_only_the_aws_sdk(handler: str) -> None:
    env = {key: value for key, value in os.environ.items() if key != "POWERTOOLS_TRACE_DISABLED"}
    # Powertools traces only where Lambda sets LAMBDA_TASK_ROOT; no segment exists outside it.
    env |= {"LAMBDA_TASK_ROOT": "/var/task", "AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR"}
    done = subprocess.run([sys.executable, "-c", PROBE.format(handler=handler)], env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["loaded_at_import"] is False  # the X-Ray SDK stays out of the import budget
    assert seen["answer"] == [{"echo": {"n": 0}}, {"echo": {"n": 1}}]
    assert seen["tracers"] == 1  # created once, on the first call
    assert seen["patched"] == ["botocore"]  # not httplib: a Slack or webhook URL is a credential
