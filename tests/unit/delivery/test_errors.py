"""Failure classification: which answers retry, give up, or disable the subscription."""

from __future__ import annotations

import pytest

from tensionwatch.delivery.errors import from_http_error, from_status
from tensionwatch.http import HttpError


@pytest.mark.parametrize(
    ("status", "recoverable", "disable"),
    [(410, False, True), (429, True, False), (500, True, False), (503, True, False),
     (408, True, False), (400, False, False), (404, False, False), (301, False, False)],
)  # fmt: skip
def test_status_classification(status: int, recoverable: bool, disable: bool) -> None:
    error = from_status(status)
    assert (error.recoverable, error.disable) == (recoverable, disable)


def test_retry_after_survives_translation() -> None:
    error = from_http_error(HttpError("rate_limited", "POST x: 429", status=429, retry_after=7.0))
    assert error.recoverable
    assert error.retry_after == 7.0


def test_network_errors_are_recoverable_and_name_no_url() -> None:
    error = from_http_error(HttpError("timeout", "POST https://h.example/secret-path: timed out"))
    assert error.recoverable
    assert "secret-path" not in str(error)
