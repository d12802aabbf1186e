"""Generated headline-only news at a steady rate, as archive lines: the background volume of
the sample archive and the benchmark's 100k and 1M articles. Seeded: the same arguments give
the same lines.

Like a real wire: most items name no pair or are off-topic (markets, sport, weather), pairs
have their routine days of visits and complaints, now and then a burst of strong reports moves
one pair, and a fifth of the stories are reprinted by other outlets within hours.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

PAIRS = (
    ("Greece", "Turkey"), ("India", "Pakistan"), ("China", "Japan"), ("Russia", "Ukraine"),
    ("Israel", "Iran"), ("Armenia", "Azerbaijan"), ("Ethiopia", "Eritrea"), ("Morocco", "Algeria"),
    ("Egypt", "Sudan"), ("Colombia", "Venezuela"), ("Peru", "Chile"), ("Brazil", "Argentina"),
    ("Japan", "South Korea"), ("Serbia", "Croatia"), ("Thailand", "Cambodia"),
    ("Saudi Arabia", "Qatar"), ("Kenya", "Somalia"), ("Poland", "Belarus"), ("Vietnam", "Laos"),
    ("Germany", "France"),
)  # fmt: skip
# Routine news leans neither way: a visit here, a complaint there.
ROUTINE = (
    "{a} foreign minister visits {b}",
    "{a} criticises {b} over fishing rules",
    "{a} officials comment on {b} election",
    "{a} complains to {b} about visa delays",
    "{a} and {b} hold talks on trade",
    "{a} warns {b} over military drills",
)
ESCALATION = (
    "{a} imposes sanctions on {b} over shelling of border villages",
    "{a} expels {b} diplomats after drone strike",
    "{a} troops clash with {b} forces at the border",
    "{a} recalls ambassador from {b}",
)
THAW = (
    "{a} and {b} sign trade agreement",
    "{a} and {b} agree to reopen embassies",
    "{a} and {b} leaders hold friendly summit",
    "{a} and {b} agree to restore ties",
)
BACKGROUND = (
    "Stocks close higher as {x} chipmakers rally",
    "Central bank in {x} leaves interest rates unchanged",
    "Storm brings heavy rain and power cuts to {x}",
    "{x} beat {y} in a friendly football match",
    "Wildfire forces villages in {x} to evacuate",
    "{x} opposition holds rally ahead of election",
    "Train strike disrupts travel across {x}",
    "{x} unveils budget with new spending on schools",
)
OUTLETS = tuple(f"{name} {kind}" for name in ("Harbor", "Capital", "Northern", "Evening",
                "Global", "Coastal", "Metro", "Valley") for kind in ("Times", "Post", "Wire",
                "Herald", "Daily"))  # fmt: skip
# Made-up place names, four a headline: two stories from one template share too few words to
# read as one story reprinted (containment under 0.7), as two real stories do.
_SYLLABLES = ("kar", "vel", "os", "mund", "tar", "vik", "bel", "dor", "mir", "lan", "sel", "gor",
              "ren", "tal", "vor", "hul", "pes", "ni")  # fmt: skip
PLACES = tuple(f"{a.title()}{b}" for a in _SYLLABLES for b in _SYLLABLES if a != b)
DAYS = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday",
        "on Sunday", "overnight", "this week")  # fmt: skip
_BACKGROUND_SHARE = 0.55  # items naming no pair, or off-topic: most of a wire is


def archive_lines(
    count: int,
    start: datetime,
    per_day: int,
    *,
    seed: int = 16,
    pairs: Sequence[tuple[str, str]] = PAIRS,
    stories: bool = False,
) -> Iterator[dict[str, Any]]:
    """`count` archive lines (dicts) about `pairs`, `per_day` a day from `start`, about in
    publication order (a reprint comes out when its time is due). With `stories`, each line
    carries an `id` and its `story_id`, as an export of what the poll queued would."""
    rng = random.Random(seed)
    step = timedelta(days=1) / per_day
    burst: tuple[int, tuple[str, ...], int] | None = None  # (pair, templates, items left)
    reprints: list[tuple[datetime, dict[str, Any]]] = []
    made = 0
    at = start
    while made < count:
        at += step
        due = [line for when, line in reprints if when <= at]
        reprints = [(when, line) for when, line in reprints if when > at]
        for line in due[: count - made]:
            made += 1
            yield line
        if made >= count:
            break
        if burst is None and rng.random() < 0.002:
            burst = (rng.randrange(len(pairs)), rng.choice((ESCALATION, THAW)), 8)
        first, second, third = rng.sample(PLACES, 3)
        title = (
            f"{_headline(rng, burst, pairs)} near {first}, {second} and {third} {rng.choice(DAYS)}"
        )
        if burst is not None:
            burst = (burst[0], burst[1], burst[2] - 1) if burst[2] > 1 else None
        line = _line(title, rng.choice(OUTLETS), at, made)
        story = f"v{made}"
        made += 1
        yield {**line, "id": story, "story_id": story} if stories else line
        if rng.random() < 0.2:
            for n in range(rng.randint(1, 3)):
                copy = _line(title, rng.choice(OUTLETS), at, made * 10 + n)
                if stories:
                    copy = {**copy, "id": f"{story}-{n}", "story_id": story}
                reprints.append((at + timedelta(minutes=rng.randint(10, 240)), copy))


def _headline(
    rng: random.Random,
    burst: tuple[int, tuple[str, ...], int] | None,
    pairs: Sequence[tuple[str, str]],
) -> str:
    if burst is not None and rng.random() < 0.5:
        a, b = pairs[burst[0]]
        return rng.choice(burst[1]).format(a=a, b=b)
    if rng.random() < _BACKGROUND_SHARE:
        x, y = rng.choice(pairs)
        return rng.choice(BACKGROUND).format(x=x, y=y)
    a, b = rng.choice(pairs)
    return rng.choice(ROUTINE).format(a=a, b=b)


def _line(title: str, outlet: str, at: datetime, n: int) -> dict[str, Any]:
    slug = hashlib.blake2b(f"{title}{outlet}{n}".encode(), digest_size=6).hexdigest()
    domain = outlet.lower().replace(" ", "") + ".example"
    return {"title": title, "url": f"https://{domain}/{at:%Y/%m/%d}/{slug}", "outlet": outlet,
            "published_at": at.strftime("%Y-%m-%dT%H:%M:%SZ")}  # fmt: skip
