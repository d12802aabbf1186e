"""`tensionwatch demo` end to end: the offline stack, the fake news server and the receivers
over two simulated weeks. Its alerts must tell exactly the story the sample news was written
to tell, and every channel must get exactly what its subscription asked for."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tensionwatch.backtest.archive import Numbered
from tensionwatch.backtest.replay import replay
from tensionwatch.commands.progress import progress_bar
from tensionwatch.local.demo import DemoResult, offline, run_demo
from tensionwatch.local.news import START
from tensionwatch.local.outputs import replay_demo, write_outputs
from tensionwatch.local.report import write_report
from tensionwatch.models import Alert, Article
from tensionwatch.scoring.scorer import score_article
from tensionwatch.signals.config import SignalConfig
from tests.page_loads import Loads


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoResult]:
    with offline():
        # One poll worker at a time: the backtest's comparison needs the order in which the
        # poll claimed each syndicated story's first copy (concurrent workers vary it, as
        # Lambda's do); tests/reliability/test_fanout.py and test_conservation.py run the
        # workers concurrently.
        yield run_demo(on_tick=progress_bar(io.StringIO(), "simulating"), concurrent_polls=False)


def day(alert_time: object) -> int:
    return (alert_time - START) // timedelta(days=1)  # type: ignore[operator]


# The story the sample news was written to tell: (pair, kind, direction, day from START).
STORY = [
    ("GR-TR", "state_change", "escalation", 4),  # recall, expulsion, troops, sanctions
    ("GR-TR", "resolved", "escalation", 8),  # warships withdraw, hotline restored
    ("GR-TR", "state_change", "thaw", 9),  # talks resumed, ambassador back, crossings reopen
    ("GY-VE", "flash", "escalation", 10),  # one attack, four outlets within two hours
]


# Off-topic stories that name two countries, each carried by three or more outlets within an
# hour, in words a reader of words alone takes for relations (clash, crushed, rally, battle):
# title -> the pair a misreading would put them on.
OFF_TOPIC = {
    "Portugal stun Spain with a late winner in Nations League clash": "ES-PT",
    "Spain beaten by Portugal as a late header settles the Iberian derby": "ES-PT",
    "Spanish side crushed by Portuguese rivals in front of a sold-out stadium": "ES-PT",
    "Japanese and South Korean shares rally as chipmakers surge": "JP-KR",
    "Tokyo and Seoul stock markets close at record highs on chip optimism": "JP-KR",
    "Wildfire spreads from France into Spain, forcing villages to evacuate": "ES-FR",
    "Spanish and French firefighters battle a cross-border blaze in the Pyrenees": "ES-FR",
    "Fire crosses the Pyrenees from France into Spain as winds strengthen": "ES-FR",
}
SEVERAL = "Bolivia, Chile and Peru cut diplomatic ties with Ecuador"
SEVERAL_PAIRS = {"BO-EC", "CL-EC", "EC-PE"}  # three states with one: three pairs, no others


def stories_titled(demo: DemoResult, titles: object) -> list[Article]:
    return [a for a in demo.articles if a.title in titles and a.story_id in (None, a.id)]  # type: ignore[operator]


def test_alerts_tell_the_story_of_the_sample_news(demo: DemoResult) -> None:
    ordered = sorted(demo.alerts, key=lambda a: a.fired_at)
    assert [(a.dyad, a.kind, a.direction, day(a.fired_at)) for a in ordered] == STORY


def test_the_steady_pair_never_alerts(demo: DemoResult) -> None:
    assert [a for a in demo.alerts if a.dyad == "AR-BR"] == []


def test_each_channel_gets_what_its_subscription_asked_for(demo: DemoResult) -> None:
    def ids(received: list) -> set[str]:  # type: ignore[type-arg]
        return {a.id for a in demo.alerts for r in received if a.id in json.dumps(r.payload)}

    everything = {a.id for a in demo.alerts if a.kind != "resolved"}
    assert ids(demo.slack) == everything
    assert ids(demo.webhook) == {
        a.id for a in demo.alerts if a.direction == "escalation" and a.kind != "resolved"
    }
    assert all(r.verified for r in demo.webhook)
    assert {a.id for a in demo.emails} == {
        a.id for a in demo.alerts if a.dyad == "GR-TR" and a.kind != "resolved"
    }


def test_the_failing_source_is_isolated_and_nothing_is_lost(demo: DemoResult) -> None:
    assert set(demo.source_failures) == {"northstar-daily"}
    assert demo.source_failures["northstar-daily"] == demo.polls
    assert demo.skipped == {}  # the demo's file lifts NewsAPI's budget: the local server has none
    assert demo.score_failures == 0
    assert demo.dead_letters == {"PollDLQ": 0, "ScoreDLQ": 0, "DeliveryDLQ": 0, "DigestDLQ": 0}
    assert demo.syndicated > 0 and demo.duplicates > 0


def test_the_report_names_the_unhealthy_sources_and_why(demo: DemoResult) -> None:
    """The failing feed, and the Guardian, whose sample news starts on the third day."""
    assert demo.unhealthy == {
        "northstar-daily": "failing since 2026-11-02T00:00Z (feed: server_error)",
        "guardian": "nothing new for 75.0 h (its limit: 72.0 h)",
    }
    out = io.StringIO()
    write_report(demo, out)
    assert "Unhealthy    northstar-daily: failing since 2026-11-02T00:00Z" in out.getvalue()


def test_report_and_outputs_show_each_alert(demo: DemoResult, tmp_path: Path) -> None:
    out = io.StringIO()
    write_report(demo, out)
    text = out.getvalue()
    for alert in demo.alerts:
        assert alert.rationale in text
    # A new user reads the failing feed as part of the story, and the end says what next.
    assert f"northstar-daily failed {demo.polls} of {demo.polls} polls, on purpose" in text
    assert text.rstrip().splitlines()[-6] == "What to try next:"
    written = write_outputs(demo, tmp_path)
    assert json.loads((tmp_path / "alerts.json").read_text())[0]["schema_version"] == 2
    assert {p.name for p in written} >= {"alerts.json", "signal-GR-TR.png", "signal-GY-VE.png"}
    # The same report as the backtest's: every pair drawn is on the page, every alert too, and
    # it says the failing source fails on purpose; it loads nothing from the network.
    page = Loads.of((tmp_path / "report.html").read_text())
    assert page.offline()
    assert {p.name.removeprefix("signal-").removesuffix(".png")
            for p in written if p.suffix == ".png"} <= page.ids  # fmt: skip
    assert all(page.shows(alert.rationale) for alert in demo.alerts)
    assert "fails every poll on purpose" in page.page


def test_the_off_topic_stories_are_carried_by_three_outlets_within_an_hour(
    demo: DemoResult,
) -> None:
    """The sample itself: what made a new user's Slack fire, here on three pairs."""
    for pair in set(OFF_TOPIC.values()):
        copies = [a for a in demo.articles if OFF_TOPIC.get(a.title) == pair]
        times = [a.published_at for a in copies]
        assert len({a.outlet for a in copies}) >= 3
        assert max(times) - min(times) <= timedelta(hours=1)


