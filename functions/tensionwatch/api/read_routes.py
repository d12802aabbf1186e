"""Read-only views: recent alerts and a pair's signal."""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import timedelta
from typing import Annotated, Any, cast

from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import BaseModel

from tensionwatch.api.models import AlertsPage
from tensionwatch.api.service import ApiServices
from tensionwatch.models import UtcDateTime
from tensionwatch.subscriptions import Dyad, canonical

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # untyped __init__
DEFAULT_SINCE = timedelta(days=7)  # a week of alerts is what a dashboard shows first
DEFAULT_LIMIT = 100  # alerts per page; about 0.5 MB of JSON for typical alerts
MAX_LIMIT = 500
# A page's position: an alert's sort key (`<fired_at>#<id>`) or a month ("2026-05").
_POSITION = re.compile(r"^\d{4}-\d{2}(-\d{2}T[\d:.+-]{8,40}#[\w-]{1,100})?$")


def services() -> ApiServices:
    return cast(ApiServices, router.context["services"])


@router.get("/alerts", summary="Alerts since a time, optionally for one pair, a page at a time")
def list_alerts(
    dyad: Annotated[Dyad | None, Query(description="e.g. JP-KR")] = None,
    since: Annotated[
        UtcDateTime | None,
        Query(description="ISO 8601 with offset; default 7 days ago; at most the retention ago"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="alerts per page")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=400, description="the previous page's `next_cursor`")
    ] = None,
) -> AlertsPage:
    now = services().clock()
    page = services().alerts.page(dyad, since or now - DEFAULT_SINCE, now=now, limit=limit,
                                  after=_position(cursor) if cursor else None)  # fmt: skip
    next_cursor = None if page.after is None else _cursor(page.after)
    return AlertsPage(alerts=page.alerts, since=page.since, next_cursor=next_cursor)


def _cursor(position: str) -> str:
    """The opaque form of a page position: clients pass it back, never build it."""
    return base64.urlsafe_b64encode(json.dumps({"after": position}).encode()).decode()


def _position(cursor: str) -> str:
    """The position a `_cursor` holds; 400 for any string `_cursor` did not make."""
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor.encode()))["after"]
    except (ValueError, binascii.Error, TypeError, KeyError):
        position = None
    if not isinstance(position, str) or not _POSITION.match(position):
        raise BadRequestError("cursor: not a cursor this API gave out")
    return position


@router.get("/dyads/<dyad>", summary="A pair's current state and recent signal")
def get_dyad(dyad: str) -> dict[str, Any]:
    pair = canonical(dyad)
    found = services().dyads.get(pair)
    if found is None:
        raise NotFoundError(f"no signal for pair {pair!r}")
    if isinstance(found, BaseModel):
        return found.model_dump(mode="json")
    return dict(found)
