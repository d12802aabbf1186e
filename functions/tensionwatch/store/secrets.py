"""Webhook signing secrets in Secrets Manager (encrypted with KMS at rest).

One secret per webhook subscription, named `<prefix><subscription id>`, holding
`{"current": "whsec_…", "previous": "whsec_…" | null, "previous_until": ISO time | null}`.
During a rotation both are returned, so deliveries carry both signatures until receivers
switch. Secret values never appear in errors or logs.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

PREFIX = "whsec_"  # Standard Webhooks secret prefix
SECRET_BYTES = 32  # the spec asks for 24 to 64 random bytes


def new_secret() -> str:
    """A fresh `whsec_` secret: base64 of random bytes from the OS CSPRNG."""
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


class SecretStore:
    """Per-subscription signing secrets."""

    def __init__(self, prefix: str, client: SecretsManagerClient | None = None) -> None:
        self._prefix = prefix
        self._client: Any = client or boto3.client("secretsmanager")

    def create(self, subscription_id: str) -> str:
        """Generate and store a secret for a new subscription; returns it (shown once)."""
        secret = new_secret()
        self._client.create_secret(
            Name=self._name(subscription_id),
            SecretString=json.dumps({"current": secret, "previous": None, "previous_until": None}),
            Description="Tension Watch webhook signing secret",
        )
        return secret

    def signing_secrets(self, subscription_id: str, now: datetime) -> list[str]:
        """The secrets to sign with now: the current one, and the previous during its overlap;
        [] when the subscription has no secret (a send then fails for good, not in a loop)."""
        try:
            value = self._read(subscription_id)
        except ClientError as error:
            if error.response["Error"]["Code"] == "ResourceNotFoundException":
                return []
            raise
        out = [value["current"]]
        until = value.get("previous_until")
        if value.get("previous") and until and now < datetime.fromisoformat(until):
            out.append(value["previous"])
        return out

    def rotate(self, subscription_id: str, now: datetime, overlap: timedelta) -> str:
        """Make a new current secret, keep the old one valid for `overlap`; returns the new."""
        old = self._read(subscription_id)["current"]
        secret = new_secret()
        value = {"current": secret, "previous": old, "previous_until": (now + overlap).isoformat()}
        self._client.put_secret_value(
            SecretId=self._name(subscription_id), SecretString=json.dumps(value)
        )
        return secret

    def delete(self, subscription_id: str) -> None:
        """Delete the secret at once (no recovery window: the subscription is gone)."""
        self._client.delete_secret(
            SecretId=self._name(subscription_id), ForceDeleteWithoutRecovery=True
        )

    def _read(self, subscription_id: str) -> dict[str, Any]:
        raw = self._client.get_secret_value(SecretId=self._name(subscription_id))
        value: dict[str, Any] = json.loads(raw["SecretString"])
        return value

    def _name(self, subscription_id: str) -> str:
        return f"{self._prefix}{subscription_id}"
