"""Fixtures of the digest function's integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from tests.integration.digests.world import DigestWorld, digest_world
from tests.reliability.moto_speed import moto_speedups

START = datetime(2026, 10, 20, tzinfo=UTC)  # a fortnight over both autumn DST changes


@pytest.fixture
def world(aws: None, httpserver: HTTPServer) -> Iterator[DigestWorld]:
    # moto's DynamoDB at the cost of what a call touches (answers unchanged): hundreds of
    # seeded pairs would otherwise make each transaction copy the whole table.
    with moto_speedups():
        yield from digest_world(httpserver, START)
