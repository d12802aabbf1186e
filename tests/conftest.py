"""Shared fixtures. moto is imported first so no boto3 client can be created against real AWS."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import moto  # before any boto3 client exists
import pytest

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"

# Fake credentials for the whole run: nothing in the tests can sign a request for real AWS.
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SECURITY_TOKEN="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="us-east-1",
    POWERTOOLS_METRICS_NAMESPACE="TensionWatch",
    POWERTOOLS_SERVICE_NAME="tensionwatch-test",
    POWERTOOLS_TRACE_DISABLED="true",
    POWERTOOLS_DEV="false",
)


@pytest.fixture
def shared_dir() -> Path:
    """`../shared` beside the project; tests that need it skip on a user's fresh clone."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} is absent: the labelled sets and seeds live beside the project")
    return SHARED_DIR


@pytest.fixture
def aws() -> Iterator[None]:
    """Every AWS call inside the test goes to moto."""
    with moto.mock_aws():
        yield
