"""The poll's claims are plain puts: two polls past their seen-checks at the same moment both
queue an article. The score stage folds it once into each pair, as it does a redelivery."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import boto3

from tensionwatch.handlers import score
from tensionwatch.store.dyads import DyadStore
from tests.factories import T0, make_article
from tests.integration.score.stack import FakeContext, ScoreStack, sqs_event
from tests.integration.sources.aws import poll_resources
from tests.integration.test_poll_guarantees import racing_polls

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
