"""Hypothesis strategies for hostile input: arbitrary JSON, near-valid API shapes, feed bytes."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Text that breaks renderers and parsers: markup, mrkdwn controls, RTL marks, NULs, surrogate
# character references and very long runs.
HOSTILE_SNIPPETS = (
    "<!channel>",
    "<!here|here>",
    "<https://evil.example|click>",
    "<script>alert(1)</script>",
    "&amp;&lt;",
    "\u202e\u202dRTL",
    "\u200f\u200e",
    "\x00\x07\x1b[31m",
    "*bold* _it_ ~s~ `c`",
    "]]><![CDATA[",
    "&#0;&#xD800;&#xFFFF;",
    "\ufeff",
    '{"a":',
    "\r\n\r\n",
)
hostile_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(HOSTILE_SNIPPETS), max_size=8).map("".join),
    st.builds(lambda s, n: s * n, st.sampled_from(HOSTILE_SNIPPETS), st.integers(1, 500)),
)
# Characters that forge lines, reorder text or hide in a URL or an API key: whitespace of
# every kind, C0/C1 controls, bidi overrides and isolates, zero-width characters.
INVISIBLE = (
    " \t\n\r\x0b\x0c\x00\x07\x08\x1b\x7f\x85\xa0\u2028\u2029\u3000"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f"
    "\ufeff\u00ad"
)
_invisible = st.text(st.sampled_from(INVISIBLE), min_size=1, max_size=4)
_url_text = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30)


def _spliced(base: str, cut: int, inserted: str) -> str:
    cut %= len(base) + 1
    return base[:cut] + inserted + base[cut:]


# A plausible URL with invisible characters or a forged line spliced in somewhere.
hostile_url = st.builds(
    _spliced,
    st.sampled_from(["https://news.example/world/a", "https://hooks.slack.com/services/T/B/X",
                     "http://b.example:8080/y?q=1"]),
    st.integers(0, 60),
    st.one_of(
        _invisible,
        st.builds("".join, st.tuples(_invisible, _url_text)),
        st.just("\n\nFAKE: click https://evil.example"),
    ),
)  # fmt: skip
# An API key as stored in SSM by hand: printable, with whitespace or controls around or inside.
hostile_key = st.builds(
    _spliced,
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40),
    st.integers(0, 40),
    _invisible,
) | st.builds(lambda key, tail: key + tail, st.text(min_size=1, max_size=40), _invisible)
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text
)
any_json: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
# Bodies no parser should recurse into: JSON nested up to 100 times deeper than any parser's
# limit, as text (json.dumps would itself recurse), alone or as one field of a near-valid body.
_OPENERS = {"[": "]", '{"a":': "}", '{"filter":': "}"}
nested_json_text = st.builds(
    lambda opener, depth, leaf: opener * depth + leaf + _OPENERS[opener] * depth,
    st.sampled_from(sorted(_OPENERS)),
    st.one_of(st.integers(1, 1100), st.integers(1100, 100_000)),
    st.sampled_from(["1", '"x"', "[]", "{}", "null"]),
)
# Lists of 1,000 to 10,000 items (the review's case), every one invalid and carrying MARK,
# which no message of the API contains: an answer that repeats a value shows it.
MARK = "ZQXJ"
huge_invalid_lists = st.builds(
    lambda items, n: [f"{MARK}{items[i % len(items)]}" for i in range(n)],
    st.lists(hostile_text, min_size=1, max_size=3),
    st.integers(1_000, 10_000),
)

maybe_text = st.one_of(st.none(), hostile_text, st.integers(), st.lists(st.text(max_size=5)))
maybe_url = st.one_of(
    maybe_text,
    hostile_url,
    st.sampled_from(
        [
            "https://a.example/x",
            "http://b.example:8080/y?utm_source=z#f",
            "javascript:alert(1)",
            "//no-scheme.example",
            "https://",
            "ftp://f.example/",
        ]
    ),
)
maybe_date = st.one_of(
    maybe_text,
    st.sampled_from(
        [
            "2026-11-02T09:00:00Z",
            "20261102T090000Z",
            "not a date",
            "9999-99-99T99:99:99Z",
            "2026-11-02",
        ]
    ),
)


def newsapi_items() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "source": st.one_of(st.none(), any_json, st.fixed_dictionaries({"name": maybe_text})),
            "title": maybe_text,
            "description": maybe_text,
            "url": maybe_url,
            "publishedAt": maybe_date,
            "content": maybe_text,
        },
    )


newsapi_pages = st.one_of(
    any_json,
    st.fixed_dictionaries(
        {
            "status": st.sampled_from(["ok", "error", "", None]),
            "totalResults": st.one_of(st.integers(), maybe_text),
            "articles": st.one_of(st.lists(newsapi_items(), max_size=5), any_json),
        }
    ),
)
gdelt_lists = st.one_of(
    any_json,
    st.fixed_dictionaries(
        {
            "articles": st.one_of(
                any_json,
                st.lists(
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "url": maybe_url,
                            "title": maybe_text,
                            "seendate": maybe_date,
                            "domain": maybe_text,
                            "language": maybe_text,
                        },
                    ),
                    max_size=5,
                ),
            )
        }
    ),
)
guardian_envelopes = st.one_of(
    any_json,
    st.fixed_dictionaries(
        {
            "response": st.one_of(
                any_json,
                st.fixed_dictionaries(
                    {
                        "status": st.sampled_from(["ok", "error"]),
                        "total": st.one_of(st.integers(), maybe_text),
                        "pages": st.one_of(st.integers(), maybe_text),
                        "results": st.one_of(
                            any_json,
                            st.lists(
                                st.fixed_dictionaries(
                                    {},
                                    optional={
                                        "webUrl": maybe_url,
                                        "webTitle": maybe_text,
                                        "webPublicationDate": maybe_date,
                                        "fields": st.one_of(
                                            any_json,
                                            st.fixed_dictionaries(
                                                {},
                                                optional={
                                                    "trailText": maybe_text,
                                                    "bodyText": maybe_text,
                                                },
                                            ),
                                        ),
                                    },
                                ),
                                max_size=5,
                            ),
                        ),
                    }
                ),
            )
        }
    ),
)


def _feed(items: list[tuple[str, str, str]], atom: bool) -> str:
    if atom:
        entries = "".join(
            f'<entry><title>{t}</title><link href="{u}"/><updated>{d}</updated></entry>'
            for t, u, d in items
        )
        return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'
    entries = "".join(
        f"<item><title>{t}</title><link>{u}</link><pubDate>{d}</pubDate></item>"
        for t, u, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{entries}</channel></rss>'


_feed_item = st.tuples(
    hostile_text,
    st.one_of(st.just("https://a.example/n"), hostile_text),
    st.one_of(st.just("Mon, 02 Nov 2026 09:00:00 GMT"), hostile_text),
)
feed_bytes = st.one_of(
    st.binary(max_size=400),
    st.builds(_feed, st.lists(_feed_item, max_size=4), st.booleans()).map(str.encode),
    # truncated near-valid feeds
    st.builds(
        lambda text, cut: text.encode()[:cut],
        st.builds(_feed, st.lists(_feed_item, min_size=1, max_size=3), st.booleans()),
        st.integers(0, 300),
    ),
)

# CI's run: ≥ 200 examples per parser, a fixed seed (a red build reproduces), no example database
# (a stale stored example of a pinned bug must not fail the property). `FUZZ_EXAMPLES` in the
# environment raises the count for the longer run scripts/load_run.py reports.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=EXAMPLES == 200,
    suppress_health_check=list(HealthCheck),
)
