"""Adapters built from the sources file."""

from __future__ import annotations

import time
from collections.abc import Callable

from tensionwatch.http import HttpClient
from tensionwatch.sources.base import Pacer, Source
from tensionwatch.sources.config import (
    GdeltSource,
    GuardianSource,
    NewsApiSource,
    RssSource,
    SourceConfig,
)
from tensionwatch.sources.gdelt import Gdelt
from tensionwatch.sources.guardian import Guardian
from tensionwatch.sources.keys import api_key
from tensionwatch.sources.newsapi import NewsApi
from tensionwatch.sources.rss import Rss

KeyLookup = Callable[[str], Callable[[], str]]


def build_source(
    config: SourceConfig,
    *,
    sleep: Callable[[float], None] = time.sleep,
    keys: KeyLookup = api_key,
) -> Source:
    """The adapter for one configured source, with its own HTTP client and pacing."""
    http = HttpClient(
        timeout=config.timeout_seconds,
        max_retries=config.max_retries,
        max_body_bytes=config.max_body_bytes,
        sleep=sleep,
    )
    pacer = Pacer(config.min_interval_seconds, sleep)
    match config:
        case NewsApiSource():
            return NewsApi(config, http, keys(config.api_key_parameter), pacer)
        case GuardianSource():
            return Guardian(config, http, keys(config.api_key_parameter), pacer)
        case GdeltSource():
            return Gdelt(config, http, pacer)
        case RssSource():
            return Rss(config, http, pacer)
