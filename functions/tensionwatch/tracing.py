"""X-Ray tracing (Powertools Tracer) that costs nothing until the first invocation.

Creating a Tracer imports the X-Ray SDK and patches the SDKs it traces: ~370-500 ms measured
here, more than the whole handler import budget (`make coldstart`, 300 ms). So handlers wrap
themselves with `traced`, which creates the Tracer on the first call. Only botocore is
patched: AWS calls become subsegments, while HTTP calls are not recorded at all, since a Slack
or webhook URL is a credential and X-Ray would store it. Handler responses are not captured
either: the API answers with a new webhook secret once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

Handler = TypeVar("Handler", bound=Callable[..., Any])


@functools.cache
def tracer() -> Tracer:
    """The process's Tracer, created once (disabled outside Lambda and under
    POWERTOOLS_TRACE_DISABLED, as Powertools decides)."""
    from aws_lambda_powertools import Tracer

    return Tracer(patch_modules=("botocore",))


@functools.cache
def _capturing(handler: Callable[..., Any]) -> Callable[..., Any]:
    return tracer().capture_lambda_handler(handler, capture_response=False)


def traced(handler: Handler) -> Handler:
    """`handler` inside an X-Ray subsegment, the Tracer created on its first call."""

    @functools.wraps(handler)
    def lazily_traced(event: Any, context: Any) -> Any:
        return _capturing(handler)(event, context)

    return lazily_traced  # type: ignore[return-value]
