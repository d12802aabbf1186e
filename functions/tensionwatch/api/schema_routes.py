"""/schemas: the JSON Schemas of the payloads subscribers receive (tensionwatch.contracts)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from tensionwatch.api.models import SchemaList
from tensionwatch.contracts import json_schema, latest, schema_names

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # untyped __init__


@router.get("/schemas", summary="The payload schemas subscribers can code against")
def list_schemas() -> SchemaList:
    return SchemaList(schemas=schema_names())


@router.get("/schemas/<name>", summary="One JSON Schema: alert.v2, digest.v1, webhook.v1")
def get_schema(name: str) -> Response[dict[str, Any]]:
    """The schema called `name`; a name without its version (`digest`) means the latest."""
    full = latest(name)
    if full is None:
        raise NotFoundError(f"no schema named {name[:40]!r}: see GET /schemas")
    return Response(200, content_types.APPLICATION_JSON, body=json_schema(full))
