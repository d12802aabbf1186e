"""Text clean-up shared by the adapters: HTML to plain text, length caps, timestamps."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

TITLE_MAX = 500  # longest real headline in our fixtures is ~250 chars; more is markup debris
SUMMARY_MAX = 2_000  # a lead paragraph or two: enough for the scorer and syndication
BODY_MAX = 20_000  # ~3,000 words: a long article; the SQS message stays far below 256 KB
# How far past the fetch time a publication date may be and still be believed: publishers'
# clocks drift and scheduled posts go out a little early; beyond this a date is an error (an
# unset year, a wrong time zone), and the article gets the fetch time instead.
FUTURE_SKEW = timedelta(minutes=15)
_SPACE = re.compile(r"\s+")
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
_BLOCK_TAGS = frozenset({"p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr", "blockquote"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def plain_text(markup: str | None, limit: int) -> str:
    """Visible text of an HTML fragment, whitespace collapsed, cut to `limit` characters."""
    if not markup:
        return ""
    if markup.isprintable() and "  " not in markup and "<" not in markup and "&" not in markup:
        # most headlines: no markup, no entity, and no whitespace but single ASCII spaces
        # (every other whitespace character is unprintable), so only the ends to strip
        return clip(markup.strip(), limit)
    if "<" in markup:
        extractor = _TextExtractor()
        extractor.feed(markup)
        extractor.close()
        markup = "".join(extractor.parts)
    else:
        markup = html.unescape(markup)
    return clip(_SPACE.sub(" ", markup).strip(), limit)


def clip(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut or text[:limit]


def parse_iso(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp ('Z' allowed) as aware UTC; None when absent or unreadable.
    A timestamp without an offset is read as UTC, which is what the news APIs mean."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
