"""What digests cost: every AWS call the digest function makes over a simulated fortnight, and
DynamoDB's capacity units, per tick and per digest (docs/performance.md, "Digests").

    python scripts/digest_cost.py        # `make digest-cost`

The world is the digest tests' own (tests/integration/digests/world.py): the template's stack in
moto, the real handler ticking every 15 minutes, local receivers. Eight pairs carry 38 days of
news (two stories a pair a day, so baselines and buckets are full), Greece-Turkey escalates,
alerts fire; four subscriptions take the common shapes: three named pairs daily (webhook), one
country daily (Slack), every pair daily (email through SNS), every pair weekly (webhook).
"""

from __future__ import annotations

import io
import sys
from collections import Counter
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from botocore.client import BaseClient  # noqa: E402
from pytest_httpserver import HTTPServer  # noqa: E402
from tests.factories import make_alert, make_article, make_score  # noqa: E402
from tests.integration.digests.world import (  # noqa: E402
    DigestWorld,
    daily,
    digest_world,
    weekly,
)
from tests.reliability import capacity  # noqa: E402
from tests.reliability.moto_speed import moto_speedups  # noqa: E402

from tensionwatch.local.demo import offline  # noqa: E402
from tensionwatch.signals.state import PairState  # noqa: E402

START = datetime(2026, 10, 20, tzinfo=UTC)
DAYS = 14
PAIRS = ["GR-TR", "CY-TR", "CY-GR", "AR-BR", "GY-VE", "JP-KR", "CN-US", "IN-PK"]
DAILY = daily("08:00", "Europe/London")


def seed(world: DigestWorld) -> None:
    """38 days of news on every pair; Greece-Turkey escalating for the last week."""
    for day in range(-38, DAYS):
        for n, dyad in enumerate(PAIRS):
            for story in range(2):
                at = START + timedelta(days=day, hours=6 + 7 * story + n)
                hostile = dyad == "GR-TR" and day >= 7
                score = -6.0 if hostile else (2.0 if (day + n + story) % 3 else -2.0)
                article = make_article(f"{dyad} story {day} {story}", published_at=at,
                                       outlet=f"Outlet {story + n % 3}")  # fmt: skip
                state = "escalating" if hostile else "steady"
                since = START + timedelta(days=7) if hostile else None
                world.seed(dyad, article, make_score(dyad, score),
                           PairState(state=state, since=since, latest=at))  # fmt: skip
        if day >= 0 and day % 3 == 0:
            world.record(make_alert(PAIRS[day % 4], direction="escalation",
                                    fired_at=START + timedelta(days=day, hours=12)))  # fmt: skip


def main() -> int:
    calls: Counter[tuple[str, str]] = Counter()  # (phase, call)
    units: Counter[tuple[str, str]] = Counter()  # (phase, RRU or WRU)
    phase = ["tick"]  # the planner's calls, or "digest": the queued digests' (the drain)
    original = BaseClient._make_api_call  # type: ignore[attr-defined]

    def counted(client: Any, operation: str, params: dict[str, Any]) -> Any:
        service = client.meta.service_model.service_name
        answer = original(client, operation, params)
        calls[(phase[0], f"{service}.{operation}")] += 1
        if service == "dynamodb":
            rru, wru = capacity.units(operation, params, answer)
            units[(phase[0], "RRU")] += rru
            units[(phase[0], "WRU")] += wru
        return answer

    server = HTTPServer()
    server.start()
    with offline(), moto_speedups():  # fake credentials, moto answering every call
        world = next(digest_world(server, START - timedelta(hours=1)))
        world.subscribe("sub_named", "webhook", DAILY, {"dyads": ["GR-TR", "CY-TR", "CY-GR"]})
        world.subscribe("sub_country", "slack", DAILY, {"countries": ["TR"]})
        world.subscribe("sub_all", "email", DAILY)
        world.subscribe("sub_week", "webhook", weekly("monday", "09:00", "UTC"))
        seed(world)
        drain = world.runner.drain

        def drained() -> int:
            phase[0] = "digest"
            try:
                return drain()
            finally:
                phase[0] = "tick"

        world.runner.drain = drained  # type: ignore[method-assign]
        ticks = digests = 0
        # Powertools' single metrics print EMF lines whatever the settings: kept off the table.
        with (
            mock.patch.object(BaseClient, "_make_api_call", counted),
            redirect_stdout(io.StringIO()),
        ):
            at = START
            while at < START + timedelta(days=DAYS):
                digests += world.tick(at)["queued"]
                ticks += 1
                at += timedelta(minutes=15)
    server.stop()
    print(f"{ticks} ticks, {digests} digests for 4 subscriptions over {DAYS} days")
    for where, count in (("tick", ticks), ("digest", digests)):
        print(f"per {where}:")
        for (at, name), n in sorted(calls.items(), key=lambda kv: -kv[1]):
            if at == where:
                print(f"  {name:40s} {n / count:8.3f}")
        print(
            f"  DynamoDB RRU {units[(where, 'RRU')] / count:8.3f}  "
            f"WRU {units[(where, 'WRU')] / count:8.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