def test_no_alert_comes_from_the_off_topic_stories(demo: DemoResult) -> None:
    urls = {a.url for a in demo.articles if a.title in OFF_TOPIC}
    assert [a.dyad for a in demo.alerts if a.dyad in set(OFF_TOPIC.values())] == []
    assert [a.id for a in demo.alerts if any(item.url in urls for item in a.articles)] == []


def test_the_off_topic_stories_fold_into_no_pair(demo: DemoResult) -> None:
    """Relies on the scorer's relevance: each is read off-topic, so no pair's signal has it."""
    stories = stories_titled(demo, OFF_TOPIC)
    assert len(stories) >= 6
    read = {a.title: (demo.readings[a.id].off_topic, demo.readings[a.id].pairs) for a in stories}
    assert read == {a.title: (True, ()) for a in stories}
    ids = {a.id for a in demo.articles if a.title in OFF_TOPIC}
    assert {pair: cited & ids for pair, cited in demo.cited.items() if cited & ids} == {}


def test_each_pair_of_the_several_country_story_folds(demo: DemoResult) -> None:
    """Relies on the scorer naming every pair: each pair's signal cites the story and its
    syndicated copy; the actors are no pair among themselves."""
    [story] = stories_titled(demo, {SEVERAL})
    copies = {a.id for a in demo.articles if a.story_id == story.id}
    assert len(copies) == 2  # the story and one syndicated copy
    read = set(demo.readings[story.id].pairs)
    assert len(read) > 1  # the pipeline's part: every pair read cites the story and its copy
    assert {p for p, cited in demo.cited.items() if copies <= cited} == read
    assert read == SEVERAL_PAIRS  # the scorer's part: these pairs and no others


