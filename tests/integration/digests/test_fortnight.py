"""A simulated fortnight over both autumn DST changes (London 25 Oct, New York 1 Nov), the real
digest handler ticking every 15 minutes on the product's stack: every subscription gets
exactly its digests at its local times, a scheduler outage delays a digest but skips none,
and replays or re-queued periods send nothing twice."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import boto3

from tensionwatch.local.stack import REGION
from tests.integration.digests.conftest import START
from tests.integration.digests.world import DigestWorld, daily, weekly

END = START + timedelta(days=14)
LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
# An outage of the scheduler: no tick from 05:00 to 15:00 UTC on Tuesday 27 October.
OUTAGE = (datetime(2026, 10, 27, 5, tzinfo=UTC), datetime(2026, 10, 27, 15, tzinfo=UTC))


def local_ends(digests: list[dict[str, object]], zone: ZoneInfo) -> list[str]:
    return [datetime.fromisoformat(str(d["period_end"])).astimezone(zone)
            .strftime("%a %d %b %H:%M %Z") for d in digests]  # fmt: skip


def test_a_fortnight_of_digests_across_dst_each_once_at_its_local_time(world: DigestWorld) -> None:
    world.subscribe("sub_ldn", "webhook", daily("08:00", "Europe/London"))
    world.subscribe("sub_nyc", "webhook", daily("01:30", "America/New_York",
                                                 mode="both", at_once_from="critical"))  # fmt: skip
    world.subscribe("sub_week", "webhook", weekly("monday", "09:00", "America/New_York"))
    world.subscribe("sub_slack", "slack", daily("18:45", "Asia/Kolkata"))
    world.subscribe("sub_mail", "email", daily("08:00", "Europe/London"))

    world.run(START, END, skip=OUTAGE)

    by_sub: dict[str, list[dict[str, object]]] = {}
    for digest in world.webhook_digests():
        by_sub.setdefault(str(digest["subscription_id"]), []).append(digest)
    london = local_ends(by_sub["sub_ldn"], LONDON)
    days = [START + timedelta(days=i) for i in range(14)]  # Tue 20 Oct to Mon 2 Nov
    change = datetime(2026, 10, 25, tzinfo=UTC)
    assert london == [f"{day:%a %d %b} 08:00 {'BST' if day < change else 'GMT'}" for day in days]
    new_york = local_ends(by_sub["sub_nyc"], NEW_YORK)
    assert len(new_york) == 14 and len(set(new_york)) == 14
    assert "Sun 01 Nov 01:30 EDT" in new_york, "the hour that happens twice: its first, once"
    assert not any("Sun 01 Nov 01:30 EST" in end for end in new_york)
    assert local_ends(by_sub["sub_week"], NEW_YORK) == ["Mon 26 Oct 09:00 EDT",
                                                         "Mon 02 Nov 09:00 EST"]  # fmt: skip
    assert len(world.slack_digests("sub_slack")) == 14  # 18:45 IST: no DST at all
    assert len(world.emails("sub_mail")) == 14

    # The outage: the 08:00 GMT digest of 27 Oct went out at the first tick after it, once,
    # still covering exactly its own period.
    tuesday = [d for d in by_sub["sub_ldn"] if str(d["period_end"]).startswith("2026-10-27")]
    assert [(d["period_start"], d["period_end"]) for d in tuesday] == [
        ("2026-10-26T08:00:00Z", "2026-10-27T08:00:00Z")]  # fmt: skip
    ids = [str(d["id"]) for d in world.webhook_digests()]
    assert len(ids) == len(set(ids)), "no digest twice"


def test_replayed_ticks_and_requeued_periods_send_nothing_twice(world: DigestWorld) -> None:
    world.subscribe("sub_ldn", "webhook", daily("08:00", "Europe/London"))
    world.subscribe("sub_slack", "slack", daily("08:00", "Europe/London"))
    world.run(START, START + timedelta(days=3))
    sent = Counter(str(d["id"]) for d in world.webhook_digests())
    slack = len(world.slack_digests("sub_slack"))
    assert len(sent) == 3 and slack == 3

    # The scheduler replays old ticks; then a cursor write is lost, so the planner queues the
    # same three periods again.
    for hour in range(0, 72, 6):
        world.tick(START + timedelta(hours=hour))
    table = world.stack.tables["SubscriptionsTable"]
    for sub_id in ("sub_ldn", "sub_slack"):
        boto3.client("dynamodb", region_name=REGION).update_item(
            TableName=table, Key={"pk": {"S": "subscription"}, "sk": {"S": sub_id}},
            UpdateExpression="SET digest_through = :t",
            ExpressionAttributeValues={":t": {"S": "2026-10-20T00:00:00Z"}})  # fmt: skip
    planned = world.tick(START + timedelta(days=3))
    assert planned["queued"] == 6, "the periods were queued again"

    assert Counter(str(d["id"]) for d in world.webhook_digests()) == sent
    assert len(world.slack_digests("sub_slack")) == slack


def test_a_receiver_down_for_a_while_gets_its_digest_once_when_back(world: DigestWorld) -> None:
    world.subscribe("sub_ldn", "webhook", daily("08:00", "Europe/London"))
    world.webhook.statuses = [503, 503]
    world.run(START + timedelta(hours=6), START + timedelta(hours=8))
    assert [str(d["period_end"]) for d in world.webhook_digests()] == ["2026-10-20T07:00:00Z"]
    assert len(world.webhook.ids) == 3 and len(set(world.webhook.ids)) == 1, (
        "two refusals, one delivery, one webhook-id throughout"
    )
