"""DyadsTable item encoding that needs no table."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tensionwatch.models import AlertEvidence
from tensionwatch.signals.alerts import ArticleRef
from tensionwatch.store.dyad_items import citations_in, citations_item, number


def test_scores_at_the_ends_of_the_scale_are_stored_as_plain_numbers() -> None:
    """The calibrated scale reaches exactly ±10 (an invasion); '-1E+1' broke the fold."""
    assert [number(v) for v in (-10.0, 10.0, 20.0, 0.0, -2.5, 1 / 3)] == [
        "-10", "10", "20", "0", "-2.5", "0.333",
    ]  # fmt: skip


def test_the_digest_indexes_change_only_with_a_new_day_or_a_new_state() -> None:
    from tensionwatch.signals.state import PairState
    from tensionwatch.store.dyad_items import index_actions

    monday = datetime(2026, 11, 2, 9, tzinfo=UTC)
    later = monday.replace(hour=17)
    first = index_actions("T", "GR-TR", PairState(), PairState(latest=monday), 1)
    assert [a["Put"]["Item"]["pk"]["S"] for a in first] == ["ACTIVE#2026-11-02"]
    assert index_actions("T", "GR-TR", PairState(latest=monday), PairState(latest=later), 1) == []
    escalating = PairState(state="escalating", since=later, latest=later)
    entered = index_actions("T", "GR-TR", PairState(latest=monday), escalating, 1)
    assert entered[0]["Put"]["Item"]["pk"]["S"] == "UNSTEADY"
    assert entered[0]["Put"]["Item"]["since"]["S"] == "2026-11-02T17:00:00+00:00"
    left = index_actions("T", "GR-TR", PairState(state="escalating", latest=later),
                         PairState(latest=later), 1)  # fmt: skip
    assert left == [{"Delete": {"TableName": "T", "Key": {"pk": {"S": "UNSTEADY"},
                                                           "sk": {"S": "GR-TR"}}}}]  # fmt: skip


def _refs() -> list[ArticleRef]:
    at = datetime(2026, 11, 2, 9, 5, tzinfo=UTC)
    sentence = (
        "Japan imposes export curbs on South Korea over the wartime labour dispute, officials said."
    )
    quotes = tuple(
        AlertEvidence(phrase=phrase, sentence=sentence, category="COERCE", weight=-6.5,
                      article_url=url, outlet=outlet)
        for phrase, url, outlet in (
            ("imposes export curbs", "https://a.example/1", "Asahi"),
            ("wartime labour dispute", "https://b.example/9", "Yonhap ñews"),  # another's quote
        )
    )  # fmt: skip
    title = "Japan curbs exports to Korea — «first» step"
    story = ArticleRef("a" * 32, title, "https://a.example/1", "Asahi", at, "a" * 32,
                       "escalation", -6.5, quotes, ("JP-KR", "CN-JP"))  # fmt: skip
    copy = ArticleRef("b" * 32, "Japan curbs exports", "https://c.example/2", "Kyodo",
                      at.replace(minute=40), "a" * 32, "escalation", -6.5)  # fmt: skip
    return [story, copy]


def test_a_batchs_citations_of_an_hour_come_back_whole_from_one_item_of_one_write_unit() -> None:
    refs = _refs()
    item = citations_item("JP-KR", refs, 1)
    hour = datetime(2026, 11, 2, 9, tzinfo=UTC)
    assert citations_in([item], hour, hour + timedelta(hours=1)) == refs
    assert citations_in([item], hour, hour + timedelta(minutes=30)) == refs[:1]
    # two citations with their quotes: one write unit (a kilobyte), where plain they took two
    assert sum(len(k) + len(next(iter(v.values()))) for k, v in item.items()) < 1024


def test_citations_of_the_older_layouts_are_read_with_the_packed_ones_each_once() -> None:
    story, copy = _refs()

    def plain(ref: ArticleRef) -> dict[str, Any]:
        quotes = [e.model_dump() for e in ref.evidence]
        return {"sk": {"S": f"A#{ref.published_at.isoformat()}#{ref.id}"},
                "title": {"S": ref.title}, "url": {"S": ref.url}, "outlet": {"S": ref.outlet},
                "published_at": {"S": ref.published_at.isoformat()},
                "story_id": {"S": ref.story_id}, "direction": {"S": ref.direction},
                "score": {"N": str(ref.score)}, "evidence": {"S": json.dumps(quotes)}}  # fmt: skip

    single = {"pk": {"S": "DYAD#JP-KR"}, **plain(copy)}
    listed = {"pk": {"S": "DYAD#JP-KR"}, "sk": {"S": "A#2026-11-02T09:00:00+00:00#+ab"},
              "refs": {"L": [{"M": plain(story)}, {"M": plain(copy)}]}}  # fmt: skip
    packed = citations_item("JP-KR", [story], 1)
    hour = datetime(2026, 11, 2, 9, tzinfo=UTC)
    found = citations_in([listed, packed, single], hour, hour + timedelta(hours=1))
    # the older items name no pairs: a citation is about its own pair alone
    assert [ref.id for ref in found] == [story.id, copy.id]
    assert found[1] == replace(copy, pairs=())


def test_a_days_sum_is_the_later_of_its_bucket_and_the_states_open_day() -> None:
    """Both sum the day's hours, which only gain folds: the one of more articles is later,
    whichever wrote it (a batch's state, or a bucket put by older code or the one-by-one
    path)."""
    from datetime import date

    from tensionwatch.signals.windows import Tally
    from tensionwatch.store.dyad_items import (
        open_day_of,
        open_day_value,
        stored_tally,
        with_open_day,
    )

    day, earlier = date(2026, 11, 2), date(2026, 11, 1)
    two = stored_tally(Tally(articles=2, stories=2, score_sum=-3.5, outlets=frozenset({"A"})))
    three = stored_tally(Tally(articles=3, stories=2, score_sum=-3.5, outlets=frozenset("AB")))
    held = {earlier: two, day: two}
    assert with_open_day(held, (day, three)) == {earlier: two, day: three}
    assert with_open_day({earlier: two, day: three}, (day, two))[day] == three
    assert with_open_day({earlier: two}, (day, three)) == {earlier: two, day: three}
    assert with_open_day(held, None) is held
    assert open_day_of({"open_day": open_day_value(day, three)}) == (day, three)
    assert open_day_of({}) is None
