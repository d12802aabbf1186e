"""Every pair a story is about folds into its own signal, under moto: the score pipeline, the
DyadsTable, the AlertsTopic. Off-topic stories fold into none; a copy, read on its own text,
folds as a copy into the pairs its reading names."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import boto3

from tensionwatch.handlers.score import pipeline
from tensionwatch.models import Article, Score
from tensionwatch.pipeline.score import ScorePipeline
from tensionwatch.signals.pairs import MAX_PAIRS_PER_ARTICLE
from tests.factories import T0, make_article, make_off_topic, make_pair, make_score
from tests.integration.score.stack import ScoreStack, outlet_marks
from tests.integration.score.test_concurrency import RecordingMetrics

CUT_TIES = "Bolivia, Chile and Peru cut diplomatic ties with Ecuador"
PAIRS = ("BO-EC", "CL-EC", "EC-PE")


def cut_ties_score(score: float = -10.0, *, grave: bool = True) -> Score:
    pairs = tuple(make_pair(d, score, grave=grave, share=0.333) for d in PAIRS)
    return make_score(PAIRS[0], score, grave=grave, pairs=pairs, phrase="cut diplomatic ties",
                      sentence=CUT_TIES)  # fmt: skip


def scored_by(readings: dict[str, Score]) -> tuple[ScorePipeline, RecordingMetrics]:
    """The handler's pipeline with a scorer that reads each headline as given."""
    metrics = RecordingMetrics()
    return replace(pipeline(), scorer=lambda a: readings[a.title], metrics=metrics), metrics


def copy_of(story: Article, outlet: str, minutes: int) -> Article:
    return make_article(story.title, url=f"https://{outlet}.example.com/{minutes}",
                        outlet=outlet, story_id=story.id,
                        published_at=story.published_at + timedelta(minutes=minutes))  # fmt: skip


def pair_items() -> list[dict[str, Any]]:
    table = boto3.client("dynamodb", region_name="us-east-1").scan(TableName="DyadsTable")
    return [i for i in table["Items"] if i["pk"]["S"].startswith("DYAD#")]


def test_a_story_about_several_pairs_folds_into_each_with_its_own_reading(
    stack: ScoreStack,
) -> None:
    story = make_article(CUT_TIES, outlet="Andes Wire")
    mixed = make_score("BO-EC", -10.0, grave=True, pairs=(
        make_pair("BO-EC", -10.0, grave=True, share=0.6),
        make_pair("CL-EC", -4.0, share=0.3),
        make_pair("EC-PE", 3.0, share=0.1),
    ))  # fmt: skip
    service, metrics = scored_by({CUT_TIES: mixed})
    service.handle(story)
    for dyad, direction, score in (("BO-EC", "escalation", -10.0), ("CL-EC", "escalation",
                                   -4.0), ("EC-PE", "thaw", 3.0)):  # fmt: skip
        [ref] = service.dyads.articles(dyad, T0, T0)
        assert (ref.id, ref.direction, ref.score, ref.pairs) == (story.id, direction, score,
                                                                 PAIRS)  # fmt: skip
        tally = service.dyads.snapshot(dyad, T0).window.tally
        assert (tally.stories, tally.score_sum) == (1, score)
    peaks = service.dyads.snapshot("BO-EC", T0).flash.tally.escalation_peaks
    assert peaks == 1 and service.dyads.snapshot("CL-EC", T0).flash.tally.escalation_peaks == 0
    assert metrics.counts == {"ArticlesScored": 1, "ArticlesWithSeveralPairs": 1}


def test_a_copy_of_the_same_text_folds_into_each_of_its_storys_pairs(stack: ScoreStack) -> None:
    story = make_article(CUT_TIES, outlet="Andes Wire")
    service, _ = scored_by({CUT_TIES: cut_ties_score()})
    service.handle(story)
    service.handle(copy_of(story, "Pacific Daily", 5))
    for dyad in PAIRS:
        tally = service.dyads.snapshot(dyad, T0 + timedelta(minutes=5)).window.tally
        assert (tally.articles, tally.stories) == (2, 1)
        assert tally.escalation_corroborating == outlet_marks("Andes Wire", "Pacific Daily")


