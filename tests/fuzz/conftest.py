"""One offline stack (moto) per fuzz module: building it per example would dominate the run."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stdout
from datetime import UTC, datetime

import moto
import pytest

from tensionwatch.local.runner import Runner, SimClock
from tensionwatch.local.stack import build_stack

QUIET = {
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "CRITICAL",
    "ALLOW_HTTP_TARGETS": "true",
}


@pytest.fixture(scope="module")
def runner() -> Iterator[Runner]:
    """The product template's stack in moto and a runner that calls its real handlers."""
    with moto.mock_aws(), redirect_stdout(io.StringIO()):
        stack = build_stack()
        yield Runner(stack, SimClock(datetime(2026, 11, 2, tzinfo=UTC)), overrides={"*": QUIET})


# Examples between rebuilds of the score property's stack (see renew).
RENEW_EVERY = 100


def renew(runner: Runner) -> None:
    """Give the runner a fresh stack: moto keeps every item a property writes, ~3 MB an example
    for the score handler (1 MB titles included), which outgrew the machine at 1,000 examples."""
    moto.mock_aws().reset()  # every moto backend, as at the start of the module
    with redirect_stdout(io.StringIO()):
        runner.stack = build_stack()
