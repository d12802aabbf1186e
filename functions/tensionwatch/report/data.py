"""What a report shows, gathered once for the page and the charts. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources

from tensionwatch.models import Alert, Direction
from tensionwatch.report.periods import Period
from tensionwatch.report.watch import NearMiss, Point
from tensionwatch.signals.config import SignalConfig

MAX_POINTS = 1_500  # per chart line: hourly up to two months, coarser beyond


@dataclass(frozen=True)
class Mark:
    """A date to show on every chart, e.g. a turning point the alerts are judged against."""

    day: date
    label: str
    direction: Direction = "neutral"
    dyad: str | None = None  # drawn on this pair's chart only; None: on every chart


@dataclass(frozen=True)
class PairReport:
    dyad: str
    name: str  # "Japan and South Korea"
    stories: int
    copies: int
    alerts: tuple[Alert, ...]  # published, in time order
    silenced: tuple[tuple[Alert, str], ...]  # recorded but muted, with the silence's id
    periods: tuple[Period, ...]
    series: tuple[Point, ...]
    near: tuple[NearMiss, ...]  # closest calls that fired nothing


@dataclass(frozen=True)
class Comparison:
    """A second configuration's alerts against the first's, per pair (`backtest --compare`)."""

    first: str  # settings of A, in words
    second: str  # settings of B
    rows: tuple[tuple[str, int, int, int, int, int], ...]  # pair, A, B, gained, lost, moved
    changes: tuple[str, ...]  # one line per alert gained, lost or moved


@dataclass(frozen=True)
class Report:
    title: str  # "Backtest of jp-kr-2019.jsonl"
    start: datetime
    end: datetime
    config: SignalConfig
    settings: str  # the settings that differ from the defaults, in words
    facts: tuple[tuple[str, str], ...]  # (what, how many), e.g. ("articles replayed", "177")
    pairs: tuple[PairReport, ...]
    notes: tuple[str, ...] = ()  # what a reader should know to read it right
    marks: tuple[Mark, ...] = field(default=())
    left_out: int = 0  # pairs with articles but no alert and no chart
    comparison: Comparison | None = None


def chart_step(start: datetime, end: datetime) -> timedelta:
    """Hours between a chart's points: one an hour, or fewer over a long replay."""
    hours = max(1, int((end - start) / timedelta(hours=1)) // MAX_POINTS + 1)
    return timedelta(hours=hours)


def pair_name(dyad: str) -> str:
    """'JP-KR' as 'Japan and South Korea': the scorer's own first name for each country."""
    first, _, second = dyad.partition("-")
    return f"{country_name(first)} and {country_name(second)}"


def country_name(code: str) -> str:
    return _names().get(code, code)


@cache
def _names() -> dict[str, str]:
    # pycountry's everyday name ("South Korea" is its common name for KR), or the country
    # list's own first name where ISO has none (EU, Kosovo) or an inverted one ("Congo, The
    # Democratic Republic of the"); the list's other first names are often demonyms.
    import pycountry

    names = {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}
    text = resources.files("tensionwatch.scoring").joinpath("data/countries.tsv").read_text()
    for line in text.splitlines():
        code, _, aliases = line.partition("\t")
        if line.startswith("#") or not aliases or len(code) != 2:
            continue
        if "," in names.get(code, ","):
            names[code] = aliases.split("|")[0].lstrip("?")
    return names
