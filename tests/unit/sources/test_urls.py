"""Canonical URLs decide what counts as "the same article"."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import patch
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tensionwatch.sources.base import Cursor, Fetched, add_entry
from tensionwatch.sources.urls import (
    _PAGE_ID,
    _page_id_in,
    _plain,
    article_id,
    canonical_url,
    clean_url,
    domain_of,
    page_id,
)
from tests.factories import make_article


@pytest.mark.parametrize(
    "variant",
    [
        "http://www.example.com/world/asia/story-1",
        "https://example.com/world/asia/story-1/",
        "https://EXAMPLE.com/world/asia/story-1?utm_source=rss&utm_medium=feed",
        "https://www.example.com/world/asia/story-1#comments",
        "https://example.com:443/world/asia/story-1?fbclid=abc&gclid=x",
    ],
)
def test_tracking_scheme_www_and_fragment_variants_fold_to_one_url(variant: str) -> None:
    assert canonical_url(variant) == "https://example.com/world/asia/story-1"


def test_meaningful_query_parameters_are_kept_and_sorted() -> None:
    assert canonical_url("https://example.com/a?page=2&id=7&utm_campaign=x") == (
        "https://example.com/a?id=7&page=2"
    )


def test_path_case_is_kept_because_servers_may_care() -> None:
    assert canonical_url("https://example.com/News/A") != canonical_url(
        "https://example.com/news/a"
    )


@pytest.mark.parametrize("bad", ["", "not a url", "ftp://example.com/x", "/relative/path"])
def test_non_http_urls_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        canonical_url(bad)


def test_article_id_is_sha256_prefix_as_the_factories_build_it() -> None:
    url = "https://news.example.com/abc"
    assert article_id(canonical_url(url)) == make_article(url=url).id
    assert len(article_id(url)) == 32


def test_domain_drops_www() -> None:
    assert domain_of("https://www.BBC.co.uk/news") == "bbc.co.uk"


@settings(max_examples=60)
@given(
    path=st.lists(st.text("abcxyz019-", min_size=1, max_size=8), max_size=4),
    tracking=st.dictionaries(st.sampled_from(["utm_source", "fbclid", "ref"]), st.text("ab1")),
)
def test_canonical_url_is_idempotent(path: list[str], tracking: dict[str, str]) -> None:
    query = "&".join(f"{k}={v}" for k, v in tracking.items())
    url = f"http://www.example.org/{'/'.join(path)}?{query}"
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert "utm_" not in once and "fbclid" not in once


FORGED = "https://x.example/a\n\nFAKE: click https://evil.example"


@pytest.mark.parametrize(
    "link",
    [
        FORGED,
        "https://x.example/a b",
        "https://x.example/a\x1b[2J",
        "https://x.example/a\x00",
        "https://x.example/\u202eexe.txt",
        "https://x.example/a\u200b",
        "https://x.example/a\u2028b",
        "https://x.example/" + "a" * 2048,
    ],
    ids=["forged-line", "space", "escape", "nul", "bidi", "zero-width", "line-separator",
         "too-long"],
)  # fmt: skip
def test_links_with_invisible_characters_or_over_the_cap_are_refused(link: str) -> None:
    with pytest.raises(ValueError) as caught:
        clean_url(link)
    assert "x.example" not in str(caught.value)


def test_the_whitespace_feeds_wrap_links_in_is_dropped() -> None:
    assert clean_url("\n   https://x.example/a?b=1\t\n") == "https://x.example/a?b=1"


def test_an_entry_with_a_forged_link_is_rejected_not_stored() -> None:
    fetched = Fetched(Cursor("rss", "feed"))
    add_entry(fetched, url=FORGED, title="t", published_at=None, now=datetime.now(UTC))
    add_entry(fetched, url=" https://x.example/b\n", title="t", published_at=None,
              now=datetime.now(UTC))  # fmt: skip
    assert fetched.rejected == 1
    assert [article.url for article in fetched.articles] == ["https://x.example/b"]


def test_page_id_is_the_outlets_own_id_ending_the_path() -> None:
    assert page_id("https://www.abc.net.au/news/2024-05-01/leaders-meet/103063854") == (
        "abc.net.au/103063854"
    )
    assert page_id("https://example.com/world/talks-resume-101704628253253.html") == (
        "example.com/101704628253253"
    )
    assert page_id("https://example.com/news/article/leaders-meet/fcmqj7hjs") == (
        "example.com/fcmqj7hjs"
    )
    assert page_id("https://example.com/2024/05/01/leaders-meet-in-geneva/") is None  # a slug
    assert page_id("https://example.com/world/1712064-20240501.htm") is None  # that day's date
    assert page_id("https://example.com/world/talks-2") is None


# Links built from the parts that decide how they split: schemes, users, hosts with odd
# characters, ports, paths with slashes and dots, queries, fragments, whitespace around.
_PARTS = st.tuples(
    st.sampled_from(["http://", "https://"]) | st.sampled_from(["HTTPS://", "ftp://", "http:/"]),
    st.just("") | st.sampled_from(["user@", "a:b@"]),
    st.text(alphabet="aZ09.-w", min_size=1, max_size=12) | st.text(alphabet="a.[]:%_", max_size=6),
    st.just("") | st.sampled_from([":443", ":8080", ":"]),
    st.text(alphabet="/aZ9.-_~%:@ ", max_size=16).map("/".__add__) | st.text("/aé\t", max_size=4),
    st.just("") | st.sampled_from(["?", "?utm_source=x&b=2", "?a=1#f", "#frag", "#", "#?q"]),
    st.just("") | st.sampled_from([" ", "\n", "\x00"]),
)
_PLAIN_PARTS = st.tuples(
    st.sampled_from(["http://", "https://"]),
    st.text(alphabet="aZ09.-w", min_size=1, max_size=12),
    st.text(alphabet="/aZ9.-_~%:@ ", max_size=16).map("/".__add__) | st.just(""),
    st.sampled_from(["", "?", "?utm_source=x&b=2", "#frag", "#?q"]),
)
LINKS = st.one_of(_PARTS.map(lambda p: p[6] + "".join(p[:6]) + p[6]),
                  _PLAIN_PARTS.map("".join), st.text(max_size=40))  # fmt: skip


@settings(max_examples=600)
@given(LINKS)
def test_a_plain_link_splits_as_urlsplit_splits_it(link: str) -> None:
    plain = _plain(link)
    if plain is not None:
        parts = urlsplit(link)
        assert plain[:2] == ((parts.hostname or "").lower(), parts.path)
        assert plain[2] or not (parts.query or parts.fragment)


def _outcomes(link: str) -> list[str | None]:
    """What each reader of a link makes of it, or the error it raises."""
    found: list[str | None] = []
    for read in (canonical_url, domain_of, page_id):
        try:
            found.append(read(link))
        except ValueError as error:
            found.append(f"ValueError: {error}")
    return found


@settings(max_examples=600)
@given(LINKS)
def test_the_plain_links_shortcut_gives_what_urlsplit_gives(link: str) -> None:
    with patch("tensionwatch.sources.urls._plain", return_value=None):
        by_urlsplit = _outcomes(link)
    assert _outcomes(link) == by_urlsplit


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(list("/_-.a1z9\nH")), max_size=24))
def test_a_page_id_is_searched_for_as_the_whole_path_s_search_finds_it(path: str) -> None:
    mine, theirs = _page_id_in(path), _PAGE_ID.search(path)
    assert (mine and (mine.span(), mine.group(1))) == (theirs and (theirs.span(), theirs.group(1)))
