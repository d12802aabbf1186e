"""The load's news: stories across 20 country pairs, published as copies through the fake news
server's five working channels, with syndicated copies and malformed (linkless) items."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from tensionwatch.local.news import Copy

# Twenty pairs the bundled country list resolves (checked against the real scorer).
PAIRS = (
    ("Greece", "Turkey"),
    ("India", "Pakistan"),
    ("China", "Japan"),
    ("Russia", "Ukraine"),
    ("Israel", "Iran"),
    ("Armenia", "Azerbaijan"),
    ("Ethiopia", "Eritrea"),
    ("Morocco", "Algeria"),
    ("Egypt", "Sudan"),
    ("Colombia", "Venezuela"),
    ("Peru", "Chile"),
    ("Brazil", "Argentina"),
    ("Guyana", "Ecuador"),
    ("Japan", "South Korea"),
    ("Serbia", "Croatia"),
    ("Thailand", "Cambodia"),
    ("Saudi Arabia", "Qatar"),
    ("Kenya", "Somalia"),
    ("Poland", "Belarus"),
    ("Vietnam", "Laos"),
)
# Acts strong enough on the Goldstein scale that a burst of them moves a pair (the scorer reads
# the act, not the volume: an accusation alone is -2).
ESCALATION = (
    "{a} imposes sanctions on {b} over shelling of border villages",
    "{a} expels {b} diplomats after drone strike",
    "{a} troops clash with {b} forces at the border",
)
THAW = (
    "{a} and {b} sign trade agreement",
    "{a} and {b} agree to reopen embassies",
    "{a} and {b} leaders hold friendly summit",
)
NEUTRAL = ("{a} and {b} officials meet to discuss fisheries",)
# Channels of the fake news server that serve items (northstar always answers 503).
CHANNELS = ("newsapi", "gdelt", "guardian", "meridian", "coastline")
LINKLESS_CHANNELS = ("newsapi", "gdelt", "meridian", "coastline")  # the Guardian needs a path
MALFORMED_URL = "javascript:void(0)"
PER_CHANNEL_PER_POLL = 8  # well under every fake endpoint's page cap (feeds keep 20 items)
_WORDS = (
    "harbour",
    "ministry",
    "river",
    "northern",
    "council",
    "delegation",
    "spokesperson",
    "tuesday",
    "province",
    "capital",
    "committee",
    "statement",
    "envoy",
    "region",
    "coast",
    "valley",
    "market",
    "convoy",
    "office",
    "briefing",
    "summit",
    "district",
    "parliament",
    "agency",
    "mountain",
    "island",
    "railway",
    "port",
    "plant",
    "border",
)


@dataclass(frozen=True)
class Load:
    copies: tuple[Copy, ...]
    valid: frozenset[str]  # URLs of well-formed items: each must be queued exactly once
    malformed: frozenset[str]  # titles of linkless items: each must be rejected, never queued
    syndicated: int  # copies generated as later copies of an earlier story
    span: timedelta


def span_for(size: int, poll_minutes: int) -> timedelta:
    """Simulated time that keeps each channel under PER_CHANNEL_PER_POLL items per poll."""
    polls = -(-size // (len(CHANNELS) * PER_CHANNEL_PER_POLL))
    return timedelta(minutes=poll_minutes * polls)


def generate(size: int, start: datetime, poll_minutes: int, seed: int = 7) -> Load:
    """`size` items: 30 % syndicated copies of earlier stories, 5 % malformed, the rest
    original stories; published evenly over the days, round-robin across the channels."""
    rng = random.Random(seed)
    span = span_for(size, poll_minutes)
    step = span / size
    copies: list[Copy] = []
    stories: list[Copy] = []
    for n in range(size):
        at = start + step * n + timedelta(seconds=1)
        # Exact shares: 1 item in 20 is malformed, 3 in 10 are syndicated copies.
        if n % 20 == 7:
            copies.append(_malformed(n, at, rng))
        elif n % 10 in (1, 4, 9) and stories:
            copies.append(_syndicated(n, at, rng.choice(stories[-40:]), rng))
        else:
            stories.append(_story(n, at, rng))
            copies.append(stories[-1])
    return Load(
        copies=tuple(copies),
        valid=frozenset(c.url for c in copies if c.url != MALFORMED_URL),
        malformed=frozenset(c.title for c in copies if c.url == MALFORMED_URL),
        syndicated=sum(1 for c in copies if c.outlet.startswith("syndicated")),
        span=span,
    )


def _headline(n: int, rng: random.Random) -> str:
    a, b = PAIRS[n % len(PAIRS)]
    # Half the pairs lean to escalation, half to thaw, so alerts fire in both directions.
    lean = ESCALATION if (n % len(PAIRS)) % 2 else THAW
    templates = rng.choice((lean, lean, lean, NEUTRAL, THAW + ESCALATION))
    return rng.choice(templates).format(a=a, b=b)


def _story(n: int, at: datetime, rng: random.Random) -> Copy:
    channel = CHANNELS[n % len(CHANNELS)]
    title = _headline(n, rng)
    summary = f"{title}, officials said. " + " ".join(rng.sample(_WORDS, 8)) + f" item {n}."
    return Copy(
        story=n,
        channel=channel,
        outlet=f"outlet-{n % 37}",
        url=_url(channel, n),
        title=title,
        summary=summary,
        body="",
        published_at=at,
    )


def _syndicated(n: int, at: datetime, first: Copy, rng: random.Random) -> Copy:
    others = [c for c in CHANNELS if c != first.channel]
    channel = rng.choice(others)
    return Copy(
        story=first.story,
        channel=channel,
        outlet=f"syndicated-{n % 11}",
        url=_url(channel, n),
        title=first.title,
        summary=first.summary,
        body="",
        published_at=at,
    )


def _malformed(n: int, at: datetime, rng: random.Random) -> Copy:
    channel = LINKLESS_CHANNELS[n % len(LINKLESS_CHANNELS)]
    title = f"{_headline(n, rng)} (linkless item {n})"
    return Copy(
        story=n,
        channel=channel,
        outlet="broken-cms",
        url=MALFORMED_URL,
        title=title,
        summary=title,
        body="",
        published_at=at,
    )


def _url(channel: str, n: int) -> str:
    return f"https://{channel}.load.example/{n // 1000}/story-{n}"


def sources_text(base: str) -> str:
    """Six sources on the fake server: three APIs (two queries each), three feeds."""
    names = sorted({name for pair in PAIRS for name in pair})
    half = len(names) // 2
    groups = (" OR ".join(names[:half]), " OR ".join(names[half:]))
    queries = (
        "queries = ["
        + ", ".join(f'{{ id = "q{i}", q = "{q}" }}' for i, q in enumerate(groups))
        + "]"
    )
    common = "max_retries = 0\nmin_interval_seconds = 0\n"
    return (
        f'[[sources]]\nname = "newsapi"\nkind = "newsapi"\nbase_url = "{base}"\n{common}'
        f'api_key_parameter = "/tensionwatch-local/newsapi/api-key"\npage_size = 50\n'
        f"max_pages = 2\n{queries}\n\n"
        f'[[sources]]\nname = "gdelt"\nkind = "gdelt"\nbase_url = "{base}"\n{common}{queries}\n\n'
        f'[[sources]]\nname = "guardian"\nkind = "guardian"\nbase_url = "{base}"\n{common}'
        f'api_key_parameter = "/tensionwatch-local/guardian/api-key"\npage_size = 50\n'
        f"max_pages = 2\n{queries}\n\n"
        + "".join(
            f'[[sources]]\nname = "{name}"\nkind = "rss"\nurl = "{base}{path}"\n{common}\n'
            for name, path in (
                ("meridian-wire", "/feeds/meridian.xml"),
                ("coastline-post", "/feeds/coastline.atom"),
                ("northstar-daily", "/feeds/northstar.xml"),
            )
        )
    )
