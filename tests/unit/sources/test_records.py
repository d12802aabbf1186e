"""JSON records one by one: a bad record loses only itself; a broken frame loses everything."""

from __future__ import annotations

import json

import pytest

from tensionwatch.sources.records import array_records


def test_a_record_with_an_invalid_escape_is_counted_and_the_rest_kept() -> None:
    good = [json.dumps({"title": f"story {i}", "url": f"https://e.example/{i}"}) for i in range(3)]
    bad = '{"title": "Wall Street \\q rallies", "url": "https://e.example/bad"}'
    text = '{"articles": [' + ", ".join([good[0], bad, *good[1:]]) + "]}"
    with pytest.raises(ValueError):
        json.loads(text)
    records, unreadable = array_records(text, "articles")
    assert [r["title"] for r in records] == ["story 0", "story 1", "story 2"]
    assert unreadable == 1


def test_brackets_and_quotes_inside_strings_do_not_end_a_record() -> None:
    text = '{"articles": [{"title": "a } b ] \\" {", "n": [1, {"x": 2}]}, {"title": "c"}]}'
    records, unreadable = array_records(text, "articles")
    assert records == [{"title": 'a } b ] " {', "n": [1, {"x": 2}]}, {"title": "c"}]
    assert unreadable == 0


@pytest.mark.parametrize(
    "text",
    [
        '{"articles": [{"title": "ok"}, {"title": "cut off',  # truncated inside a record
        '{"articles": [{"title": "ok"}',  # truncated after a record
        '{"articles": [{"title": "ok"}] ',  # the document never closes
        '{"items": [{"title": "ok"}]}',  # renamed key
        '{"articles": [{"title": "ok"} {"title": "no comma"}]}',
        '{"articles": ["a string is no record"]}',
    ],
)
def test_a_broken_frame_is_an_error_not_fewer_records(text: str) -> None:
    with pytest.raises(ValueError):
        array_records(text, "articles")


def test_an_empty_array_has_no_records() -> None:
    assert array_records('{"articles": [ ]}', "articles") == ([], 0)
