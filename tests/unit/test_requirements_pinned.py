"""`functions/requirements.txt` is the lock `sam build` installs (functions/Makefile) and the
test venv starts from (Makefile): every package pinned with its hashes, pyproject's runtime
pins among them. `make lock` writes it from pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "functions" / "requirements.txt"
# PEP 508 name with optional extras, then an exact pin: `name[extra]==1.2.3`.
PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9_,.-]+\])?==[A-Za-z0-9.+!-]+$")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def _name(requirement: str) -> str:
    name = re.split(r"[\[=;]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def _version(requirement: str) -> str:
    return re.split(r"[;\s]", requirement.partition("==")[2].strip(), maxsplit=1)[0]


def _pyproject_dependencies() -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [dep.replace(" ", "") for dep in data["project"]["dependencies"]]


def _locked() -> dict[str, tuple[str, list[str]]]:
    """Package name -> (version, hashes), one entry per `name==version \\ --hash...` block."""
    text = re.sub(r"\\\n\s*", " ", LOCK.read_text(encoding="utf-8"))
    entries = {}
    for raw in text.splitlines():
        line = raw.partition(" #")[0].strip()
        if line and not line.startswith("#"):
            requirement = line.partition(" --hash")[0].replace(", ", ",")
            entries[_name(requirement)] = (_version(requirement), HASH.findall(line))
    return entries


def test_every_runtime_dependency_is_pinned_exactly() -> None:
    loose = [dep for dep in _pyproject_dependencies() if not PINNED.match(dep)]
    assert loose == []


def test_the_lock_pins_each_runtime_dependency_at_the_pyproject_version() -> None:
    locked = _locked()
    wanted = {_name(dep): _version(dep) for dep in _pyproject_dependencies()}
    assert {name: locked[name][0] for name in wanted if name in locked} == wanted


def test_every_locked_package_has_its_hashes() -> None:
    # pip --require-hashes refuses a lock with one unhashed line; a missing hash fails here first.
    assert [name for name, (_, hashes) in _locked().items() if not hashes] == []


def test_the_tests_run_on_the_locked_versions() -> None:
    # `make` installs the lock before the dev tools; a dev tool that moved a pin would make the
    # tests pass on versions the Lambda never runs.
    installed = {name: metadata.version(name) for name in _locked()}
    assert installed == {name: version for name, (version, _) in _locked().items()}
