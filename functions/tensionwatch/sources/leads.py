"""A wire lead's furniture: the dateline and the agency credit ("TOKYO (AP) —", "NEW DELHI,
Sept. 19 (Xinhua) --", "ANKARA, January 25. /TASS/."). Pure.

Outlets add, drop and restyle the dateline of the copy they carry, so it is cut before the lead
is compared; the credit is kept apart, because two leads crediting different agencies are two
reports of one event (corroboration), however alike their words.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

CREDIT_CHARS = 160  # a credit sits in the dateline, before the lead's first clause
# An all-caps or "City, Mon 19:" dateline closed by a dash or colon, with no credit in it.
_DATELINE = re.compile(
    r"^\s*(?:by [A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3}\s+)?"  # a byline before it
    r"(?:[A-Z][A-Z .,'\u2019]{1,40}|[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3}"
    r"(?:,? [A-Z][a-z]{2,8}\.? \d{1,2})?)\s*(?:[-\u2013\u2014]+|:)\s+",
    re.IGNORECASE,
)


_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
_DAY_BITS = {stem: 1 << n for n, stem in enumerate(("mon", "tues", "wednes", "thurs", "fri",
                                                     "satur", "sun"))}  # fmt: skip


@cache
def _agencies() -> tuple[re.Pattern[str], dict[str, str]]:
    """The credit pattern and each credit form's agency, read once on first use."""
    text = resources.files("tensionwatch.sources").joinpath("data/wires.txt").read_text()
    names: dict[str, str] = {}
    for line in text.splitlines():
        forms = [form.strip() for form in line.split("#")[0].split("|") if form.strip()]
        names.update({form.lower(): forms[0] for form in forms})
    alternatives = "|".join(re.escape(form) for form in sorted(names, key=len, reverse=True))
    # "(AP)", "(Reuters) -", "(APP - UrduPoint ...)", "/TASS/", "(MENAFN- Kuwait News Agency"
    pattern = re.compile(rf"[(/]\s*(?:[\w -]*-\s*)?({alternatives})\s*(?:[)/]|\s[-\u2013\u2014])",
                         re.IGNORECASE)  # fmt: skip
    return pattern, names


def wire_credit(lead: str) -> str | None:
    """The agency the lead credits in its dateline ('AP', 'Reuters', 'Xinhua'), or None."""
    pattern, names = _agencies()
    found = pattern.search(lead[:CREDIT_CHARS])
    return names[found.group(1).lower()] if found else None


def lead_text(lead: str) -> str:
    """The lead without its dateline and credit: what an outlet's copy keeps of the wire's."""
    pattern, _ = _agencies()
    found = pattern.search(lead[:CREDIT_CHARS])
    if found:
        rest = lead[found.end() :]
        return rest.lstrip(" \t-\u2013\u2014:.,)")
    return _DATELINE.sub("", lead, count=1)


def weekdays(lead: str) -> int:
    """The weekdays `lead` names, a bit each (Monday the lowest), 0 for none: wire leads date
    an event by its weekday, and a copy keeps it."""
    bits = 0
    for found in _WEEKDAY.finditer(lead):
        bits |= _DAY_BITS[found.group(1).lower()]
    return bits


# A quotation: in double quotes (straight or curly), or in single ones opened after a space
# (so "Korea's" and "Koreas'" are not quotes).
_QUOTE = re.compile(
    r"[\"\u201c\u201d]([^\"\u201c\u201d]{2,200}?)[\"\u201c\u201d]"
    r"|(?<!\w)['\u2018]([^'\u2018\u2019\"]{2,200}?)['\u2019](?!\w)"
)
# A preview's lead: what is due to happen, not what happened ("X is due to meet Y").
_AHEAD = re.compile(r"\b(?:is|are) (?:due|set|expected|scheduled|poised|slated) to\b",
                    re.IGNORECASE)  # fmt: skip


def quotations(lead: str) -> list[str]:
    """The phrases `lead` quotes: a copy keeps the wire's quote marks around its source's
    words; another report may carry the same words as its own."""
    return [found.group(1) or found.group(2) for found in _QUOTE.finditer(lead)]


def looks_ahead(lead: str) -> bool:
    """Whether the lead's first sentence tells of an event still to come (a preview): the
    wire's preview and its report of the event are two stories, however alike their words."""
    return bool(_AHEAD.search(lead.split(". ", 1)[0]))