def test_the_report_shows_off_topic_and_split_stories(demo: DemoResult) -> None:
    lines = io.StringIO()
    write_report(demo, lines)
    text = lines.getvalue()
    off = [line for line in text.splitlines() if line.startswith("Off-topic")]
    split = [line for line in text.splitlines() if line.startswith("Split")]
    assert len(off) == len(split) == 1
    for reading in demo.readings.values():
        if reading.off_topic:
            assert f"- {reading.topic}: {reading.title}" in text
        if len(reading.pairs) > 1:
            assert f"- {', '.join(reading.pairs)}: {reading.title}" in text


def test_one_subscriber_gets_a_daily_digest_across_the_pairs_on_slack_and_by_webhook(
    demo: DemoResult,
) -> None:
    """Item 6 of the digests issue: 09:00 London, every pair, every simulated day, once."""
    ends = [d.period_end for d in demo.digests]
    assert ends == [START + timedelta(days=i, hours=9) for i in range(14)]  # GMT in November
    assert len(demo.slack_digests) == 14 and all(r.verified for r in demo.slack_digests)
    by_day = {day(d.period_end): d for d in demo.digests}
    for alert in demo.alerts:  # each in the one brief whose period holds it, but resolved
        # notices: the subscription, like the others, asks for none
        holding = [d.id for d in demo.digests if any(a.id == alert.id for a in d.alerts)]
        wanted = [d.id for d in demo.digests if d.period_start <= alert.fired_at < d.period_end]
        assert holding == ([] if alert.kind == "resolved" else wanted), alert.rationale
    assert "GR-TR" in by_day[5].movers, "the escalation moved Greece-Turkey most that day"
    assert by_day[5].pairs[0].dyad == "GR-TR" and by_day[5].pairs[0].state == "escalating"
    assert any(d.quiet for d in demo.digests), "quiet days say so in one line"
    assert not {p.dyad for d in demo.digests for p in d.pairs} & set(OFF_TOPIC.values())


def test_the_report_shows_the_daily_briefs(demo: DemoResult) -> None:
    out = io.StringIO()
    write_report(demo, out)
    text = out.getvalue()
    assert 'Daily digests for "the desk\'s daily brief" (09:00 Europe/London, every pair): ' \
           "14 on Slack, 14 by webhook (signatures verified)" in text  # fmt: skip
    assert "Tension Watch daily digest, Thu 12 Nov 09:00 (Europe/London)" in text


def by_id(alerts: list[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: a.id)


def test_the_backtest_fires_exactly_the_alerts_the_pipeline_published(demo: DemoResult) -> None:
    """One decision, two homes: the articles the score function received (with the poll's
    story ids), replayed in memory in the same order, fire the very alerts the pipeline
    published through DynamoDB and SNS: same ids, same evidence, same everything."""
    replayed = replay_demo(demo).runs[0].alerts
    assert len(replayed) == len(demo.alerts) == len(STORY)
    assert by_id(replayed) == by_id(demo.alerts)


def test_the_backtest_finds_the_stories_the_poll_found(demo: DemoResult) -> None:
    """Without the poll's story ids the backtest folds syndicated copies itself, with the
    poll's own matching, and fires the same alerts."""
    bare = [a.model_copy(update={"story_id": None}) for a in demo.articles]
    ordered = sorted(bare, key=lambda a: (a.published_at, a.id))
    items = (Numbered(n, a) for n, a in enumerate(ordered, start=1))
    replayed = replay(items, [SignalConfig()], score_article)
    assert replayed.stories.syndicated == demo.syndicated
    assert by_id(replayed.runs[0].alerts) == by_id(demo.alerts)
