"""Shared fixtures. moto is imported first so no boto3 client can be created against real AWS."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import moto  # before any boto3 client exists
import pytest

if os.environ.get("TENSIONWATCH_SOURCE_ONLY") == "1":
    from tests.source_only import install

    install()

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


def _stale_extensions(package: Path) -> list[str]:
    """Modules compiled in place (`make compile`) whose source changed since: the interpreter
    would load the old extension, and the tests would pass or fail on yesterday's code."""
    stale = []
    for extension in package.rglob("*.so"):
        source = extension.with_name(extension.name.split(".", 1)[0] + ".py")
        if source.exists() and source.stat().st_mtime > extension.stat().st_mtime:
            stale.append(str(source.relative_to(package.parent)))
    return stale


def pytest_configure(config: pytest.Config) -> None:
    package = Path(__file__).resolve().parents[1] / "functions" / "tensionwatch"
    if stale := _stale_extensions(package):
        pytest.exit(f"compiled modules older than their source {stale}: run `make compile`", 2)


@pytest.fixture
def shared_dir() -> Path:
    """`../shared` beside the project; tests that need it skip on a user's fresh clone."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} is absent: the labelled sets and seeds live beside the project")
    return SHARED_DIR


@pytest.fixture(autouse=True)
def payload_contracts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every webhook body the product renders and every SNS message it publishes, in any test
    (the demo's included), validated against the published schemas; a test that produced an
    invalid one fails. The spies wrap the product's one door per kind and change nothing."""
    from tensionwatch.delivery import notifier
    from tensionwatch.store import topic
    from tests.contracts import check_sns, check_webhook

    found: list[str] = []

    def spy(module: Any, name: str, check: Any) -> None:
        original = getattr(module, name)

        def checked(*args: Any, **kwargs: Any) -> Any:
            payload = original(*args, **kwargs)
            found.extend(check(payload))
            return payload

        monkeypatch.setattr(module, name, checked)

    spy(notifier, "webhook_body", check_webhook)
    spy(topic, "publish_request", check_sns)
    spy(topic, "digest_publish_request", check_sns)
    yield found
    assert not found, f"payloads that break their published schema: {found[:5]}"


def pytest_sessionfinish(session: pytest.Session) -> None:
    from tests.contracts import COUNTS

    output = getattr(session.config, "workeroutput", None)
    if output is not None:  # an xdist worker: hand the counts to the controller
        output["payload_contracts"] = dict(COUNTS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    from tests.contracts import COUNTS

    COUNTS.update(getattr(node, "workeroutput", {}).get("payload_contracts", {}))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.contracts import COUNTS

    if COUNTS:
        counted = ", ".join(f"{name} {n}" for name, n in sorted(COUNTS.items()))
        terminalreporter.write_line(f"payloads validated against docs/schemas: {counted}")


@pytest.fixture
def aws() -> Iterator[None]:
    """Every AWS call inside the test goes to moto."""
    with moto.mock_aws():
        yield
