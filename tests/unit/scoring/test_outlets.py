"""An outlet's state by its page's domain (data/outlets.tsv)."""

from __future__ import annotations

import pycountry
import pytest

from tensionwatch.scoring.lexicon import read_data, rows
from tensionwatch.scoring.outlets import NO_HOME, home_of


@pytest.mark.parametrize(
    ("url", "home"),
    [
        ("https://en.yna.co.kr/view/AEN2019", "KR"),  # a subdomain of a listed domain
        ("https://www.dawn.com/news/1", "PK"),
        ("http://WWW.Straitstimes.com/asia", "SG"),
        ("https://timesofindia.indiatimes.com/india/x", "IN"),
        ("https://www.reuters.com/world/x", None),  # a wire has no home of its own
        ("https://asia.nikkei.com/x", None),  # a regional edition of a national outlet
        ("https://globalkorean.ca/news/1", None),  # a country-code domain alone is not enough
        ("https://www.mfa.gov.tr/statement", "TR"),  # a government's own site
        ("https://www.mofa.go.jp/press/", "JP"),
        ("https://www.gov.uk/government/news/x", "GB"),
        ("https://abcnews.go.com/International", "US"),  # listed: "go.com" is no government
        ("https://example.org/", None),
        ("", None),
        ("not a url", None),
    ],
)
def test_an_outlet_is_known_by_its_domain(url: str, home: str | None) -> None:
    assert home_of(url) == home


def test_every_listed_outlet_has_a_known_state_and_one_row() -> None:
    seen: dict[str, str] = {}
    for number, (code, domains) in rows("outlets.tsv", read_data("outlets.tsv"), 2):
        assert code == NO_HOME or pycountry.countries.get(alpha_2=code) is not None, number
        for domain in domains.split("|"):
            assert domain == domain.lower() and "." in domain, (number, domain)
            assert domain not in seen, (number, domain, seen.get(domain))
            seen[domain] = code
