"""`tensionwatch backtest` as a user runs it: alerts with their dates, JSON lines a subscriber's
code can read, a bad line reported alone, settings checked, a progress bar only on a terminal,
and a report that opens offline."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tensionwatch.cli import build_parser, main
from tensionwatch.commands import backtest
from tensionwatch.models import Alert
from tensionwatch.store.topic import publish_request
from tests.integration.score.stream import two_weeks
from tests.page_loads import Loads

# The scenario stream's alerts (tests/integration/score/test_scenario.py): month-day, pair, kind.
EXPECTED = [
    ("10-05", "JP-KR", "state_change", "escalation"),
    ("10-07", "JP-KR", "resolved", "escalation"),
    ("10-08", "CN-US", "flash", "escalation"),
    ("10-10", "JP-KR", "state_change", "thaw"),
    ("10-14", "JP-KR", "resolved", "thaw"),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scenario's two weeks as an archive file: the Article model's JSON, one a line."""
    path = tmp_path_factory.mktemp("archive") / "two-weeks.jsonl"
    path.write_text("".join(a.model_dump_json() + "\n" for a in two_weeks()))
    return path


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: str, stdin: str = "", stderr: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), stderr or io.StringIO()
    parsed = build_parser().parse_args(["backtest", *args])
    code = backtest.run(parsed, stdin=io.TextIOWrapper(io.BytesIO(stdin.encode())),
                        stdout=out, stderr=err)  # fmt: skip
    out.seek(0)
    return code, out.read(), err.getvalue()


def test_prints_the_alerts_with_their_dates(archive: Path) -> None:
    code, out, _ = run(str(archive), "--quiet")
    assert code == 0
    listed = re.findall(r"^  2026-(\d\d-\d\d) \d\d:\d\d  (\S+)", out, flags=re.MULTILINE)
    assert listed == [(day, pair) for day, pair, _, _ in EXPECTED]
    assert "5 alerts:" in out and "JP-KR escalating:" in out


def test_jsonl_is_the_message_a_subscriber_receives(archive: Path) -> None:
    code, out, err = run(str(archive), "--jsonl", "--quiet")
    alerts = [Alert.model_validate_json(line) for line in out.splitlines()]
    assert code == 0 and "5 alerts:" in err
    assert [(a.fired_at.strftime("%m-%d"), a.dyad, a.kind, a.direction) for a in alerts] == EXPECTED
    for line, alert in zip(out.splitlines(), alerts, strict=True):
        assert line == json.loads(publish_request(alert)["Message"])["default"]


def test_a_bad_line_fails_alone_and_is_counted(archive: Path, tmp_path: Path) -> None:
    lines = archive.read_text().splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([lines[0], '{"title": "no date", "url": "https://a.example/"}',
                                 *lines[1:]]) + "\n")  # fmt: skip
    code, out, err = run(str(broken), "--quiet")
    assert code == backtest.EXIT_BAD_INPUT
    assert "broken.jsonl line 2: published_at: Field required" in err
    assert "duplicates dropped, 1 bad line" in out and "5 alerts:" in out


def test_stdin_can_be_the_archive(archive: Path) -> None:
    code, out, _ = run("-", "--quiet", stdin=archive.read_text())
    assert code == 0 and "Backtest of stdin" in out and "5 alerts:" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--set", "bogus=1"], "no setting 'bogus'"),
        (["--compare", "min_outlets=x"], "min_outlets=x"),
        ([], "name an archive"),
        (["no-such-file.jsonl"], "cannot read no-such-file.jsonl"),
        (["--gdelt", "Japan"], "need --from"),
    ],
)
def test_what_cannot_run_says_why(args: list[str], said: str) -> None:
    code, out, err = run(*args)
    assert code == backtest.EXIT_UNUSABLE and out == ""
    assert said in err


def test_set_changes_the_decisions_and_compare_shows_the_difference(archive: Path) -> None:
    code, out, _ = run(str(archive), "--quiet", "--set", "flash_min_outlets=5",
                       "--compare", "flash_min_outlets=3")  # fmt: skip
    assert code == 0
    assert "settings: flash_min_outlets=5" in out and "4 alerts:" in out
    assert "A = flash_min_outlets=5; B = the defaults" in out
    assert re.search(r"CN-US\s+0\s+1\s+1\s+0\s+0", out)
    assert "gained: 2026-10-08" in out


