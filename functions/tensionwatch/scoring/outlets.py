"""The country an outlet publishes from, by the domain of its page (data/outlets.tsv). Pure.

An office named without its state ("Trade Ministry", "PM Lee") is the outlet's own: national
papers name foreign offices with their state and their own without (actors.at_home).
"""

from __future__ import annotations

from functools import cache
from typing import Final

from tensionwatch.scoring.lexicon import read_data, rows
from tensionwatch.sources.urls import domain_of

NO_HOME: Final = "-"


@cache
def _outlets() -> dict[str, str]:
    """Each listed domain and its country (`-` for an outlet with no home)."""
    table: dict[str, str] = {}
    for _, (code, domains) in rows("outlets.tsv", read_data("outlets.tsv"), 2):
        for domain in domains.split("|"):
            table[domain.strip().lower()] = code
    return table


def home_of(url: str) -> str | None:
    """The country of the outlet at `url`, or None when it is not listed or has none. A
    country-code domain alone is not enough: diaspora papers (a Korean weekly on `.ca`) and
    regional ones name the offices of the state they cover."""
    host = domain_of(url) if url else ""
    labels = host.split(".")
    outlets = _outlets()
    for start in range(len(labels) - 1):  # news.example.co.uk, example.co.uk, co.uk
        code = outlets.get(".".join(labels[start:]))
        if code is not None:
            return None if code == NO_HOME else code
    return None
