"""Packaging tests build and install the project the way users and `sam build` do, in fresh
virtual environments; they take minutes, so `make test` runs them as a step of their own
(`-m packaging`) after the rest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".tools"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.packaging)


def run(*command: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None,
        stdin: str | None = None) -> str:  # fmt: skip
    """Run `command`; its stdout, or a failure showing what it printed."""
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        input=stdin,
        text=True,
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def fresh_clone(path: Path) -> Path:
    """The project as a fresh clone has it (tracked and new files, nothing git ignores: no
    extensions compiled in place, no build/), so no build can reuse this checkout's leftovers."""
    files = run("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for name in filter(None, files.split("\0")):
        if (ROOT / name).is_file():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, path / name)
    return path


def fresh_venv(path: Path) -> Path:
    """A new virtual environment without the project's packages; returns its bin directory."""
    run(sys.executable, "-m", "venv", path)
    return path / "bin"


def tool(name: str) -> Path:
    """A tool from its own venv (`make tools` installs them from infra/tools/*.txt)."""
    path = TOOLS / name / "bin" / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make tools`")
    return path