def test_the_progress_bar_is_for_a_terminal_and_on_stderr(archive: Path) -> None:
    _, out, err = run(str(archive))
    assert "[" not in err and "#" not in out  # stderr here is no terminal
    terminal = Terminal()
    _, out, _ = run(str(archive), stderr=terminal)
    assert "replaying  [" in terminal.getvalue() and "replaying" not in out


def test_schema_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backtest", "--schema"]) == 0
    assert json.loads(capsys.readouterr().out)["required"] == ["title", "url", "published_at"]
    with pytest.raises(SystemExit):
        main(["--version"])
    assert re.match(r"tensionwatch \d+\.\d+", capsys.readouterr().out)
    text = build_parser().format_help()
    assert "backtest" in text and "imported" not in text and "module" not in text


def test_out_writes_a_report_that_loads_nothing_and_shows_every_pair_and_alert(
    archive: Path, tmp_path: Path
) -> None:
    code, _, err = run(str(archive), "--quiet", "--jsonl", "--out", str(tmp_path))
    assert code == 0
    alerts = [Alert.model_validate_json(line)
              for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]  # fmt: skip
    page = (tmp_path / "report.html").read_text()
    loads = Loads.of(page)
    assert loads.offline()
    assert {"JP-KR", "CN-US", "DE-FR"} <= loads.ids
    assert all(loads.shows(alert.rationale) for alert in alerts)
    pngs = sorted(p.name for p in tmp_path.glob("signal-*.png"))
    assert {"signal-JP-KR.png", "signal-CN-US.png", "signal-DE-FR.png"} <= set(pngs)
    assert all((tmp_path / p).read_bytes().startswith(b"\x89PNG") for p in pngs)
    assert f"wrote {tmp_path / 'report.html'}" in err


@pytest.fixture(scope="module")
def plain_charts(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The archive's charts drawn without marks, by name."""
    out = tmp_path_factory.mktemp("plain")
    assert run(str(archive), "--quiet", "--out", str(out))[0] == 0
    return {p.name: p.read_bytes() for p in out.glob("signal-*.png")}


def charts_with_marks(
    archive: Path, tmp_path: Path, lines: str
) -> tuple[int, str, dict[str, bytes]]:
    """Exit code, stderr and the charts by name of a run with `lines` as its --marks file."""
    marks, out = tmp_path / "marks.jsonl", tmp_path / "marked"
    marks.write_text(lines)
    code, _, err = run(str(archive), "--quiet", "--out", str(out), "--marks", str(marks))
    return code, err, {p.name: p.read_bytes() for p in out.glob("signal-*.png")}


def test_marks_are_drawn_on_every_chart_and_a_bad_mark_is_named(
    archive: Path, tmp_path: Path, plain_charts: dict[str, bytes]
) -> None:
    code, err, marked = charts_with_marks(archive, tmp_path,
        '{"date": "2026-10-05", "label": "escalation", "direction": "escalation"}\n'
        '{"date": "5 October", "label": "bad"}\n')  # fmt: skip
    assert code == 0
    assert "marks.jsonl line 2: date" in err
    assert plain_charts and sorted(plain_charts) == sorted(marked)
    assert all(plain_charts[c] != marked[c] for c in plain_charts)


def test_a_mark_with_a_pair_is_drawn_on_that_pairs_chart_only(
    archive: Path, tmp_path: Path, plain_charts: dict[str, bytes]
) -> None:
    code, err, marked = charts_with_marks(archive, tmp_path,
        '{"date": "2026-10-05", "label": "curbs", "direction": "escalation", "pair": "JP-KR"}\n'
        '{"date": "2026-10-06", "pair": "jp-kr"}\n')  # fmt: skip
    assert code == 0
    assert "marks.jsonl line 2: pair" in err
    changed = {name for name, png in plain_charts.items() if marked[name] != png}
    assert changed == {"signal-JP-KR.png"}
