"""API Lambda: HTTP API (IAM auth) → subscriptions, silences, alerts, pair signals."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.correlation_paths import API_GATEWAY_HTTP
from aws_lambda_powertools.utilities.typing import LambdaContext

from tensionwatch.api.app import build_app
from tensionwatch.api.service import ApiServices
from tensionwatch.config import api_settings
from tensionwatch.tracing import traced

logger = Logger()
app = build_app()


@cache
def services() -> ApiServices:
    """The stores and senders the routes use, built once per container."""
    from tensionwatch.api.wiring import api_services

    return api_services(api_settings())


@logger.inject_lambda_context(correlation_id_path=API_GATEWAY_HTTP)
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    app.append_context(services=services())  # type: ignore[no-untyped-call]
    return app.resolve(event, context)
