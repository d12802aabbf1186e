"""/silences: mute matching alerts for a while (Alertmanager's silences)."""

from __future__ import annotations

from typing import cast

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from tensionwatch.api.models import SilenceIn
from tensionwatch.api.service import ApiServices, InvalidRequest
from tensionwatch.models import Silence

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # untyped __init__


def services() -> ApiServices:
    return cast(ApiServices, router.context["services"])


@router.post("/silences", summary="Mute matching alerts until a time")
def create_silence(body: SilenceIn) -> Response[Silence]:
    try:
        silence = services().create_silence(body)
    except InvalidRequest as error:
        raise BadRequestError(str(error)) from None
    return Response(status_code=201, body=silence, content_type="application/json")


@router.get("/silences", summary="Every silence")
def list_silences() -> list[Silence]:
    return services().silences.list_all()


@router.get("/silences/<silence_id>", summary="One silence")
def get_silence(silence_id: str) -> Silence:
    found = services().silences.get(silence_id)
    if found is None:
        raise NotFoundError(f"no silence with id {silence_id!r}")
    return found


@router.delete("/silences/<silence_id>", summary="Lift a silence")
def delete_silence(silence_id: str) -> Response[None]:
    if services().silences.get(silence_id) is None:
        raise NotFoundError(f"no silence with id {silence_id!r}")
    services().silences.delete(silence_id)
    return Response(status_code=204)
