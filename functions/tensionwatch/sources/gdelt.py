"""GDELT DOC 2.0 API, `mode=ArtList&format=json`: titles and links, no body."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from tensionwatch.http import HttpError, HttpResponse
from tensionwatch.sources.base import Cursor, Fetched, QueriedApi, add_entry, logger
from tensionwatch.sources.config import GdeltSource
from tensionwatch.sources.records import array_records
from tensionwatch.sources.text import plain_text

SEENDATE_FORMAT = "%Y%m%dT%H%M%SZ"  # e.g. 20230918T031500Z
WINDOW_FORMAT = "%Y%m%d%H%M%S"  # startdatetime / enddatetime
# GDELT names languages in English; the ones our queries ask for, as ISO 639-1.
_LANGUAGES = {"english": "en", "french": "fr", "spanish": "es", "german": "de", "arabic": "ar",
              "russian": "ru", "chinese": "zh", "japanese": "ja", "korean": "ko",
              "turkish": "tr", "portuguese": "pt", "italian": "it"}  # fmt: skip
# GDELT's answer when asked too often, as plain text with status 200 or 429: "Please limit
# requests to one every 5 seconds ...".
_THROTTLED = re.compile(r"limit requests to one every \d+ seconds?", re.IGNORECASE)
# GDELT tokenises headlines and joins the tokens with spaces: "U . S . imposes sanctions on
# China , Russia" or "China ' s envoy". The initialisms lose the country they name.
_INITIALISM = re.compile(r"\b[A-Z](?: \. [A-Z])+ \.")
_APOSTROPHE = re.compile(r"(\w) ?(['\u2019]) ?(s|t|re|ve|ll|d|m)\b")  # ' or a typographic one
_SPACE_BEFORE = re.compile(r" +([,;:!?%)]|\.(?= |$))")
_SPACE_AFTER = re.compile(r"([($]) +")
_JOINED_HYPHEN = re.compile(r"(?<=\.) -(?=\w)")  # "U.S. -China" -> "U.S.-China"


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore")
    url: str | None = None
    title: str | None = None
    seendate: str | None = None
    domain: str | None = None
    language: str | None = None


class Gdelt(QueriedApi[GdeltSource]):
    """One configured GDELT DOC source."""

    def fetch(self, query_id: str, cursor: Cursor | None, now: datetime) -> Fetched:
        """Up to `max_records` articles seen in the window; a record that cannot be read is
        counted in `rejected`, the others are kept. Raises HttpError: "rate_limited" when
        GDELT asks to slow down, "malformed" for its HTML error pages (status 200) and for
        an answer whose frame is broken."""
        config = self._config
        start, fetched = self._window(query_id, cursor, now)
        params = {
            "query": self._queries[query_id].q,
            "mode": "ArtList",
            "format": "json",
            "maxrecords": str(config.max_records),
            "sort": "DateDesc",
            "startdatetime": start.strftime(WINDOW_FORMAT),
            "enddatetime": now.strftime(WINDOW_FORMAT),
        }
        url = f"{str(config.base_url).rstrip('/')}/api/v2/doc/doc"
        records, unreadable = _records(self._http.get(url, params=params))
        for item in _items(records, unreadable, fetched):
            add_entry(
                fetched,
                url=item.url,
                title=despace(item.title or ""),
                published_at=_seendate(item.seendate),
                now=now,
                outlet=item.domain,
                language=_LANGUAGES.get((item.language or "").lower()),
            )
        return fetched


def despace(title: str) -> str:
    """A GDELT headline with its tokens joined back: "U . S . -China talks , Beijing ' s
    envoy" becomes "U.S.-China talks, Beijing's envoy". Ordinary headlines pass unchanged."""
    title = _INITIALISM.sub(lambda found: found.group().replace(" ", ""), title)
    title = _APOSTROPHE.sub(r"\1\2\3", title)
    title = _SPACE_BEFORE.sub(r"\1", title)
    title = _SPACE_AFTER.sub(r"\1", title)
    return _JOINED_HYPHEN.sub("-", title)


def _records(response: HttpResponse) -> tuple[list[Any], int]:
    """The answer's article records, and how many could not be decoded."""
    body = response.body.lstrip()
    if not body:
        return [], 0  # GDELT answers an empty body when nothing matched
    if not body.startswith(b"{"):
        # Errors come back as a text/html page with status 200 ("Your search contained a
        # phrase that was too short"); say what it said, without markup.
        said = plain_text(body[:300].decode("utf-8", "replace"), 120)
        if _THROTTLED.search(said):
            raise HttpError("rate_limited", f"gdelt: asked to slow down: {said}")
        raise HttpError("malformed", f"gdelt: answered with a page instead of JSON: {said}")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: hostile nesting depth
        return _record_by_record(body.decode("utf-8", "replace"))
    if data == {}:
        return [], 0  # an empty object is GDELT's other way of saying "none"
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        # A renamed key must fail the source, not read as "no articles" and move the cursor
        # past a window whose articles were never seen.
        raise HttpError("malformed", "gdelt: JSON is not an article list")
    return data["articles"], 0


def _record_by_record(text: str) -> tuple[list[Any], int]:
    try:
        return array_records(text, "articles")
    except ValueError as error:  # a cut-off body: nothing is taken from it
        raise HttpError("malformed", f"gdelt: not an article list ({error})") from None


def _items(records: list[Any], unreadable: int, fetched: Fetched) -> list[_Item]:
    """The records that are article objects; the others counted and logged as rejected."""
    items = []
    for record in records:
        try:
            items.append(_Item.model_validate(record))
        except ValidationError:  # its text quotes the record
            _reject(fetched, "not an article record")
    for _ in range(unreadable):
        _reject(fetched, "unreadable JSON")
    return items


def _reject(fetched: Fetched, reason: str) -> None:
    fetched.rejected += 1
    logger.warning("gdelt record rejected",
                   extra={"source": fetched.cursor.source, "reason": reason})  # fmt: skip


def _seendate(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, SEENDATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
