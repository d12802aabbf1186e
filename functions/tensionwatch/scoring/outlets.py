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
# A government's own site speaks for its state: mfa.gov.tr, mofa.go.jp, mea.gov.in, gov.uk.
GOVERNMENT_LABELS: Final = frozenset({"gov", "go", "gob", "gouv", "govt", "gv"})
# ISO 3166-1 codes whose country-code domain differs
DOMAIN_CODES: Final = {"uk": "GB"}


@cache
def _outlets() -> dict[str, str]:
    """Each listed domain and its country (`-` for an outlet with no home)."""
    table: dict[str, str] = {}
    for _, (code, domains) in rows("outlets.tsv", read_data("outlets.tsv"), 2):
        for domain in domains.split("|"):
            table[domain.strip().lower()] = code
    return table


def home_of(url: str) -> str | None:
    """The country of the outlet at `url`, or None when it is not listed or has none; a
    government's own site is its state's. A country-code domain alone is not enough: diaspora
    papers (a Korean weekly on `.ca`) and regional ones name the offices of the state they
    cover."""
    labels = domain_of(url).split(".")
    outlets = _outlets()
    for start in range(len(labels) - 1):  # news.example.co.uk, example.co.uk, co.uk
        code = outlets.get(".".join(labels[start:]))
        if code is not None:
            return None if code == NO_HOME else code
    return _government(labels)


def _government(labels: list[str]) -> str | None:
    """The state of a government's own domain (`gov.tr`, `go.jp`), or None."""
    country = labels[-1]
    if len(labels) < 2 or labels[-2] not in GOVERNMENT_LABELS or len(country) != 2:
        return None
    return DOMAIN_CODES.get(country, country.upper())
