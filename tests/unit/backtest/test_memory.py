"""The in-memory home keeps the DynamoDB adapters' contracts: an alert is recorded once per id
and claimed by one run at a time; a state write on a stale version is a conflict; a redelivered
article folds nothing; a story's reading lives as long as its marker would."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tensionwatch.backtest.memory import (
    MemoryAlertLedger,
    MemoryPairStore,
    MemorySilences,
)
from tensionwatch.models import Silence
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.pairs import fold_plan
from tensionwatch.signals.state import PairState
from tensionwatch.signals.storage import Commit
from tests.factories import T0, make_alert, make_article, make_score


def test_an_alert_is_recorded_once_and_claimed_by_one_run_at_a_time() -> None:
    ledger = MemoryAlertLedger()
    alert = make_alert()
    assert ledger.record([alert]) and not ledger.record([alert, make_alert("GR-TR")])
    assert ledger.get(make_alert("GR-TR").id) is None  # all or nothing
    assert ledger.claim(alert.id, now=100.0, lease_seconds=60) == alert
    assert ledger.claim(alert.id, now=130.0, lease_seconds=60) is None  # held
    assert ledger.claim(alert.id, now=161.0, lease_seconds=60) == alert  # its holder died
    ledger.release(alert.id)
    assert ledger.claim(alert.id, now=162.0, lease_seconds=60) == alert
    ledger.mark_published(alert.id, "m-1")
    assert ledger.claim(alert.id, now=999.0, lease_seconds=60) is None
    record = ledger.get(alert.id)
    assert record is not None and (record.status, record.message_id) == ("published", "m-1")


def test_a_state_written_on_a_stale_version_is_a_conflict_and_alerts_land_with_it() -> None:
    ledger = MemoryAlertLedger()
    store = MemoryPairStore(ledger, SignalConfig())
    first = replace(PairState(), state="thawing", version=1)
    assert store.commit("JP-KR", PairState(), first, [make_alert()]) is Commit.DONE
    assert store.state("JP-KR").pending == {make_alert().id}
    assert store.commit("JP-KR", PairState(), first) is Commit.CONFLICT
    again = replace(first, version=2)
    assert store.commit("JP-KR", first, again, [make_alert()]) is Commit.DUPLICATE
    store.clear_pending("JP-KR", make_alert().id)
    assert store.state("JP-KR").pending == frozenset()


def test_a_redelivered_article_folds_nothing_until_its_bucket_expires() -> None:
    store = MemoryPairStore(MemoryAlertLedger(), SignalConfig())
    story = make_article("Japan imposes sanctions on South Korea")
    score = make_score(direction="escalation", score=-8.0, dyad="JP-KR")
    assert store.fold(story, score, fold_plan(score))
    assert not store.fold(story, score, fold_plan(score))
    assert store.folded() == {"JP-KR": (1, 0)}
    copy = make_article("Japan imposes sanctions on South Korea", url="https://b.example/1",
                        story_id=story.id, published_at=T0 + timedelta(hours=2))  # fmt: skip
    assert store.fold(copy, score, fold_plan(score)) and store.folded() == {"JP-KR": (1, 1)}
    assert not store.fold(copy, score, fold_plan(score))
    # its fold is remembered as long as the hour bucket whose `folded` set guards it
    store.expire(T0 + timedelta(days=SignalConfig().baseline_days + 10) - timedelta(seconds=1))
    assert not store.fold(story, score, fold_plan(score))
    store.expire(T0 + timedelta(days=SignalConfig().baseline_days + 10, seconds=1))
    assert store.fold(story, score, fold_plan(score))  # seen again, it is new again


def test_an_article_of_no_pair_folds_nothing_and_holds_nothing() -> None:
    store = MemoryPairStore(MemoryAlertLedger(), SignalConfig())
    article = make_article("Markets rally on rate hopes")
    off = make_score(None, 0.0)
    assert store.fold(article, off, fold_plan(off)) and store.fold(article, off, fold_plan(off))
    assert store.folded() == {}


def test_silences_in_force_at_a_time() -> None:
    silence = Silence(id="s", starts_at=T0, ends_at=T0 + timedelta(hours=1), created_by="me")
    silences = MemorySilences([silence])
    assert silences.active(T0) == [silence]
    assert silences.active(T0 + timedelta(hours=1)) == []
