"""A generated two-week news stream for three pairs, as headlines the real scorer reads:
- JP-KR escalates (day 4-5), calms down, then thaws (day 9-10) and calms down again;
- DE-FR is steady: one or two routine stories a day, either way;
- CN-US is quiet until one very strong story on day 7 that other outlets reprint within hours.
General phrases only; seeded, so the stream (and the alerts it must produce) never changes."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from tensionwatch.models import Article
from tests.factories import make_article

START = datetime.fromisoformat("2026-10-01T06:00:00+00:00")
DAYS = 14
NAMES = {
    "JP-KR": ("Japan", "South Korea"),
    "DE-FR": ("France", "Germany"),
    "CN-US": ("China", "the United States"),
}
OUTLETS = [
    "Daily Ledger",
    "Morning Post",
    "Global Wire",
    "Evening Standard",
    "City Times",
    "World Report",
    "Harbour Gazette",
    "Capital News",
]
# Routine stories: visits and talks one day, warnings and complaints the next.
ROUTINE = [
    "{a} foreign minister visits {b}",
    "{a} and {b} hold talks on trade",
    "{a} criticises {b} over fishing rules",
    "{a} officials comment on {b} election",
    "{a} warns {b} over military drills",
    "{a} welcomes {b} delegation",
    "{a} accuses {b} of cyberattacks",
]
ESCALATION = [
    "{a} imposes sanctions on {b}",
    "{a} threatens {b} with retaliation",
    "{a} expels {b} diplomats",
    "{a} recalls ambassador from {b}",
    "{a} suspends talks with {b}",
]
THAW = [
    "{a} and {b} agree to restore ties",
    "{a} and {b} leaders meet in summit",
    "{a} and {b} sign cooperation agreement",
    "{a} and {b} resume flights",
    "{a} and {b} hold talks on trade",
]


def _article(dyad: str, template: str, outlet: str, at: datetime, **extra: str) -> Article:
    a, b = NAMES[dyad]
    title = template.format(a=a, b=b)
    key = hashlib.sha1(f"{dyad}{title}{outlet}{at}".encode()).hexdigest()[:10]
    return make_article(
        title, url=f"https://news.example.com/{key}", outlet=outlet, published_at=at, **extra
    )


def _routine(rng: random.Random, dyad: str, day: int, most: int) -> list[Article]:
    at = START + timedelta(days=day)
    return [
        _article(
            dyad,
            rng.choice(ROUTINE),
            rng.choice(OUTLETS),
            at + timedelta(hours=rng.randrange(0, 14)),
        )
        for _ in range(rng.randint(0, most))
    ]


def _burst(dyad: str, templates: list[str], day: int, hour: int) -> list[Article]:
    at = START + timedelta(days=day, hours=hour)
    return [
        _article(dyad, t, OUTLETS[i], at + timedelta(hours=2 * i)) for i, t in enumerate(templates)
    ]


def two_weeks(seed: int = 7) -> list[Article]:
    """The whole stream, in publication order."""
    rng = random.Random(seed)
    stream: list[Article] = []
    for day in range(DAYS):
        stream += _routine(rng, "DE-FR", day, 2)
        if day not in (4, 5, 9, 10):
            stream += _routine(rng, "JP-KR", day, 1)
        if day != 7:
            stream += _routine(rng, "CN-US", day, 1)
    stream += _burst("JP-KR", ESCALATION, 4, 1) + _burst("JP-KR", ESCALATION[:3], 5, 2)
    stream += _burst("JP-KR", THAW, 9, 1) + _burst("JP-KR", THAW[2:], 10, 2)
    strong = _article("CN-US", ESCALATION[0], "Global Wire", START + timedelta(days=7, hours=3))
    stream.append(strong)
    stream += [
        _article(
            "CN-US",
            ESCALATION[0],
            outlet,
            strong.published_at + timedelta(hours=h),
            story_id=strong.id,
        )
        for h, outlet in ((1, "City Times"), (2, "World Report"), (2, "Capital News"))
    ]
    return sorted(stream, key=lambda a: (a.published_at, a.story_id != a.id, a.id))
