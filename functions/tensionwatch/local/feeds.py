"""The bodies the fake news server sends, in each real API's shape."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from tensionwatch.local.news import Copy

GDELT_SEENDATE = "%Y%m%dT%H%M%SZ"  # e.g. 20230918T031500Z
ISO = "%Y-%m-%dT%H:%M:%SZ"
_OPERATORS = {"and", "or", "not", "sourcelang:english"}
GDELT_ERROR_PAGE = b"<!DOCTYPE html><html><body>The specified phrase is too short.</body></html>"
BROKEN_PAGE = (
    b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>"
    b"<body><h1>Service Unavailable</h1><p>The feed is down for maintenance.</p></body></html>"
)


def query_words(query: str) -> set[str]:
    """The words of an API query, operators and punctuation dropped."""
    words = re.findall(r"[\w:]+", query.lower())
    return {word for word in words if word not in _OPERATORS}


def matches(copy: Copy, words: set[str]) -> bool:
    """Whether any query word is in the copy's headline or summary (no words: everything)."""
    text = set(re.findall(r"\w+", f"{copy.title} {copy.summary}".lower()))
    return not words or bool(words & text)


def json_response(status: int, body: Any) -> tuple[int, str, bytes, dict[str, str]]:
    return status, "application/json; charset=utf-8", json.dumps(body).encode(), {}


def feed_response(body: str, kind: str) -> tuple[int, str, bytes, dict[str, str]]:
    data = body.encode("utf-8")
    etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
    return 200, f"application/{kind}+xml; charset=utf-8", data, {"ETag": etag}


def newsapi_error(code: str) -> dict[str, str]:
    return {"status": "error", "code": code, "message": f"The request failed: {code}."}


def newsapi_page(found: Sequence[Copy], size: int, page: int) -> dict[str, Any]:
    items = found[(page - 1) * size : page * size]
    return {
        "status": "ok",
        "totalResults": len(found),
        "articles": [
            {
                "source": {"id": None, "name": copy.outlet},
                "author": None,
                "title": copy.title,
                "description": copy.summary,
                "url": copy.url,
                "urlToImage": None,
                "publishedAt": copy.published_at.strftime(ISO),
                "content": _clipped(copy.body),
            }
            for copy in items
        ],
    }


def _clipped(body: str) -> str | None:
    # NewsAPI cuts content at 200 characters and says how much was left out.
    if not body:
        return None
    return body if len(body) <= 200 else f"{body[:200]}… [+{len(body) - 200} chars]"


def gdelt_list(found: Sequence[Copy], limit: int) -> dict[str, Any]:
    return {
        "articles": [
            {
                "url": copy.url,
                "url_mobile": "",
                "title": copy.title,
                "seendate": copy.published_at.strftime(GDELT_SEENDATE),
                "socialimage": "",
                "domain": copy.outlet,
                "language": "English",
                "sourcecountry": "",
            }
            for copy in found[:limit]
        ]
    }


def guardian_envelope(found: Sequence[Copy], size: int, page: int) -> dict[str, Any]:
    items = found[(page - 1) * size : page * size]
    return {
        "response": {
            "status": "ok",
            "userTier": "developer",
            "total": len(found),
            "startIndex": (page - 1) * size + 1,
            "pageSize": size,
            "currentPage": page,
            "pages": max(1, math.ceil(len(found) / size)),
            "orderBy": "newest",
            "results": [_guardian_result(copy) for copy in items],
        }
    }


def _guardian_result(copy: Copy) -> dict[str, Any]:
    path = copy.url.split("/", 3)[3]
    return {
        "id": f"world/{path}",
        "type": "article",
        "sectionId": "world",
        "sectionName": "World news",
        "webPublicationDate": copy.published_at.strftime(ISO),
        "webTitle": copy.title,
        "webUrl": copy.url,
        "apiUrl": f"https://content.guardianapis.example/world/{path}",
        "fields": {"trailText": copy.summary, "bodyText": copy.body},
        "isHosted": False,
        "pillarId": "pillar/news",
        "pillarName": "News",
    }


def rss(copies: Sequence[Copy]) -> str:
    items = "".join(
        f"<item><title>{escape(c.title)}</title><link>{escape(c.url)}</link>"
        f'<guid isPermaLink="true">{escape(c.url)}</guid>'
        f"<pubDate>{format_datetime(c.published_at, usegmt=True)}</pubDate>"
        f"<description>{escape(c.summary)}</description></item>"
        for c in reversed(copies)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Meridian Wire: World</title><link>https://meridianwire.example/world</link>"
        f"<description>World news</description><language>en-gb</language>{items}"
        "</channel></rss>"
    )


def atom(copies: Sequence[Copy], now: datetime) -> str:
    entries = "".join(
        f'<entry><title>{escape(c.title)}</title><link href="{escape(c.url)}"/>'
        f"<id>{escape(c.url)}</id><updated>{c.published_at.strftime(ISO)}</updated>"
        f"<published>{c.published_at.strftime(ISO)}</published>"
        f"<summary>{escape(c.summary)}</summary></entry>"
        for c in reversed(copies)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xml:lang="en"><title>Coastline Post</title><id>https://coastlinepost.example/</id>'
        f"<updated>{now.strftime(ISO)}</updated>{entries}</feed>"
    )
