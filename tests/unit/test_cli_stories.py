"""`tensionwatch stories --jsonl` as a user runs it: each line's story by the poll's matching,
the first article of a story naming it, a bad line reported alone."""

from __future__ import annotations

import io
import json

from tensionwatch.cli import build_parser
from tensionwatch.commands import stories

LEAD = (
    "Japan and South Korea agreed on Tuesday to resume security talks suspended since 2019, "
    "foreign minister Park Jin said after meeting his Japanese counterpart in Seoul."
)
LINES = [
    {"id": "a", "title": "Japan, South Korea to resume security talks", "summary": LEAD,
     "url": "https://one.example/a", "outlet": "One", "published_at": "2026-03-01T08:00:00Z"},
    {"id": "b", "title": "Brazil and Argentina sign grain deal", "url": "https://two.example/b",
     "summary": "Brazil and Argentina signed a grain export deal in Buenos Aires on Monday."},
    {"id": "c", "title": "Seoul, Tokyo thaw: defence dialogue back", "summary": "SEOUL (AP) — "
     + LEAD, "url": "https://three.example/c", "outlet": "Three"},
]  # fmt: skip


def run(text: str) -> tuple[int, list[dict[str, str]], str]:
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    args = build_parser().parse_args(["stories", "--jsonl"])
    code = stories.run(args, stdin=io.BytesIO(text.encode()), stdout=out, stderr=err)
    out.seek(0)
    return code, [json.loads(line) for line in out.read().splitlines()], err.getvalue()


def test_each_line_gets_the_id_of_its_storys_first_article() -> None:
    code, out, _ = run("".join(json.dumps(line) + "\n" for line in LINES))
    assert code == 0
    assert out == [{"id": "a", "story": "a"}, {"id": "b", "story": "b"},
                   {"id": "c", "story": "a"}]  # fmt: skip


def test_a_bad_line_is_named_and_the_others_still_answered() -> None:
    text = json.dumps(LINES[0]) + '\n{"id": "x", "title": "no url"}\nnot json\n'
    code, out, err = run(text)
    assert code == 1
    assert out == [{"id": "a", "story": "a"}]
    assert "line 2: url: Field required" in err and "line 3:" in err
