"""Read-only views: recent alerts and a pair's signal."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, cast

from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import BaseModel

from tensionwatch.api.service import ApiServices
from tensionwatch.models import Alert, UtcDateTime
from tensionwatch.subscriptions import Dyad, canonical

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # untyped __init__
DEFAULT_SINCE = timedelta(days=7)  # a week of alerts is what a dashboard shows first


def services() -> ApiServices:
    return cast(ApiServices, router.context["services"])


@router.get("/alerts", summary="Alerts since a time, optionally for one pair")
def list_alerts(
    dyad: Annotated[Dyad | None, Query(description="e.g. JP-KR")] = None,
    since: Annotated[UtcDateTime | None, Query(description="ISO 8601 with offset")] = None,
) -> list[Alert]:
    start = since or services().clock() - DEFAULT_SINCE
    return services().alerts.query(dyad, start)


@router.get("/dyads/<dyad>", summary="A pair's current state and recent signal")
def get_dyad(dyad: str) -> dict[str, Any]:
    pair = canonical(dyad)
    found = services().dyads.get(pair)
    if found is None:
        raise NotFoundError(f"no signal for pair {pair!r}")
    if isinstance(found, BaseModel):
        return found.model_dump(mode="json")
    return dict(found)
