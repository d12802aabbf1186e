"""The bundled sample archive (`tensionwatch backtest sample`): the demo's news spread from two
weeks over eight, and generated wire volume about other pairs around it.

`scripts/make_sample_archive.py` writes `local/data/sample_archive.jsonl` from here; a test
holds the file and this code to each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from tensionwatch.local.news import START, sample_copies
from tensionwatch.local.volume import PAIRS, archive_lines

# The demo's 14 days become 56: day d is day 4d, so each day's news keeps its hours (a burst
# stays a burst) and the weeks between carry only the volume.
SPREAD = 4
VOLUME_PER_DAY = 60
DAYS = 14 * SPREAD
# The demo's own pairs are left to the demo's stories, so the sample still tells them.
VOLUME_PAIRS = tuple(p for p in PAIRS if p not in {("Greece", "Turkey"), ("Brazil", "Argentina")})


def sample_archive() -> list[dict[str, Any]]:
    """Every line of the sample archive, in publication order."""
    lines = list(_demo_news()) + list(
        archive_lines(VOLUME_PER_DAY * DAYS, START, VOLUME_PER_DAY, pairs=VOLUME_PAIRS)
    )
    return sorted(lines, key=lambda line: (line["published_at"], line["url"]))


def _demo_news() -> Iterator[dict[str, Any]]:
    for copy in sample_copies():
        day = (copy.published_at - START).days
        at = copy.published_at + timedelta(days=day * (SPREAD - 1))
        line = {"title": copy.title, "url": copy.url, "outlet": copy.outlet,
                "published_at": at.strftime("%Y-%m-%dT%H:%M:%SZ")}  # fmt: skip
        line.update({k: v for k, v in (("summary", copy.summary), ("body", copy.body)) if v})
        yield line
