"""DyadStore details under moto: transaction conflicts, syndicated copies, signals."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import boto3
import pytest

from tensionwatch.models import Article, PairReading
from tensionwatch.signals.state import PairState
from tensionwatch.signals.storage import Commit
from tensionwatch.signals.windows import Tally
from tensionwatch.store.dyad_items import (
    DIGEST_BYTES,
    LEGACY_ID_CHARS,
    day_sk,
    hour_sk,
    short_digest,
    tally_of,
)
from tensionwatch.store.dyads import DyadStore
from tests.factories import T0, make_article, make_score
from tests.integration.score.stack import ScoreStack, outlet_marks


def store() -> DyadStore:
    return DyadStore("DyadsTable", client=boto3.client("dynamodb", region_name="us-east-1"))


def test_a_fold_is_a_guarded_update_of_its_hour_its_day_the_sum_and_no_transaction(
    stack: ScoreStack,
) -> None:
    calls: list[str] = []
    spy = SpyClient(boto3.client("dynamodb", region_name="us-east-1"), calls)
    dyads = DyadStore("DyadsTable", client=spy)  # type: ignore[arg-type]
    assert dyads.fold(make_article(), make_score("JP-KR", 6.0)) is True
    # the hour; the day's hours and bucket read, the day put as their sum; the citation
    assert calls == ["update_item", "query", "query", "put_item", "put_item"]
    assert dyads.get("JP-KR") is None  # folded, but no state written yet: the pipeline decides next
    assert dyads.snapshot("JP-KR", T0).window.tally.stories == 1


def test_refolding_the_same_article_is_refused(stack: ScoreStack) -> None:
    dyads = store()
    article = make_article()
    assert dyads.fold(article, make_score("JP-KR", 6.0)) is True
    assert dyads.fold(article, make_score("JP-KR", 6.0)) is False
    assert dyads.snapshot("JP-KR", T0).window.tally.articles == 1


def test_a_copy_folds_on_its_own_reading_as_a_copy_under_its_story(stack: ScoreStack) -> None:
    dyads = store()
    story = make_article(outlet="Wire")
    dyads.fold(story, make_score("JP-KR", 7.5))
    copy = make_article(url="https://b.example.com/1", outlet="Paper B", story_id=story.id)
    assert dyads.fold(copy, make_score("JP-KR", 5.0)) is True  # its own text's reading
    assert dyads.fold(copy, make_score("JP-KR", 5.0)) is False  # and once
    tally = dyads.snapshot("JP-KR", T0).window.tally
    assert (tally.articles, tally.stories, tally.score_sum) == (2, 1, 7.5)
    assert tally.outlets == outlet_marks("Wire", "Paper B")
    assert tally.thaw_outlets == outlet_marks("Wire")
    refs = {r.outlet: r for r in dyads.articles("JP-KR", T0, T0)}
    assert refs["Wire"].evidence[0].phrase == "mend ties"
    assert (refs["Paper B"].story_id, refs["Paper B"].score, refs["Paper B"].evidence) == (
        story.id,
        5.0,
        (),
    )


def test_a_copy_read_about_another_pair_folds_there_adding_no_story(stack: ScoreStack) -> None:
    dyads = store()
    story = make_article(outlet="Wire")
    dyads.fold(story, make_score("JP-KR", 7.5))
    copy = make_article(url="https://b.example.com/1", outlet="Paper B", story_id=story.id)
    dyads.fold(copy, make_score("CN-US", -6.0))
    tally = dyads.snapshot("CN-US", T0).window.tally
    assert (tally.articles, tally.stories, tally.score_sum, tally.escalation_stories) == (
        1,
        0,
        0.0,
        0,
    )
    assert [r.story_id for r in dyads.articles("CN-US", T0, T0)] == [story.id]
    assert dyads.snapshot("JP-KR", T0).window.tally.articles == 1


def test_an_article_without_a_pair_writes_nothing(stack: ScoreStack) -> None:
    dyads = store()
    article = make_article("Markets rally on rate hopes")
    assert dyads.fold(article, make_score(None, 0.0)) is True
    assert dyads.fold(article, make_score(None, 0.0)) is True  # nothing folded, nothing twice
    table = boto3.client("dynamodb", region_name="us-east-1").scan(TableName="DyadsTable")
    assert table["Items"] == []


class CrashBefore:
    """A client whose Lambda dies once before writing the first item whose sort key starts
    with `prefix` (`A#`: a citation; `D#`: a day bucket)."""

    def __init__(self, inner: Any, prefix: str) -> None:
        self.inner, self.prefix, self.crashed = inner, prefix, False

    def _crash(self, sk: str) -> None:
        if sk.startswith(self.prefix) and not self.crashed:
            self.crashed = True
            raise RuntimeError("the function timed out")

    def put_item(self, **request: Any) -> Any:
        self._crash(request["Item"]["sk"]["S"])
        return self.inner.put_item(**request)

    def update_item(self, **request: Any) -> Any:
        self._crash(request["Key"]["sk"]["S"])
        return self.inner.update_item(**request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_fold_cut_short_before_its_day_gets_it_summed_in_on_the_retry(
    stack: ScoreStack,
) -> None:
    client = CrashBefore(boto3.client("dynamodb", region_name="us-east-1"), "D#")
    dyads = DyadStore("DyadsTable", client=client)  # type: ignore[arg-type]
    article = make_article()
    with pytest.raises(RuntimeError):
        dyads.fold(article, make_score("JP-KR", 6.0))
    snap = dyads.snapshot("JP-KR", T0)
    assert (snap.window.tally.articles, snap.trend.tally.articles) == (1, 0)
    # SQS's redelivery: its hour holds it already, and its day is summed from the hours
    assert dyads.fold(article, make_score("JP-KR", 6.0)) is False
    assert dyads.fold(article, make_score("JP-KR", 6.0)) is False  # and nothing takes it twice
    snap = dyads.snapshot("JP-KR", T0)
    assert (snap.window.tally.articles, snap.trend.tally.articles) == (1, 1)


def test_a_fold_cut_short_before_its_citations_gets_them_on_the_retry(stack: ScoreStack) -> None:
    client = CrashBefore(boto3.client("dynamodb", region_name="us-east-1"), "A#")
    dyads = DyadStore("DyadsTable", client=client)  # type: ignore[arg-type]
    article = make_article()
    with pytest.raises(RuntimeError):
        dyads.fold(article, make_score("JP-KR", 6.0))
    assert dyads.articles("JP-KR", T0, T0) == []  # folded, but not yet cited
    assert dyads.fold(article, make_score("JP-KR", 6.0)) is False  # SQS's redelivery
    assert [r.id for r in dyads.articles("JP-KR", T0, T0)] == [article.id]
    assert dyads.snapshot("JP-KR", T0).window.tally.articles == 1


def test_an_article_of_two_pairs_folds_into_both_once(stack: ScoreStack) -> None:
    dyads = store()
    two = make_score("JP-KR", 6.0, pairs=(
        PairReading(dyad="JP-KR", direction="thaw", score=6.0, share=0.6),
        PairReading(dyad="CN-JP", direction="escalation", score=-4.0, share=0.4)))  # fmt: skip
    article = make_article()
    assert dyads.fold(article, two) is True
    assert dyads.fold(article, two) is False
    for dyad in ("JP-KR", "CN-JP"):
        assert dyads.snapshot(dyad, T0).window.tally.articles == 1
        assert len(dyads.articles(dyad, T0, T0)) == 1


def test_the_hour_remembers_its_folds_by_a_6_byte_digest_and_the_day_is_their_sum(
    stack: ScoreStack,
) -> None:
    dyads = store()
    articles = [make_article(url=f"https://a.example.com/{n}") for n in range(3)]
    for n, article in enumerate(articles):
        later = article.published_at + timedelta(hours=n)  # three hours of one day
        dyads.fold(article.model_copy(update={"published_at": later}), make_score("JP-KR", 6.0))
    client = boto3.client("dynamodb", region_name="us-east-1")

    def bucket(sk: str) -> dict[str, Any]:
        key = {"pk": {"S": "DYAD#JP-KR"}, "sk": {"S": sk}}
        return client.get_item(TableName="DyadsTable", Key=key)["Item"]  # type: ignore[no-any-return]

    hours = [bucket(hour_sk(T0 + timedelta(hours=n))) for n in range(3)]
    assert [h["folds"]["BS"] for h in hours] == [[short_digest(a.id)] for a in articles]
    assert {len(h["folds"]["BS"][0]) for h in hours} == {DIGEST_BYTES}
    day = bucket(day_sk(T0.date()))
    assert "folds" not in day  # no digests: it grows with its outlets, not its articles
    total = tally_of(day)
    assert (total.articles, total.stories, total.score_sum) == (3, 3, 18.0)


def test_a_bucket_written_before_the_digests_still_refuses_its_folds(stack: ScoreStack) -> None:
    """Buckets of the 16-character `folded` ids: an article they hold folds nothing again,
    a new one folds beside them."""
    client = boto3.client("dynamodb", region_name="us-east-1")
    old, new = (
        make_article(url="https://a.example.com/old"),
        make_article(url="https://b.example/n"),
    )
    for sk in (hour_sk(T0), day_sk(T0.date())):
        client.put_item(TableName="DyadsTable", Item={
            "pk": {"S": "DYAD#JP-KR"}, "sk": {"S": sk}, "articles": {"N": "1"},
            "stories": {"N": "1"}, "folded": {"SS": [old.id[:LEGACY_ID_CHARS]]}})  # fmt: skip
    dyads = store()
    assert dyads.fold(old, make_score("JP-KR", 6.0)) is False
    assert dyads.fold(new, make_score("JP-KR", 6.0)) is True
    assert dyads.snapshot("JP-KR", T0).window.tally.articles == 2


def test_a_state_write_alone_is_one_conditional_update(stack: ScoreStack) -> None:
    dyads = store()
    dyads.fold(make_article(), make_score("JP-KR", 6.0))
    first = PairState(version=1, latest=T0)
    assert dyads.commit("JP-KR", PairState(), first) is Commit.DONE  # a new day: index too
    later = replace(first, version=2, latest=T0 + timedelta(minutes=5))
    calls: list[str] = []
    spy = SpyClient(boto3.client("dynamodb", region_name="us-east-1"), calls)
    alone = DyadStore("DyadsTable", client=spy)  # type: ignore[arg-type]
    assert alone.commit("JP-KR", first, later) is Commit.DONE
    assert calls == ["update_item"]
    assert alone.commit("JP-KR", first, replace(later, version=3)) is Commit.CONFLICT
    assert alone.state("JP-KR").latest == later.latest


class SpyClient:
    def __init__(self, inner: Any, calls: list[str]) -> None:
        self.inner, self.calls = inner, calls

    def __getattr__(self, name: str) -> Any:
        self.calls.append(name)
        return getattr(self.inner, name)


def test_a_buckets_outlets_are_digests_counted_as_the_names_were(stack: ScoreStack) -> None:
    """Outlet names leave as 6-byte digests; a bucket written before holds the names, and an
    outlet in both forms counts once."""
    client = boto3.client("dynamodb", region_name="us-east-1")
    key = {"pk": {"S": "DYAD#JP-KR"}, "sk": {"S": hour_sk(T0)}}
    client.put_item(TableName="DyadsTable", Item={**key, "articles": {"N": "1"},
                    "outlets": {"SS": ["Paper A"]}})  # fmt: skip
    dyads = store()
    for n, outlet in enumerate(["Paper A", "Paper B", "Paper B"]):
        article = make_article(url=f"https://o.example/{n}", outlet=outlet)
        dyads.fold(article, make_score("JP-KR", 6.0))
    bucket = client.get_item(TableName="DyadsTable", Key=key)["Item"]
    assert sorted(bucket["outlets_d"]["BS"]) == sorted(
        short_digest(o) for o in ("Paper A", "Paper B")
    )
    assert len(dyads.snapshot("JP-KR", T0).window.tally.outlets) == 2


class FoldsAfterHours(DyadStore):
    """A store whose first reading of a day's hours is followed at once by another run's fold
    into that day (its hour, then its day)."""

    other: Article | None = None

    def day_hours(self, dyad: str, day: date) -> list[Tally]:
        hours = super().day_hours(dyad, day)
        if self.other is not None:
            other, self.other = self.other, None
            store().fold(other, make_score("JP-KR", 6.0))
        return hours


def test_a_day_summed_while_another_run_folds_into_it_keeps_both(stack: ScoreStack) -> None:
    """One by one, a day's count is read before its hours: a fold written after both reads
    makes the put refused and the day summed again, never put without it."""
    racing = FoldsAfterHours("DyadsTable")
    racing.other = make_article(url="https://b.example.com/racing")
    assert racing.fold(make_article(), make_score("JP-KR", 6.0)) is True
    [day] = racing.buckets("JP-KR", day_sk(T0.date()), day_sk(T0.date()))
    assert tally_of(day).articles == 2
