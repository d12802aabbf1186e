"""`tensionwatch backtest` on the bundled sample archive against the production path on the
same news: the poll's band slots and the score function on DynamoDB and SNS (moto, TTL emulated)
publish exactly the alerts the backtest prints as JSON lines, and fail no record. CI runs a
week of it; `make full` the eight."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import moto
import pytest

from tensionwatch.backtest.archive import read_lines
from tensionwatch.backtest.inputs import sample_path
from tensionwatch.cli import main
from tensionwatch.models import Alert, Article
from tests.e2e.production_path import production_alerts
from tests.reliability.moto_speed import moto_speedups

# The week of the sample's Greece-Turkey escalation, repeat and flash (the demo's days 4-5).
WEEK = (datetime(2026, 11, 15, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC))


def sample_lines(start: datetime | None = None, end: datetime | None = None) -> list[bytes]:
    """The sample archive's lines, those published in [start, end) when given."""
    lines = gzip.decompress(sample_path().read_bytes()).splitlines()
    if start is None or end is None:
        return lines
    return [line for line in lines
            if start <= datetime.fromisoformat(json.loads(line)["published_at"]) < end]  # fmt: skip


def backtest(path: Path, capsys: pytest.CaptureFixture[str]) -> list[Alert]:
    """The alerts `tensionwatch backtest --jsonl` prints."""
    assert main(["backtest", str(path), "--jsonl", "--quiet"]) == 0
    return [Alert.model_validate_json(line) for line in capsys.readouterr().out.splitlines()]


def production(lines: list[bytes], monkeypatch: pytest.MonkeyPatch) -> list[Alert]:
    articles: list[Article] = [item.article for item in read_lines(lines)]  # type: ignore[union-attr]
    with moto.mock_aws(), moto_speedups():
        return production_alerts(articles, monkeypatch)


def by_id(alerts: list[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: a.id)


def test_a_week_of_the_sample_fires_the_same_alerts_in_production_and_the_backtest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = sample_lines(*WEEK)
    archive = tmp_path / "week.jsonl"
    archive.write_bytes(b"\n".join(lines) + b"\n")
    printed = backtest(archive, capsys)
    published = production(lines, monkeypatch)
    assert {(a.dyad, a.kind) for a in printed} >= {("GR-TR", "flash"), ("GR-TR", "state_change")}
    assert by_id(printed) == by_id(published)


# In the CI run (about two minutes): a harness step the poll gained went missing here once (the
# band slots' index, so copies a poll apart never met their stories) and only the whole
# sample, with its copies hours after their stories, showed it.
def test_the_whole_sample_fires_the_same_alerts_in_production_and_the_backtest(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = backtest(sample_path(), capsys)
    published = production(sample_lines(), monkeypatch)
    assert len(printed) >= 10 and by_id(printed) == by_id(published)
