"""The resolver: routes, validation errors that name the field, and the OpenAPI document."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import orjson
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from tensionwatch.api import read_routes, schema_routes, silence_routes, subscription_routes

TITLE = "Tension Watch"
VERSION = "1.0.0"
MAX_DEPTH = 1024  # orjson's fixed nesting limit; no body of this API nests more than 4 deep
# A problem body says what is wrong in a few lines whatever the size of the request: the first
# problems, each field and message clipped, and how many more there were.
MAX_PROBLEMS = 10
MAX_FIELD = 100
MAX_MESSAGE = 200


@cache  # the routers are module-level and share context with the app that includes them: a
# second app would take them over, leaving the first app's routes reading an empty context
def build_app() -> APIGatewayHttpResolver:
    """The HTTP API with every route; `/openapi.json` serves its generated document. One per
    process."""
    app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=parse_json)
    for module in (subscription_routes, silence_routes, read_routes, schema_routes):
        app.include_router(module.router)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi() -> Response[str]:
        document = app.get_openapi_json_schema(title=TITLE, version=VERSION)
        return Response(200, content_types.APPLICATION_JSON, body=document)

    @app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
    def invalid(error: RequestValidationError) -> Response[dict[str, Any]]:
        return Response(422, content_types.APPLICATION_JSON, body=problem_body(error.errors()))

    return app


def parse_json(body: str) -> Any:
    """The request body as JSON. Raises json.JSONDecodeError (which the resolver answers with
    a 422) for anything else, including nesting deeper than MAX_DEPTH: the standard library's
    parser would recurse until RecursionError, a 500."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        why = error.msg  # orjson's messages name the fault, never the text
        if why == "depth limit exceeded":
            why = f"nested deeper than {MAX_DEPTH} levels"
        raise json.JSONDecodeError(why, "", 0) from None


def problem_body(errors: Any) -> dict[str, Any]:
    """The 422 answer: the first MAX_PROBLEMS problems and a message joining them, saying how
    many more there were. Its size does not depend on the request's."""
    problems = [_problem(item) for item in errors[:MAX_PROBLEMS]]
    message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    if len(errors) > MAX_PROBLEMS:
        message += f"; … and {len(errors) - MAX_PROBLEMS} more problems"
    return {"message": message, "errors": problems}


def _problem(item: Any) -> dict[str, str]:
    """One pydantic error as {field, message}: the location without the `body` prefix, and
    the message, which never repeats the submitted value (the product's validators name the
    rule, not the input; pydantic's own messages do the same). Both are clipped: a field name
    is the client's own key, of any length."""
    if item.get("type") == "json_invalid":  # its location is an offset in the body
        why = str(item.get("ctx", {}).get("error", "invalid"))
        return {"field": "body", "message": _clip(f"not JSON: {why}", MAX_MESSAGE)}
    loc = [str(part) for part in item.get("loc", ()) if part != "body"]
    message = str(item.get("msg", item.get("type", "invalid")))
    message = message.removeprefix("Value error, ")
    field, _, rest = message.partition(": ")
    if rest and field.isidentifier():  # our validators say "field: why" for model-level rules
        loc, message = [*loc, field], rest
    return {"field": _clip(".".join(loc) or "body", MAX_FIELD),
            "message": _clip(message, MAX_MESSAGE)}  # fmt: skip


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
