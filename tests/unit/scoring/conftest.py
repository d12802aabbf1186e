"""The packaged scorer, shared by the scoring tests (built once per process)."""

from __future__ import annotations

import pytest

from tensionwatch.scoring.scorer import Scorer, default_scorer


@pytest.fixture(scope="session")
def scorer() -> Scorer:
    return default_scorer()