def test_each_pair_of_a_grave_corroborated_story_flashes_once(stack: ScoreStack) -> None:
    story = make_article(CUT_TIES, outlet="Andes Wire")
    service, _ = scored_by({CUT_TIES: cut_ties_score()})
    articles = [story, copy_of(story, "Pacific Daily", 10), copy_of(story, "Quito Post", 20)]
    for _ in range(2):  # the whole batch redelivered: folds and alerts happen once
        for article in articles:
            service.handle(article)
    alerts = [r.alert for r in stack.received(stack.all_url)]
    assert sorted((a.dyad, a.kind, a.direction) for a in alerts) == [
        (dyad, "flash", "escalation") for dyad in PAIRS
    ]
    # the SNS message (the alert JSON, schema 2) says every pair the story is about
    assert {(a.schema_version, a.articles[0].pairs) for a in alerts} == {(2, PAIRS)}
    for dyad in PAIRS:
        assert service.dyads.snapshot(dyad, T0).window.tally.articles == 3


def test_the_same_story_not_grave_flashes_on_no_pair(stack: ScoreStack) -> None:
    story = make_article(CUT_TIES, outlet="Andes Wire")
    service, _ = scored_by({CUT_TIES: cut_ties_score(grave=False)})
    for article in (story, copy_of(story, "Pacific Daily", 10), copy_of(story, "Quito Post", 20)):
        service.handle(article)
    assert stack.received(stack.all_url) == []


def test_an_off_topic_story_and_its_copies_fold_into_no_pair(stack: ScoreStack) -> None:
    match = "Brazil and Argentina battle to a goalless draw"
    story = make_article(match, outlet="Sports Wire")
    service, metrics = scored_by({match: make_off_topic("sports", "draw", dyad="AR-BR")})
    for article in (story, copy_of(story, "Daily Ball", 10), copy_of(story, "Goal Post", 20)):
        service.handle(article)
    assert pair_items() == []
    assert stack.received(stack.all_url) == []
    assert metrics.counts == {"ArticlesScored": 3, "ArticlesOffTopic": 3, "SyndicatedCopies": 2}


def test_pairs_beyond_the_limit_are_dropped_and_counted(stack: ScoreStack) -> None:
    dyads = [f"AA-{c}{c}" for c in "BCDEFGHIJ"]  # nine pairs, one transaction under 100
    title = "Nine states sever ties with one"
    pairs = tuple(make_pair(d, -8.0, share=0.1) for d in dyads)
    service, metrics = scored_by({title: make_score(dyads[0], -8.0, pairs=pairs)})
    service.handle(make_article(title))
    folded = {i["pk"]["S"].removeprefix("DYAD#") for i in pair_items()}
    assert folded == set(dyads[:MAX_PAIRS_PER_ARTICLE])
    assert metrics.counts["PairsDropped"] == len(dyads) - MAX_PAIRS_PER_ARTICLE


def test_a_copy_in_flight_over_the_deploy_folds_on_its_own_reading(stack: ScoreStack) -> None:
    """The previous release left each story's reading on a marker for its copies; a copy
    queued before the deploy and handled after it is read on its own text and never waits for
    its story. The old markers are not read (DynamoDB's TTL takes them)."""
    story = make_article("Japan imposes sanctions on South Korea", outlet="Tokyo Times")
    old_marker = {"pk": {"S": f"ARTICLE#{story.id}"}, "sk": {"S": "FOLDED"},
                  "direction": {"S": "escalation"}, "score": {"N": "-7.5"},
                  "dyad": {"S": "JP-KR"}}  # fmt: skip
    boto3.client("dynamodb", region_name="us-east-1").put_item(
        TableName="DyadsTable", Item=old_marker
    )
    service, _ = scored_by({story.title: make_score("JP-KR", -6.0)})
    service.handle(copy_of(story, "Seoul Herald", 10))
    [ref] = service.dyads.articles("JP-KR", T0, T0 + timedelta(hours=1))
    assert (ref.outlet, ref.story_id, ref.score) == ("Seoul Herald", story.id, -6.0)
    tally = service.dyads.snapshot("JP-KR", T0 + timedelta(minutes=10)).window.tally
    assert (tally.articles, tally.stories, tally.escalation_corroborating) == (
        1, 0, outlet_marks("Seoul Herald"),
    )  # fmt: skip
