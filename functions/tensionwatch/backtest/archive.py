"""An archive of articles: JSON lines in the Article model's shape, read one line at a time.

A line needs `title`, `url` and `published_at` (ISO 8601 with an offset); `id`, `outlet`,
`summary`, `body`, `language`, `source` and `story_id` are optional, and what the poll derives
(`canonical_url`, `domain`, the id from the canonical URL) is derived the same way when absent.
Other keys are ignored, so an export that carries labels still reads. A bad line fails alone,
with its number and the reason; the rest go on. `ARCHIVE_SCHEMA` is the JSON Schema of a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tensionwatch.models import Article, UtcDateTime
from tensionwatch.scoring.reading import trusted
from tensionwatch.sources.text import BODY_MAX, SUMMARY_MAX, TITLE_MAX, plain_text
from tensionwatch.sources.urls import article_id, canonical_url, clean_url, domain_of

SOURCE = "archive"  # the `source` of a line that names none


class ArchiveLine(BaseModel):
    """One line of an archive: an `Article` with what the poll derives left optional."""

    model_config = ConfigDict(
        extra="ignore", frozen=True, title="Tension Watch archive line (an Article)"
    )

    id: str | None = Field(default=None, min_length=1, description="default: hash of the URL")
    title: str = Field(min_length=1, description="the headline")
    url: str = Field(min_length=1, description="absolute http(s) link")
    published_at: UtcDateTime = Field(description="ISO 8601 with an offset; event time")
    outlet: str | None = Field(default=None, description="the publication; default: its domain")
    summary: str = ""
    body: str = ""
    language: str | None = None
    source: str = SOURCE
    story_id: str | None = Field(
        default=None, description="the id of the story's first copy; default: found by the poll"
    )
    canonical_url: str | None = Field(default=None, description="default: derived from url")
    domain: str | None = Field(default=None, description="default: derived from url")


ARCHIVE_SCHEMA: dict[str, Any] = ArchiveLine.model_json_schema()


class LineError(ValueError):
    """One archive line that cannot be read; the message names the line and the reason and
    never quotes its text."""

    def __init__(self, number: int, reason: str) -> None:
        super().__init__(f"line {number}: {reason}")
        self.number = number


@dataclass(frozen=True)
class Numbered:
    """An article and the archive line it came from."""

    number: int
    article: Article


def read_lines(lines: Iterable[bytes]) -> Iterator[Numbered | LineError]:
    """Each non-blank line as an article, or the error that line raised, in file order."""
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            try:
                yield Numbered(number, parse_line(raw, number))
            except LineError as error:
                yield error


def parse_line(raw: bytes, number: int) -> Article:
    """The article on one line; raises LineError naming what is wrong."""
    try:
        line = ArchiveLine.model_validate_json(raw)
    except ValidationError as error:
        raise LineError(number, validation_reason(error)) from None
    try:
        link = clean_url(line.url)
        canonical = line.canonical_url or canonical_url(link)
    except ValueError as error:  # its message never quotes the link
        raise LineError(number, f"url: {error}") from None
    domain = line.domain or domain_of(canonical)
    ident = line.id or article_id(canonical)
    # The poll's clean-up of what an API sends (markup, whitespace, caps), so that text reads
    # the same whichever way it arrived. Trusted values, validated above: built without
    # pydantic's per-field construction (3.4 -> 0.9 us, and every archive line is one).
    return trusted(Article, {
        "id": ident,
        "url": link,
        "canonical_url": canonical,
        "title": plain_text(line.title, TITLE_MAX) or "(untitled)",
        "summary": plain_text(line.summary, SUMMARY_MAX),
        "body": plain_text(line.body, BODY_MAX),
        "source": line.source,
        "outlet": (line.outlet or "").strip() or domain,
        "domain": domain,
        "published_at": line.published_at,
        "language": line.language,
        "story_id": line.story_id,
    })  # fmt: skip


def with_story(article: Article, story_id: str) -> Article:
    """`article.model_copy(update={"story_id": story_id})`, without its general copy (each
    article the backtest assigns takes its story so)."""
    values = {**article.__dict__, "story_id": story_id}
    return trusted(Article, values, article.model_fields_set | {"story_id"})


def validation_reason(error: ValidationError) -> str:
    """pydantic's errors without the input values (a line may hold a whole article)."""
    first = error.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    message = first["msg"]
    if first["type"] == "json_invalid":
        return f"not valid JSON: {message}"
    return f"{where}: {message}{more}" if where else f"{message}{more}"
