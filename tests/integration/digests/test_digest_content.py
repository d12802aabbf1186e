"""What a digest says, read from the product's tables by the real handler: each covered pair's
state and since when, the period's alerts (not the silenced ones), the movers against their
baseline, the top stories with their outlets; found through the pair indexes the score path
writes (no scan), and within Slack's limits for hundreds of pairs, the rest counted."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import boto3

from tensionwatch.local.stack import REGION
from tensionwatch.signals.state import PairState
from tests.factories import make_alert, make_article, make_score
from tests.integration.digests.world import DigestWorld

DAY = datetime(2026, 10, 21, 7, tzinfo=UTC)  # the 08:00 BST digest of Wednesday 21 October
DAILY = {"mode": "digest", "digest": {"at": "08:00", "timezone": "Europe/London"}}


def seed_story(
    world: DigestWorld,
    dyad: str,
    title: str,
    score: float,
    at: datetime,
    *,
    outlets: int = 1,
    state: str = "steady",
    since: datetime | None = None,
) -> None:
    """A story about `dyad`, reprinted by `outlets - 1` other outlets, and the pair's state."""
    story = make_article(title, published_at=at)
    world.seed(dyad, story, make_score(dyad, score, phrase="recalled", sentence=f"{title}."),
               PairState(state=state, since=since, latest=at))  # fmt: skip
    for n in range(1, outlets):
        copy = make_article(title, url=f"https://n{n}.example/{story.id}", outlet=f"Outlet {n}",
                            published_at=at + timedelta(minutes=n), story_id=story.id)  # fmt: skip
        world.dyads.fold(copy, make_score(dyad, score))


def test_a_digest_says_state_alerts_movers_and_stories_of_its_pairs(world: DigestWorld) -> None:
    world.clock.now = DAY - timedelta(hours=12)
    world.subscribe("sub_cty", "webhook", DAILY, {"countries": ["GR"]})
    calls: list[str] = []
    boto3.setup_default_session(region_name=REGION)  # the digest function's clients: counted
    boto3.DEFAULT_SESSION.events.register(  # type: ignore[union-attr]
        "before-call.dynamodb.*", lambda model, **_: calls.append(model.name)
    )
    seed_story(world, "GR-TR", "Greece recalls its ambassador from Ankara", -6.0,
               DAY - timedelta(hours=20), outlets=3, state="escalating",
               since=DAY - timedelta(hours=20))  # fmt: skip
    seed_story(world, "GR-TR", "Turkey expels a Greek diplomat", -4.0, DAY - timedelta(hours=9),
               state="escalating", since=DAY - timedelta(hours=20))  # fmt: skip
    seed_story(
        world, "CY-GR", "Cyprus and Greece hold routine talks", 1.0, DAY - timedelta(hours=5)
    )
    seed_story(
        world, "BR-AR", "Brazil and Argentina sign a trade deal", 5.0, DAY - timedelta(hours=3)
    )
    fired = make_alert("GR-TR", direction="escalation", fired_at=DAY - timedelta(hours=8))
    muted = make_alert("GR-TR", kind="flash", direction="escalation",
                       fired_at=DAY - timedelta(hours=7))  # fmt: skip
    world.record(fired)
    world.record(muted, silenced=True)

    world.run(DAY - timedelta(minutes=15), DAY)

    (digest,) = world.webhook_digests()
    pairs = {pair["dyad"]: pair for pair in digest["pairs"]}
    assert set(pairs) == {"GR-TR", "CY-GR"}, "the filter's country; BR-AR is not covered"
    assert pairs["GR-TR"]["state"] == "escalating"
    assert pairs["GR-TR"]["since"] == "2026-10-20T11:00:00Z"
    assert pairs["GR-TR"]["net_score"] == -10.0 and pairs["GR-TR"]["departure"] == -2.0
    assert digest["movers"] == ["GR-TR"], "CY-GR moved less than a spread"
    assert [a["id"] for a in digest["alerts"]] == [fired.id], "the silenced flash is left out"
    assert digest["alerts"][0]["sent_at_once"] is False
    top = digest["stories"][0]
    assert (top["title"], top["outlets"]) == ("Greece recalls its ambassador from Ankara", 3)
    assert top["evidence"][0]["sentence"] == "Greece recalls its ambassador from Ankara."
    assert digest["quiet"] is False
    assert "Scan" not in calls, "pairs found through the indexes, never a scan"


def test_hundreds_of_pairs_fit_slack_and_are_all_counted(world: DigestWorld) -> None:
    world.clock.now = DAY - timedelta(hours=12)
    world.subscribe("sub_all", "slack", DAILY)
    dyads = [f"A{chr(65 + i // 26)}-Z{chr(65 + i % 26)}" for i in range(210)]
    for i, dyad in enumerate(dyads):
        seed_story(world, dyad, f"Story {i} about {dyad}", -6.0, DAY - timedelta(hours=2))

    world.run(DAY - timedelta(minutes=15), DAY)

    (payload,) = world.slack.received
    texts = [b["text"]["text"] for b in payload["blocks"] if "text" in b and
             isinstance(b["text"], dict)]  # fmt: skip
    assert len(payload["blocks"]) <= 50 and all(len(t) <= 3000 for t in texts)
    body = "\n".join(texts)
    listed = len(re.findall(r"^`A[A-Z]-Z[A-Z]`", body, flags=re.MULTILINE))
    more = re.search(r"… and (\d+) more pairs", body)
    assert listed + int(more[1] if more else 0) == 210, "every pair shown or counted"


def test_a_quiet_period_is_one_line_or_nothing_as_the_subscriber_chose(world: DigestWorld) -> None:
    world.clock.now = DAY - timedelta(hours=12)
    world.subscribe("sub_line", "webhook", DAILY, {"dyads": ["GR-TR"]})
    world.subscribe("sub_none", "webhook", {**DAILY, "when_quiet": "skip"}, {"dyads": ["GR-TR"]})

    world.run(DAY - timedelta(minutes=15), DAY)

    (digest,) = world.webhook_digests()
    assert digest["subscription_id"] == "sub_line"
    assert digest["quiet"] is True and digest["alerts"] == []
    assert [p["dyad"] for p in digest["pairs"]] == ["GR-TR"], "a named pair is always covered"
    planned = world.tick(DAY + timedelta(minutes=15))
    assert planned["queued"] == 0, "the skipped period is done, not due again"
