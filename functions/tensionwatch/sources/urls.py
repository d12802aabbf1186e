"""Canonical URLs and article ids: the one definition of "the same URL" in the product."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tensionwatch.characters import is_hidden

# Query parameters that only say how a reader arrived, never which page it is: the utm_* family
# (Google Analytics), the ad-click ids of Google, Facebook, Microsoft and Mailchimp, and the
# share/referral tags news sites append (observed on Reuters, BBC, CNN, Guardian links).
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mc_")
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mkt_tok", "ocid",
        "cmpid", "cmp", "ref", "ref_src", "referrer", "src", "smid", "share", "taid",
        "ito", "cid", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
        "output", "amp", "rss", "feed", "__twitter_impression",
    }
)  # fmt: skip
ID_LENGTH = 32  # hex chars of sha256: 128 bits, collisions impossible at news volumes
# Longest link kept: browsers and CDNs handle 2,048 comfortably and real article links are a
# few hundred; ten 12 KB links once made an alert too big for SNS.
MAX_URL = 2048


def clean_url(url: str) -> str:
    """`url` without the whitespace around it (feeds wrap their links in it). Raises ValueError
    when whitespace, control or format characters (bidi overrides, zero-width) remain inside,
    where they would forge lines or reorder text wherever the link is shown, or when it is
    longer than MAX_URL."""
    link = url.strip()
    if len(link) > MAX_URL:
        raise ValueError(f"link longer than {MAX_URL} characters")
    if link.isascii() and link.isprintable() and " " not in link:
        return link  # the usual link: no ASCII control, no space, nothing else it could hold
    if any(c.isspace() or is_hidden(c) for c in link):
        raise ValueError("link holds whitespace or control characters")
    return link


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


# Most links are this plain: http(s), a host of letters, digits, dots and hyphens (no user, no
# port), a path, then perhaps a query or fragment. For them `_plain` gives what urlsplit would,
# about five times faster: every article's link is split three or four times (its canonical
# form, its domain, its page id, its outlet's home), so the last links' splits are remembered
# (a plain link is its own canonical form: one split serves both). tests/unit/sources/
# test_urls.py holds the two equal.
_PLAIN = re.compile(r"https?://([A-Za-z0-9.-]+)(/[^?#]*)?(?=[?#]|\Z)", re.ASCII)


@lru_cache(maxsize=4096)
def _plain(url: str) -> tuple[str, str, bool] | None:
    """(hostname, path, whether a query or fragment follows) of a plain link, as `urlsplit`
    reads them; None for any other (urlsplit then reads it)."""
    if not (url.isascii() and url.isprintable()):  # controls urlsplit drops, or strips
        return None
    found = _PLAIN.match(url)
    if found is None:
        return None
    return found[1].lower(), found[2] or "", found.end() < len(url)


def canonical_url(url: str) -> str:
    """The URL with scheme folded to https, `www.` and default ports dropped, the host
    lowercased, tracking parameters and the fragment removed, and the remaining query sorted.

    Raises ValueError when `url` has no host (not an absolute http(s) URL).
    """
    plain = _plain(url.strip())
    if plain is not None and not plain[2]:  # no query to sort, no fragment to drop
        host, path = plain[0].removeprefix("www."), plain[1] or "/"
        return f"https://{host}{path.rstrip('/') if len(path) > 1 else path}"
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValueError("not an absolute http(s) URL")
    host = parts.hostname.lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    )
    return urlunsplit(("https", host, path, urlencode(query), ""))


def article_id(canonical: str) -> str:
    """The article id: sha256 of the canonical URL, hex, first 32 chars."""
    return hashlib.sha256(canonical.encode()).hexdigest()[:ID_LENGTH]


def domain_of(url: str) -> str:
    """The host of `url` without `www.`, lowercased ('' when there is none)."""
    plain = _plain(url)
    host = plain[0] if plain is not None else (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


# An outlet's own id for a page, ending its path ("/103063854", "-101704628253253.html",
# "/fcmqj7hjs"): it stays when the outlet rewrites the page's headline and slug as the story
# develops. Six or more letters and digits, at least one digit: a slug word has none and a year
# or a day of the month is shorter.
_PAGE_ID = re.compile(r"(?:^|[/_-])([a-z0-9]*\d[a-z0-9]*)(?:\.[a-z]{2,5})?/?$")
_MIN_PAGE_ID = 6
_DATE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")  # every page that day


def _page_id_in(path: str) -> re.Match[str] | None:
    """`_PAGE_ID.search(path)`, started at the separator the id must follow: the id holds no
    separator, so only the last one before it (a final '/' aside) can begin a match. Searched
    from the start, the pattern was tried at every position of the path (a fifth of a matched
    article's regex work)."""
    if "\n" in path:  # `$` also matches before a final newline: the whole search then
        return _PAGE_ID.search(path)
    body = path[:-1] if path.endswith("/") else path
    start = max(body.rfind("/"), body.rfind("_"), body.rfind("-"), 0)
    return _PAGE_ID.search(path, start)  # `^` matches at the string's start only, not here


def page_id(url: str) -> str | None:
    """The outlet's own id of the page at `url`, with its domain ('abc.net.au/103063854'), or
    None when the path does not end in one."""
    link = url.strip()
    plain = _plain(link)
    if plain is not None:
        host, path, _ = plain
    else:
        parts = urlsplit(link)
        host, path = (parts.hostname or "").lower(), parts.path
    found = _page_id_in(path.lower())
    if not found or len(found.group(1)) < _MIN_PAGE_ID or _DATE.fullmatch(found.group(1)):
        return None
    return f"{host.removeprefix('www.')}/{found.group(1)}"
