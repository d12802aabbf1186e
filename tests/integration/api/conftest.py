"""The api handler over moto (subscriptions and alerts tables, AlertsTopic, Secrets Manager),
local receivers for test sends, and in-memory silences and pair signals."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from pytest_httpserver import HTTPServer

from tensionwatch.api.service import ApiServices
from tensionwatch.delivery.notifier import Notifier
from tensionwatch.delivery.slack import SlackSender
from tensionwatch.delivery.webhook import WebhookSender
from tensionwatch.handlers import api
from tensionwatch.store.alerts import AlertStore
from tensionwatch.store.secrets import SecretStore
from tensionwatch.store.subscriptions import EmailSubscriptions, SubscriptionStore
from tests.integration.api.client import MemoryDyads, MemorySilences
from tests.integration.sources.aws import create_table

DNS = {"hooks.example.com": ["93.184.216.34"], "hooks.slack.com": ["34.226.36.40"],
       "localhost": ["127.0.0.1"]}  # fmt: skip


@dataclass
class ApiWorld:
    services: ApiServices
    sns: Any
    topic_arn: str
    secrets_client: Any
    dynamodb: Any


@pytest.fixture
def world(aws: None, monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer) -> Iterator[ApiWorld]:
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    sns = boto3.client("sns", region_name="us-east-1")
    secrets_client = boto3.client("secretsmanager", region_name="us-east-1")
    create_table(dynamodb, "SubscriptionsTable")
    create_table(dynamodb, "AlertsTable")
    topic = sns.create_topic(Name="AlertsTopic")["TopicArn"]
    secrets = SecretStore("tw-test/webhooks/", secrets_client)
    resolve = lambda host: DNS.get(host, [])  # noqa: E731 - no DNS in tests
    ports = frozenset({httpserver.port})  # the local receivers' port, allowed explicitly
    services = ApiServices(
        subscriptions=SubscriptionStore("SubscriptionsTable", dynamodb),
        email=EmailSubscriptions(topic, sns),
        secrets=secrets,
        notifier=Notifier(slack=SlackSender(allow_local=True, ports=ports, resolver=resolve),
                          webhook=WebhookSender(allow_local=True, ports=ports, resolver=resolve),
                          secrets=secrets),
        silences=MemorySilences(),
        alerts=AlertStore("AlertsTable", dynamodb),
        dyads=MemoryDyads(),
        allow_local=True,
        ports=ports,
        resolver=resolve,
    )  # fmt: skip
    monkeypatch.setattr(api, "services", lambda: services)
    yield ApiWorld(services, sns, topic, secrets_client, dynamodb)
