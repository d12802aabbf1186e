"""Two polls past their lookups of the band slots at the same moment (or a slot not yet visible,
or one whose put failed after its send) both queue an article. The score stage folds it once
into each pair, as it does a redelivery: its buckets keep the digests of what they folded."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import boto3

from tensionwatch.handlers import score
from tensionwatch.models import Article
from tensionwatch.store.dyads import DyadStore
from tests.factories import T0, make_article
from tests.integration.score.stack import FakeContext, ScoreStack, sqs_event
from tests.integration.sources.aws import poll_resources
from tests.integration.test_poll_guarantees import racing_polls

LEAD = (
    "Japan and South Korea agreed on Tuesday to resume security talks, foreign minister "
    "Park Jin said after meeting his counterpart Yoko Kamikawa in Seoul on the islets dispute."
)
HEADLINES = (
    "Japan and South Korea agree to mend ties",
    "South Korea lifts curbs on Japanese seafood after talks in Seoul",
    "Tokyo and Seoul sign a pact to restore their intelligence sharing",
)


def test_two_polls_racing_for_a_url_queue_it_twice_and_it_folds_once(stack: ScoreStack) -> None:
    articles = [
        make_article(title, url=f"https://outlet{n}.example/world/{n}", outlet=f"Outlet {n}",
                     published_at=T0 - timedelta(minutes=10 * n))
        for n, title in enumerate(HEADLINES)
    ]  # fmt: skip
    res = poll_resources()
    racing_polls(res, articles)
    queued = res.drain()
    assert Counter(a.id for a in queued) == Counter(a.id for a in articles * 2)
    answer = score.handler(sqs_event(queued), FakeContext())
    assert answer["batchItemFailures"] == []
    dyads = DyadStore("DyadsTable", client=boto3.client("dynamodb", region_name="us-east-1"))
    window = dyads.snapshot("JP-KR", T0).window
    assert (window.tally.articles, window.tally.stories) == (3, 3)
    assert sorted(r.id for r in dyads.articles("JP-KR", window.start, window.end)) == sorted(
        a.id for a in articles
    )


def test_a_story_and_its_copy_queued_twice_in_later_batches_change_nothing(
    stack: ScoreStack,
) -> None:
    """The doubles arrive after their first messages were folded (the worker that lost the
    race, or a source listing the URL after a slot put failed): nothing moves."""
    wire = make_article("Japan and South Korea agree to resume security talks",
                        summary=LEAD, url="https://wire.example/jp-kr-talks",
                        published_at=T0 - timedelta(minutes=30))  # fmt: skip
    copy = make_article("Japan, South Korea agree to resume security talks - Reuters",
                        summary="SEOUL (Reuters) - " + LEAD, outlet="Reuters",
                        url="https://reuters.example/world/jp-kr-idUS1",
                        published_at=T0 - timedelta(minutes=20))  # fmt: skip
    res = poll_resources()
    racing_polls(res, [wire, copy])
    queued = res.drain()
    firsts: list[Article] = []
    repeats: list[Article] = []
    for article in queued:
        (repeats if article.id in {a.id for a in firsts} else firsts).append(article)
    assert sorted(a.id for a in repeats) == sorted([wire.id, copy.id])
    assert {a.story_id for a in queued} == {wire.id}  # the copy joined the story in both polls
    dyads = DyadStore("DyadsTable", client=boto3.client("dynamodb", region_name="us-east-1"))
    assert score.handler(sqs_event(firsts), FakeContext())["batchItemFailures"] == []
    before = dyads.snapshot("JP-KR", T0)
    assert (before.window.tally.articles, before.window.tally.stories) == (2, 1)
    assert score.handler(sqs_event(repeats), FakeContext())["batchItemFailures"] == []
    assert dyads.snapshot("JP-KR", T0) == before
