"""What a web page would fetch on opening, for the tests of the self-contained report."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser


class Loads(HTMLParser):
    """Everything a page would fetch on opening: images, scripts, styles, frames, CSS urls."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.ids: set[str] = set()
        self.page = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for name in ("src", "srcset", "data", "poster"):
            if found.get(name):
                self.fetched.append(str(found[name]))
        if tag == "link" and found.get("href"):
            self.fetched.append(str(found["href"]))

    def handle_data(self, data: str) -> None:
        self.fetched += re.findall(r"url\(([^)]*)\)|@import", data)

    @classmethod
    def of(cls, page: str) -> Loads:
        loads = cls()
        loads.feed(page)
        loads.page = page
        return loads

    def offline(self) -> bool:
        """Something is drawn, all of it inline, and no script at all."""
        inline = all(src.startswith("data:image/png;base64,") for src in self.fetched)
        return bool(self.fetched) and inline and "<script" not in self.page

    def shows(self, text: str) -> bool:
        """Whether `text` is on the page, escaped as the page escapes news text."""
        return escape(text) in self.page
