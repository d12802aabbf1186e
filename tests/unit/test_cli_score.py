"""`tensionwatch score`: the human reading, and --jsonl with good and bad lines."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from tensionwatch.cli import build_parser
from tensionwatch.commands.score import run


def score_cli(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    written, err = io.BytesIO(), io.StringIO()
    out = io.TextIOWrapper(written, encoding="utf-8")  # like sys.stdout: --jsonl writes bytes
    code = run(
        build_parser().parse_args(["score", *argv]), stdin=io.BytesIO(stdin), stdout=out, stderr=err
    )
    out.flush()
    return code, written.getvalue().decode(), err.getvalue()


def test_file_reading_shows_direction_dyad_and_each_evidence_sentence(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Japan and South Korea agree to mend ties\n\nBoth sides held talks in Tokyo.\n"
    )
    code, out, _ = score_cli([str(article)])
    assert code == 0
    assert out.startswith("direction: thaw")
    assert "dyad: JP-KR" in out
    assert '"mend ties"  COOPERATE' in out
    assert "Both sides held talks in Tokyo." in out


def test_stdin_dash_is_read_like_a_file() -> None:
    code, out, _ = score_cli(["-"], b"US slaps sanctions on Iran")
    assert code == 0 and out.startswith("direction: escalation")


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    code, out, err = score_cli([str(tmp_path / "nope.txt")])
    assert code == 2 and out == ""
    assert "cannot read" in err and "nope.txt" in err


def test_jsonl_writes_one_reading_per_line() -> None:
    lines = [
        {"id": "a", "text": "China and Japan agree to resume talks"},
        {"id": "b", "title": "Russia expels Polish diplomats", "body": "Warsaw protested."},
    ]
    code, out, err = score_cli(["--jsonl"], "\n".join(json.dumps(x) for x in lines).encode())
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and err == ""
    assert [r["id"] for r in records] == ["a", "b"]
    assert [r["direction"] for r in records] == ["thaw", "escalation"]
    assert records[1]["dyad"] == "PL-RU"
    keys = {"score", "confidence", "countries", "mixed", "evidence", "lexicon_version"}
    assert keys <= set(records[0])
    assert records[0]["evidence"][0]["sentence"] == "China and Japan agree to resume talks"


def test_jsonl_reads_an_unnamed_office_as_the_outlets_state_from_its_url() -> None:
    title = "Foreign Office summons Indian envoy over border firing"
    lines = [
        {"id": "home", "title": title, "url": "https://www.dawn.com/news/1"},
        {"id": "unknown", "title": title, "url": "https://example.org/a"},
        {"id": "none", "title": title},
    ]
    code, out, _ = score_cli(["--jsonl"], "\n".join(json.dumps(x) for x in lines).encode())
    dyads = {r["id"]: r["dyad"] for r in map(json.loads, out.splitlines())}
    assert code == 0
    assert dyads == {"home": "IN-PK", "unknown": None, "none": None}


def test_jsonl_bad_lines_are_reported_and_the_rest_still_scored() -> None:
    stdin = b"\n".join(
        [
            b'{"id": "ok1", "text": "Iran and Iraq sign a treaty"}',
            b"{not json",
            b'{"id": "no-text", "body": 3}',
            b'{"id": "bytes", "text": "caf\xe9"}',
            b'["a", "list"]',
            b'{"id": "ok2", "text": "Israel launches airstrikes on Syria"}',
        ]
    )
    code, out, err = score_cli(["--jsonl"], stdin)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [r.get("direction") for r in records] == ["thaw", None, None, None, None, "escalation"]
    errors = [r for r in records if "error" in r]
    assert [r["line"] for r in errors] == [2, 3, 4, 5]
    assert errors[1]["id"] == "no-text"
    assert "invalid JSON" in errors[0]["error"] and "UTF-8" in errors[2]["error"]
    for number in (2, 3, 4, 5):
        assert f"line {number}:" in err


def test_blank_lines_are_skipped_but_counted() -> None:
    code, out, err = score_cli(["--jsonl"], b'\n{"id": 1, "text": "talks"}\n\n{bad\n')
    assert code == 1
    assert "line 4:" in err
    assert json.loads(out.splitlines()[0])["id"] == 1


def test_console_script_runs_jsonl_end_to_end() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tensionwatch.cli", "score", "--jsonl"],
        input=b'{"id": "x", "text": "Seoul recalls its ambassador to Tokyo"}\n\xff\n',
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["direction"] == "escalation" and first["dyad"] == "JP-KR"
    assert second["line"] == 2 and "UTF-8" in second["error"]
    assert b"line 2:" in done.stderr


def test_jsonl_lone_surrogate_is_a_bad_line_not_a_crash() -> None:
    stdin = b'{"id": "s", "text": "Japan \\ud800 talks"}\n{"id": "ok", "text": "talks"}\n'
    code, out, err = score_cli(["--jsonl"], stdin)
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 1
    assert first["id"] == "s" and "surrogate" in first["error"]
    assert second["id"] == "ok" and "line 1:" in err


def test_jsonl_reads_the_named_file_not_stdin(tmp_path: Path) -> None:
    lines = tmp_path / "in.jsonl"
    lines.write_text('{"id": "f", "text": "US slaps sanctions on Iran"}\n')
    code, out, _ = score_cli(["--jsonl", str(lines)], b'{"id": "stdin", "text": "x"}\n')
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["f"]


def test_jsonl_on_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    code, out, err = score_cli(["--jsonl", str(tmp_path / "absent.jsonl")])
    assert code == 2 and out == ""
    assert "cannot read" in err


def test_the_human_reading_caps_its_evidence_and_notes_a_long_text(tmp_path: Path) -> None:
    article = tmp_path / "long.txt"
    body = "Japan imposed sanctions on China. " * 2_000
    article.write_text("Japan and China agree to resume talks\n" + body)
    code, out, _ = score_cli([str(article)])
    assert code == 0
    shown = [line for line in out.splitlines() if line.startswith("   ") and '"' in line]
    assert len(shown) == 12
    assert "more" in out.splitlines()[-2]
    assert out.splitlines()[-1].startswith("note: read the first 20,000 characters of")


def test_an_off_topic_text_says_so() -> None:
    code, out, _ = score_cli(["-"], b"Brazil and Argentina battle to goalless draw in World Cup")
    assert code == 0 and out.startswith("direction: neutral")
    assert "off-topic: sports" in out
