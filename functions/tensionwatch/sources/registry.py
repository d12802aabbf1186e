"""Adapters built from the sources file."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from tensionwatch.http import HttpClient
from tensionwatch.sources.base import Source, SourcePolicy
from tensionwatch.sources.budget import Budget
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
from tensionwatch.sources.pacer import Pacer
from tensionwatch.sources.rss import Rss

KeyLookup = Callable[[str], Callable[[], str]]


def build_source(
    config: SourceConfig,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
    keys: KeyLookup = api_key,
) -> Source:
    """The adapter for one configured source, with its own HTTP client whose every attempt,
    retries included, passes the source's pacer."""
    pacer = Pacer(config.min_interval_seconds, sleep, clock)
    http = HttpClient(
        timeout=config.timeout_seconds,
        max_retries=config.max_retries,
        max_body_bytes=config.max_body_bytes,
        sleep=sleep,
        gate=pacer,
    )
    policy = policy_of(config)
    match config:
        case NewsApiSource():
            return NewsApi(config, http, keys(config.api_key_parameter), pacer, policy)
        case GuardianSource():
            return Guardian(config, http, keys(config.api_key_parameter), pacer, policy)
        case GdeltSource():
            return Gdelt(config, http, pacer, policy)
        case RssSource():
            return Rss(config, http, pacer, policy)


def policy_of(config: SourceConfig) -> SourcePolicy:
    """The poll's view of a configured source: its budget and its silence limit."""
    budget = Budget(
        requests_per_day=config.requests_per_day,
        requests_per_poll=config.requests_per_poll,
        most_per_poll=config.most_requests_per_poll,
    )
    hours = config.max_silence_hours
    return SourcePolicy(budget, timedelta(hours=hours) if hours else None)
