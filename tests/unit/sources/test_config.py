"""The sources file: the bundled default and the infra/ example both validate; mistakes fail."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from tensionwatch.sources.config import (
    NewsApiSource,
    RssSource,
    bundled_sources_text,
    parse_sources,
)

INFRA_EXAMPLE = Path(__file__).resolve().parents[3] / "infra" / "sources.toml"


def test_bundled_file_lists_every_kind() -> None:
    sources = parse_sources(bundled_sources_text()).sources
    assert {source.kind for source in sources} == {"newsapi", "gdelt", "guardian", "rss"}
    newsapi = next(s for s in sources if isinstance(s, NewsApiSource))
    assert newsapi.page_size <= 100
    assert newsapi.api_key_parameter.startswith("/")


def test_infra_example_override_validates() -> None:
    assert parse_sources(INFRA_EXAMPLE.read_text()).sources


def test_select_by_name_keeps_order_and_rejects_unknown_names() -> None:
    config = parse_sources(bundled_sources_text())
    assert [s.name for s in config.select(["gdelt", "newsapi"])] == ["gdelt", "newsapi"]
    assert len(config.select(None)) == len(config.sources)
    with pytest.raises(ValueError, match="nosuch"):
        config.select(["nosuch"])


def test_disabled_sources_are_skipped() -> None:
    text = '[[sources]]\nname = "f"\nkind = "rss"\nurl = "https://x.example/rss"\nenabled = false\n'
    config = parse_sources(text)
    assert config.select(None) == []
    assert isinstance(config.sources[0], RssSource)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[sources]]\nname = "x"\nkind = "telex"\n', "kind"),
        ('[[sources]]\nname = "x"\nkind = "rss"\n', "url"),
        (
            '[[sources]]\nname = "x"\nkind = "newsapi"\nbase_url = "https://n.example"\n'
            'api_key_parameter = "/k"\npage_size = 500\nqueries = [{id = "a", q = "b"}]\n',
            "page_size",
        ),
        (
            '[[sources]]\nname = "x"\nkind = "gdelt"\nbase_url = "https://g.example"\n'
            'queries = [{id = "a", q = "b"}, {id = "a", q = "c"}]\n',
            "unique",
        ),
        ('[[sources]]\nname = "x"\nkind = "rss"\nurl = "https://x.example"\nspeed = 3\n', "speed"),
        (
            '[[sources]]\nname = "x"\nkind = "newsapi"\nbase_url = "https://n.example"\n'
            'api_key_parameter = "/k"\nrequests_per_day = 0\nqueries = [{id = "a", q = "b"}]\n',
            "requests_per_day",
        ),
    ],
)
def test_mistakes_are_rejected_naming_the_field(text: str, problem: str) -> None:
    with pytest.raises((ValidationError, ValueError), match=problem):
        parse_sources(text)


def test_invalid_toml_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="TOML"):
        parse_sources("[[sources]\n")


def test_the_bundled_defaults_fit_each_apis_free_plan() -> None:
    """NewsAPI 100 requests a day, the Guardian 5,000 at 12 a second, GDELT one per 5 s."""
    sources = {s.name: s for s in parse_sources(bundled_sources_text()).sources}
    assert sources["newsapi"].requests_per_day == 100
    assert sources["guardian"].requests_per_day == 5_000
    assert sources["guardian"].min_interval_seconds >= 1 / 12
    assert sources["gdelt"].min_interval_seconds >= 5.0


def test_a_budget_one_poll_could_overspend_is_refused_naming_the_source_and_numbers() -> None:
    text = (
        '[[sources]]\nname = "wire"\nkind = "newsapi"\nbase_url = "https://n.example"\n'
        'api_key_parameter = "/k"\nrequests_per_day = 10\nmax_retries = 2\n'
        'queries = [{id = "a", q = "b"}, {id = "c", q = "d"}, {id = "e", q = "f"},'
        ' {id = "g", q = "h"}]\n'
    )
    with pytest.raises(ValidationError, match="source wire: one poll can make 12 requests"):
        parse_sources(text)
