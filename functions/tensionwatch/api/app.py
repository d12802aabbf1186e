"""The resolver: routes, validation errors that name the field, and the OpenAPI document."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from tensionwatch.api import read_routes, silence_routes, subscription_routes

TITLE = "Tension Watch"
VERSION = "1.0.0"


@cache  # the routers are module-level and share context with the app that includes them: a
# second app would take them over, leaving the first app's routes reading an empty context
def build_app() -> APIGatewayHttpResolver:
    """The HTTP API with every route; `/openapi.json` serves its generated document. One per
    process."""
    app = APIGatewayHttpResolver(enable_validation=True)
    for module in (subscription_routes, silence_routes, read_routes):
        app.include_router(module.router)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi() -> Response[str]:
        document = app.get_openapi_json_schema(title=TITLE, version=VERSION)
        return Response(200, content_types.APPLICATION_JSON, body=document)

    @app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
    def invalid(error: RequestValidationError) -> Response[dict[str, Any]]:
        problems = [_problem(item) for item in error.errors()]
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return Response(422, content_types.APPLICATION_JSON,
                        body={"message": message, "errors": problems})  # fmt: skip

    return app


def _problem(item: Any) -> dict[str, str]:
    """One pydantic error as {field, message}: the location without the `body` prefix, and
    pydantic's message (which never repeats the submitted value)."""
    loc = [str(part) for part in item.get("loc", ()) if part != "body"]
    message = str(item.get("msg", item.get("type", "invalid")))
    message = message.removeprefix("Value error, ")
    field, _, rest = message.partition(": ")
    if rest and field.isidentifier():  # our validators say "field: why" for model-level rules
        loc, message = [*loc, field], rest
    return {"field": ".".join(loc) or "body", "message": message}
