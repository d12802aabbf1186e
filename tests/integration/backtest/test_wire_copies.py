"""One wire story carried by four outlets under their own headlines is one story: it does not,
alone, move its pair out of steady, where four outlets' own stories would. Two agencies' own
reports of one event stay two stories (corroboration)."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

from tensionwatch.backtest.stories import StoryFolding
from tensionwatch.cli import build_parser
from tensionwatch.commands import backtest
from tensionwatch.models import Article
from tests.factories import make_article
from tests.integration.score.stream import START, two_weeks

LEAD = (
    "France expelled two German diplomats on Tuesday and recalled its ambassador from Berlin, "
    "accusing Germany of spying on its defence ministry, the foreign ministry said in a statement."
)
# The headline each outlet gave the copy, and how it carried the lead.
COPIES = [
    ("France expels German diplomats, recalls ambassador", "PARIS (AP) — {lead}"),
    ("france expels two german diplomats over spying claims", "Paris: {lead}"),
    ("Spy row: Paris orders Berlin envoys out", "{lead}"),
    ("France recalls its ambassador to Germany", "{short}"),
]
OTHER_WIRE = (
    "French government orders German envoys to leave",
    "PARIS (Reuters) - The French government told two German diplomats to leave the country "
    "within 72 hours, sources close to the ministry said, in a row over alleged espionage.",
)
DAY = START + timedelta(days=12, hours=3)


def copies(*, own_stories: bool = False) -> list[Article]:
    """The wire story as four outlets carried it (own_stories: as if each were its own)."""
    short = LEAD.split(" and recalled", maxsplit=1)[0] + "."
    made = []
    for n, (title, lead) in enumerate(COPIES):
        article = make_article(title, url=f"https://outlet{n}.example/world/{n}",
                               outlet=f"Outlet {n}", published_at=DAY + timedelta(hours=n),
                               summary=lead.format(lead=LEAD, short=short))  # fmt: skip
        made.append(article.model_copy(update={"story_id": article.id if own_stories else None}))
    return made


def pair_alerts(tmp_path: Path, extra: list[Article]) -> list[dict[str, object]]:
    """The DE-FR alerts a backtest of the two weeks plus `extra` publishes."""
    stream = sorted(two_weeks() + extra, key=lambda a: a.published_at)
    path = tmp_path / "archive.jsonl"
    path.write_text("".join(a.model_dump_json() + "\n" for a in stream))
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    args = build_parser().parse_args(["backtest", str(path), "--quiet", "--jsonl"])
    assert backtest.run(args, stdin=io.StringIO(), stdout=out, stderr=io.StringIO()) == 0
    out.seek(0)
    alerts = [json.loads(line) for line in out.read().splitlines() if line.strip()]
    return [a for a in alerts if "DE-FR" in json.dumps(a)]


def test_four_outlets_copies_of_one_wire_story_are_one_story() -> None:
    claimed = StoryFolding().assign(copies())
    assert {a.story_id for a in claimed} == {claimed[0].id}


def test_one_wire_story_alone_leaves_its_pair_steady(tmp_path: Path) -> None:
    assert pair_alerts(tmp_path, copies(own_stories=True))  # four stories would move it
    assert pair_alerts(tmp_path, copies()) == []


def test_two_agencies_reports_of_one_event_stay_two_stories() -> None:
    title, lead = OTHER_WIRE
    other = make_article(title, url="https://other.example/world/1", outlet="Other",
                         published_at=DAY + timedelta(hours=5), summary=lead)  # fmt: skip
    claimed = StoryFolding().assign([*copies(), other.model_copy(update={"story_id": None})])
    assert len({a.story_id for a in claimed}) == 2
