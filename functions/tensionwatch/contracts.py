"""The payloads subscribers code against, and their JSON Schemas. Pure.

Every schema is generated from the model that produces the payload (`model_json_schema`), so
the two cannot disagree; `docs/schemas/` publishes them and the API serves them at
`GET /schemas/{name}`. A name carries its major version: a change a receiver could trip on (a
field removed, renamed or retyped) makes a new name, and the old one keeps being served. Models
forbid extra fields, so their schemas say `additionalProperties: false`: a field added to a
payload without its schema fails validation (tests/integration/test_payload_contracts.py).

| schema       | what it describes                                                          |
|--------------|----------------------------------------------------------------------------|
| `alert.v2`   | an Alert: the SNS message's `default` body, a webhook's `data` for alerts  |
| `digest.v1`  | a Digest: a webhook's `data` for digests, the SNS `default` of a digest    |
| `webhook.v1` | a webhook body: `type`, `dataschema` (one of the two above), `timestamp`, `data` |
"""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Any, Final, Literal

from pydantic import Field, TypeAdapter

from tensionwatch.digests.model import Digest
from tensionwatch.models import Alert, Frozen, UtcDateTime

ALERT_SCHEMA: Final = "alert.v2"
DIGEST_SCHEMA: Final = "digest.v1"
WEBHOOK_SCHEMA = "webhook.v1"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"  # what pydantic writes
AlertEventType = Literal["alert.fired", "alert.resolved", "test"]


class AlertEvent(Frozen):
    """A webhook body about one alert. `type`: fired, resolved, or a test send."""

    type: AlertEventType
    dataschema: Literal["alert.v2"] = Field(default=ALERT_SCHEMA, description="schema of data")
    timestamp: UtcDateTime = Field(description="when the alert fired (a test: when sent)")
    data: Alert


class DigestEvent(Frozen):
    """A webhook body holding one subscription's digest for one period."""

    type: Literal["digest"] = "digest"
    dataschema: Literal["digest.v1"] = Field(default=DIGEST_SCHEMA, description="schema of data")
    timestamp: UtcDateTime = Field(description="the end of the digest's period")
    data: Digest


WebhookEvent = Annotated[AlertEvent | DigestEvent, Field(discriminator="type")]
_TITLES = {
    ALERT_SCHEMA: "Tension Watch alert",
    DIGEST_SCHEMA: "Tension Watch digest",
    WEBHOOK_SCHEMA: "Tension Watch webhook body",
}


def schema_names() -> list[str]:
    """Every published schema's name, e.g. `digest.v1`."""
    return list(_TITLES)


def latest(name: str) -> str | None:
    """The full name a short one means (`digest` -> `digest.v1`), or the name itself when
    published; None when there is no such schema."""
    if name in _TITLES:
        return name
    found = [full for full in _TITLES if full.split(".v")[0] == name]
    return found[-1] if found else None


@cache
def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (2020-12) called `name`; raises KeyError for an unknown name."""
    title = _TITLES[name]
    source: Any = {ALERT_SCHEMA: Alert, DIGEST_SCHEMA: Digest}.get(name)
    if source is None:
        generated = TypeAdapter(WebhookEvent).json_schema(mode="serialization")
    else:
        generated = source.model_json_schema(mode="serialization")
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": f"/schemas/{name}", **generated,
            "title": title}  # fmt: skip


def published_text(name: str) -> str:
    """The text of docs/schemas/<name>.json: stable key order, one trailing newline."""
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"
