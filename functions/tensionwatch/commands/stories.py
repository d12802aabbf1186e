"""`tensionwatch stories --jsonl`: which story each article belongs to, by the poll's own
matching (`sources.stories.plan_queue` on the backtest's in-memory store, one article a poll).

Reads `{"id", "title", "summary", "url", "outlet", "published_at"?}` lines in publication order
and writes `{"id", "story"}` per line, `story` being the id of its story's first article.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Final, TextIO

import orjson
from pydantic import BaseModel, ConfigDict, ValidationError

from tensionwatch.backtest.stories import StoryFolding
from tensionwatch.models import Article, UtcDateTime
from tensionwatch.sources.urls import canonical_url, domain_of

EXIT_BAD_INPUT: Final = 1
EXIT_UNREADABLE: Final = 2
SOURCE: Final = "stories"  # the Article's `source`: the configured source that fetched it
# A line without a time takes the one before it (the input is in publication order); lines
# before the first timed one take this, so an input without times is one moment.
UNTIMED: Final = datetime(2000, 1, 1, tzinfo=UTC)


class StoryLine(BaseModel):
    """One input line."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    title: str = ""
    summary: str = ""
    url: str
    outlet: str = ""
    published_at: UtcDateTime | None = None


def add_parser(commands: Any) -> None:
    """The `stories` subcommand's arguments."""
    stories = commands.add_parser("stories", help="fold syndicated copies into stories (--jsonl)")
    stories.add_argument("path", nargs="?", default="-", help="JSON lines file, or '-' for stdin")
    stories.add_argument("--jsonl", action="store_true", required=True,
                         help='read {"id","title","summary","url","outlet"} lines')  # fmt: skip


def assign(lines: Iterable[StoryLine]) -> Iterator[tuple[str, str]]:
    """(id, story id) for each line, in order, as the poll would assign them one at a time.
    A repeated id is the same article: it keeps the story it was first given."""
    folding = StoryFolding()
    given: dict[str, str] = {}
    clock = UNTIMED
    for line in lines:
        clock = line.published_at or clock
        if line.id not in given:
            for article in folding.assign([_article(line, clock)]):
                given[article.id] = article.story_id or article.id
        yield line.id, given.get(line.id, line.id)


def _article(line: StoryLine, published: datetime) -> Article:
    try:
        canonical = canonical_url(line.url)
    except ValueError:
        canonical = line.url  # matching reads no URL: a relative or odd one still folds
    return Article(id=line.id, url=line.url, canonical_url=canonical, title=line.title,
                   summary=line.summary, source=SOURCE, outlet=line.outlet or domain_of(line.url),
                   domain=domain_of(line.url), published_at=published)  # fmt: skip


def run(args: argparse.Namespace, *, stdin: BinaryIO, stdout: TextIO, stderr: TextIO) -> int:
    """Write each valid line's story; name each invalid line on stderr and exit 1."""
    try:
        raw = stdin.read() if args.path == "-" else Path(args.path).read_bytes()
    except OSError as error:
        stderr.write(f"tensionwatch stories: cannot read {args.path}: {error.strerror}\n")
        return EXIT_UNREADABLE
    lines, failed = [], False
    for number, text in enumerate(raw.splitlines(), start=1):
        if not text.strip():
            continue
        try:
            lines.append(StoryLine.model_validate_json(text))
        except ValidationError as error:
            failed = True
            reason = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'line'}: {e['msg']}"
                               for e in error.errors(include_input=False))  # fmt: skip
            stderr.write(f"tensionwatch stories: line {number}: {reason}\n")
    out = stdout.buffer
    for ident, story in assign(lines):
        out.write(orjson.dumps({"id": ident, "story": story}) + b"\n")
    out.flush()
    return EXIT_BAD_INPUT if failed else 0
