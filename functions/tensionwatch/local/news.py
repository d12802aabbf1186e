"""The bundled sample news: stories written for the demo, each published as one or more
copies by different outlets through different channels (syndication)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources

START = datetime(2026, 11, 2, tzinfo=UTC)  # a Monday; the sample spans two weeks from here
DAYS = 14
# The channels a copy can come through, each a source in the demo's sources file.
CHANNELS = ("newsapi", "gdelt", "guardian", "meridian", "coastline", "northstar")
_DOMAINS = {
    "guardian": "guardian.example",
    "meridian": "meridianwire.example",
    "coastline": "coastlinepost.example",
    "northstar": "northstardaily.example",
}


@dataclass(frozen=True)
class Copy:
    """One outlet's copy of a story, as a news API would list it."""

    story: int
    channel: str
    outlet: str
    url: str
    title: str
    summary: str
    body: str
    published_at: datetime


def parse_sample(text: str) -> list[Copy]:
    """Copies of every story in a JSON-lines sample, oldest first; raises ValueError naming the
    line of a malformed story or an unknown channel."""
    copies: list[Copy] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            copies.extend(_story(number, json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"sample news line {number}: {exc}") from exc
    return sorted(copies, key=lambda copy: (copy.published_at, copy.url))


@cache
def sample_copies() -> tuple[Copy, ...]:
    """The bundled sample news."""
    text = resources.files("tensionwatch.local").joinpath("data/sample_news.jsonl").read_text()
    return tuple(parse_sample(text))


def _story(number: int, story: dict[str, object]) -> list[Copy]:
    day, clock = str(story["at"]).split()
    hours, minutes = (int(part) for part in clock.split(":"))
    at = START + timedelta(days=int(day), hours=hours, minutes=minutes)
    title, summary = str(story["title"]), str(story["summary"])
    copies = []
    for channel, outlet, delay in story["copies"]:  # type: ignore[attr-defined]
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        published = at + timedelta(minutes=int(delay))
        domain = _DOMAINS.get(channel) or _domain(outlet)
        copies.append(
            Copy(
                story=number,
                channel=channel,
                outlet=outlet or domain,
                url=f"https://{domain}/{published:%Y/%m/%d}/{_slug(title)}",
                title=title,
                summary=summary,
                body=str(story.get("body", "")),
                published_at=published,
            )
        )
    return copies


def _domain(outlet: str) -> str:
    return outlet if "." in outlet else re.sub(r"[^a-z]", "", outlet.lower()) + ".example"


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80]
