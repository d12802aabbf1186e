"""What to watch: the sources file (TOML), validated into a frozen model.

The bundled default is `tensionwatch/sources/data/sources.toml`; a deployment overrides it by
putting a whole file into the SSM parameter named by `SOURCES_PARAMETER`.
"""

from __future__ import annotations

import math
import tomllib
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Query(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="cursor key, stable over edits")
    q: str = Field(min_length=1, description="the API's query syntax")
    language: str | None = None


class _Source(_Frozen):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="e.g. 'newsapi', 'bbc-world'")
    enabled: bool = True
    timeout_seconds: float = Field(default=10.0, gt=0)
    max_retries: int = Field(default=2, ge=0)  # poll runs every 5 min: the next run retries too
    min_interval_seconds: float = Field(default=0.0, ge=0, description="pause between requests")
    lookback_minutes: int = Field(default=24 * 60, gt=0, description="window of the first poll")
    overlap_minutes: int = Field(
        default=30, ge=0, description="re-read before the cursor: APIs index articles late"
    )
    max_body_bytes: int = Field(default=5_000_000, gt=0)
    requests_per_day: int | None = Field(
        default=None, ge=1, description="requests in any 24 h, retries included; none: no cap"
    )
    max_silence_hours: float | None = Field(
        default=None, gt=0, description="report the source after this long without anything "
        "new; none: twice its longest quiet spell of the last two weeks"
    )  # fmt: skip

    @property
    def requests_per_poll(self) -> int:
        """Requests one poll makes when nothing is retried."""
        return 1

    @property
    def most_requests_per_poll(self) -> int:
        """Requests one poll makes at most: every request retried `max_retries` times."""
        return self.requests_per_poll * (1 + self.max_retries)

    @model_validator(mode="after")
    def _one_poll_fits_the_budget(self) -> _Source:
        if (
            self.requests_per_day is not None
            and self.most_requests_per_poll > self.requests_per_day
        ):
            raise ValueError(
                f"source {self.name}: one poll can make {self.most_requests_per_poll} requests "
                f"(retries included), more than requests_per_day = {self.requests_per_day}"
            )
        return self


class QueriedSource(_Source):
    base_url: HttpUrl
    queries: tuple[Query, ...] = Field(min_length=1)
    max_pages: int = Field(default=1, ge=1)

    @property
    def pages_per_query(self) -> int:
        return self.max_pages

    @property
    def requests_per_poll(self) -> int:
        return len(self.queries) * self.pages_per_query

    @model_validator(mode="after")
    def _unique_query_ids(self) -> QueriedSource:
        ids = [query.id for query in self.queries]
        if len(ids) != len(set(ids)):
            raise ValueError(f"source {self.name}: query ids must be unique")
        return self


class NewsApiSource(QueriedSource):
    kind: Literal["newsapi"]
    api_key_parameter: str = Field(min_length=1, description="SSM SecureString with the key")
    page_size: int = Field(default=100, ge=1, le=100)  # NewsAPI's pageSize maximum
    max_results: int = Field(default=100, ge=1)  # developer plan: HTTP 426 past 100 results
    requests_per_day: int | None = Field(default=100, ge=1)  # developer plan: 100 a day

    @property
    def pages_per_query(self) -> int:
        return min(self.max_pages, math.ceil(self.max_results / self.page_size))


class GdeltSource(QueriedSource):
    kind: Literal["gdelt"]
    max_records: int = Field(default=250, ge=1, le=250)  # DOC 2.0 ArtList maximum
    min_interval_seconds: float = Field(default=5.0, ge=0)  # GDELT asks for ~1 request / 5 s


class GuardianSource(QueriedSource):
    kind: Literal["guardian"]
    api_key_parameter: str = Field(min_length=1)
    page_size: int = Field(default=50, ge=1, le=200)  # content API page-size maximum is 200
    min_interval_seconds: float = Field(default=0.1, ge=0)  # 12 requests/s allowed
    requests_per_day: int | None = Field(default=5_000, ge=1)  # developer key: 5,000 a day


class RssSource(_Source):
    kind: Literal["rss"]
    url: HttpUrl
    outlet: str | None = Field(default=None, description="name to use when the feed has none")


SourceConfig = Annotated[
    NewsApiSource | GdeltSource | GuardianSource | RssSource, Field(discriminator="kind")
]


class SourcesFile(_Frozen):
    sources: tuple[SourceConfig, ...]

    @model_validator(mode="after")
    def _unique_names(self) -> SourcesFile:
        names = [source.name for source in self.sources]
        if len(names) != len(set(names)):
            raise ValueError("source names must be unique")
        return self

    def select(self, names: list[str] | None) -> list[SourceConfig]:
        """The enabled sources named in `names` (all enabled ones for None); raises
        ValueError naming any unknown source, so a typo in a schedule fails loudly."""
        if names is None:
            return [source for source in self.sources if source.enabled]
        known = {source.name: source for source in self.sources}
        unknown = sorted(set(names) - known.keys())
        if unknown:
            raise ValueError(f"unknown sources: {', '.join(unknown)}")
        return [known[name] for name in names if known[name].enabled]


def parse_sources(text: str) -> SourcesFile:
    """Validate a sources file; raises ValueError (pydantic's ValidationError or a TOML error)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"sources file is not valid TOML: {exc}") from exc
    return SourcesFile.model_validate(data)


def bundled_sources_text() -> str:
    """The sources file packaged with the code."""
    return resources.files("tensionwatch.sources").joinpath("data/sources.toml").read_text()
