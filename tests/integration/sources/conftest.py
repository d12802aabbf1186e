"""Fixtures for the adapter tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


class Stall:
    """A handler that holds its answer until released: a server slower than the client's
    timeout, without the test sleeping."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def __call__(self, request: Request) -> Response:
        self.release.wait(2.0)
        return Response("{}", content_type="application/json")


@pytest.fixture
def stall(httpserver: HTTPServer) -> Iterator[Stall]:
    handler = Stall()
    yield handler
    handler.release.set()  # let the server finish before the next test reads its log
    time.sleep(0.005)
