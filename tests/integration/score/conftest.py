"""The score handler wired to moto."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tensionwatch.config import score_settings
from tensionwatch.handlers import score
from tests.integration.score.stack import TABLES, ScoreStack, score_stack


@pytest.fixture
def stack(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[ScoreStack]:
    resources = score_stack()
    for variable, table in TABLES.items():
        monkeypatch.setenv(variable, table)
    monkeypatch.setenv("ALERTS_TOPIC_ARN", resources.topic_arn)
    score_settings.cache_clear()
    score.pipeline.cache_clear()
    yield resources
    score.pipeline.cache_clear()
    score_settings.cache_clear()
