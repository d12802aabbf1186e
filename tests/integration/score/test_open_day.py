"""A pair's open day (that of its latest article) is summed on its state item, which every
batch writes anyway, not put as a day bucket each batch; the day's bucket is put once the
pair's news moves on to a later day (store.dyad_batch). What every reader then sees."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import boto3
import pytest

from tensionwatch.cli import main
from tensionwatch.digests.build import Period
from tensionwatch.handlers.score import handler, pipeline
from tensionwatch.models import Article
from tensionwatch.signals.fold import added
from tensionwatch.signals.windows import Tally
from tensionwatch.store import dyad_items as items
from tensionwatch.store.digests import DigestReads
from tensionwatch.store.dyad_batch import PairBatch
from tensionwatch.store.dyads import DyadStore
from tests.factories import T0
from tests.integration.score.stack import FakeContext, ScoreStack, sqs_event
from tests.integration.score.test_batch_writes import RacingStore, records
from tests.integration.score.test_concurrency import RecordingMetrics
from tests.integration.score.test_score_handler import ESCALATION, china_japan, stories

DAY = T0.date()


def score(articles: list[Article]) -> None:
    assert handler(sqs_event(articles), FakeContext()) == {"batchItemFailures": []}


def store() -> DyadStore:
    return pipeline().dyads  # type: ignore[return-value]


def hours_sum(day: date) -> Tally:
    """The day's hour buckets as the table holds them, summed."""
    total = Tally()
    for hour in store().day_hours("JP-KR", day):
        total = added(total, hour)
    return total


def day_bucket(day: date) -> Tally | None:
    found = store().buckets("JP-KR", items.day_sk(day), items.day_sk(day))
    return items.tally_of(found[0]) if found else None


def next_day(articles: list[Article]) -> list[Article]:
    return [
        a.model_copy(update={"id": a.id + "-next", "url": a.url + "/next",
                             "published_at": a.published_at + timedelta(days=1)})
        for a in articles
    ]  # fmt: skip


def test_a_batch_sums_its_open_day_on_the_state_and_puts_no_day_bucket(
    stack: ScoreStack,
) -> None:
    score(stories(ESCALATION))
    read = store().state_read("JP-KR")
    assert read.open_day == (DAY, hours_sum(DAY))
    assert read.open_day[1].articles == 4
    assert day_bucket(DAY) is None


def test_the_day_bucket_is_put_once_the_pairs_news_moves_to_a_later_day(
    stack: ScoreStack,
) -> None:
    score(stories(ESCALATION))
    later = next_day(stories(ESCALATION))
    score(later[:1])
    assert day_bucket(DAY) == hours_sum(DAY)
    assert hours_sum(DAY).articles == 4
    assert store().state_read("JP-KR").open_day == (
        DAY + timedelta(days=1),
        hours_sum(later[0].published_at.date()),
    )
    score(later[1:])  # the next day's bucket stays unput while it is open
    assert day_bucket(DAY + timedelta(days=1)) is None
    signal = store().get("JP-KR")
    assert signal is not None
    trend = next(w for w in signal.windows if w.name == "7d")
    assert trend.articles == 8  # the closed day's bucket and the open day's sum


def test_a_late_article_into_the_open_day_moves_no_decision_but_its_sum(
    stack: ScoreStack,
) -> None:
    first, *rest = stories(ESCALATION)
    score(rest)
    before = store().state_read("JP-KR")
    score([first])  # published before the pair's latest article
    after = store().state_read("JP-KR")
    assert after.state.latest == before.state.latest
    assert after.open_day == (DAY, hours_sum(DAY))
    assert after.open_day[1].articles == 4


def test_a_batch_racing_another_into_the_open_day_leaves_its_sum_whole(
    stack: ScoreStack,
) -> None:
    """Another batch folds other articles of the same day while this one writes its hours:
    its state write finds the pair moved, and the day is summed again on what is there."""
    p = replace(pipeline(), metrics=RecordingMetrics())
    articles = stories(ESCALATION)
    other = lambda: p.handle_batch(records(articles[2:]))  # noqa: E731
    racing = RacingStore(p.dyads, "update_new", other)  # type: ignore[arg-type]
    first = replace(p, batch=lambda: PairBatch(racing, p.alerts))  # type: ignore[arg-type]
    assert first.handle_batch(records(articles[:2])) == []
    assert p.metrics.counts["StateConflicts"] == 1  # type: ignore[attr-defined]
    assert store().state_read("JP-KR").open_day == (DAY, hours_sum(DAY))
    assert hours_sum(DAY).articles == 4


def test_a_digest_reads_the_open_day_from_the_state(stack: ScoreStack) -> None:
    score(stories(ESCALATION))
    reads = DigestReads(
        "DyadsTable", "AlertsTable", boto3.client("dynamodb", region_name="us-east-1")
    )
    period = Period(T0.replace(hour=0), T0.replace(hour=0) + timedelta(days=1))
    [(dyad, read)] = reads.states(["JP-KR"]).items()
    history = reads.history(dyad, read, period, baseline_days=30)
    assert history.days[DAY] == hours_sum(DAY)
    assert history.period.articles == 4


def test_settle_days_puts_each_open_day_in_its_bucket_for_a_rollback(
    stack: ScoreStack, capsys: pytest.CaptureFixture[str]
) -> None:
    """Code before the open day reads day buckets alone: `tensionwatch settle-days` gives it
    each pair's open day there first."""
    score(stories(ESCALATION))
    score(china_japan())
    assert day_bucket(DAY) is None
    capsys.readouterr()  # the handler's metrics
    assert main(["settle-days", "--table", "DyadsTable"]) == 0
    assert capsys.readouterr().out == "settled 2 open days in DyadsTable\n"
    assert day_bucket(DAY) == hours_sum(DAY)
    assert store().buckets("CN-JP", items.day_sk(DAY), items.day_sk(DAY)) != []
    assert main(["settle-days", "--table", "DyadsTable"]) == 0  # again: the same buckets
    assert day_bucket(DAY) == hours_sum(DAY)


def test_settle_days_says_why_it_failed(
    stack: ScoreStack, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["settle-days", "--table", "NoSuchTable"]) == 1
    assert "ResourceNotFoundException" in capsys.readouterr().err
