"""`functions/requirements.txt` (what `sam build` packages) mirrors pyproject's runtime pins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# PEP 508 name with optional extras, then an exact pin: `name[extra]==1.2.3`.
PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9_,.-]+\])?==[A-Za-z0-9.+!-]+$")


def _normalise(requirement: str) -> str:
    name, _, version = requirement.replace(" ", "").partition("==")
    return f"{re.sub(r'[-_.]+', '-', name).lower()}=={version}"


def _pyproject_dependencies() -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["project"]["dependencies"])


def _requirements() -> list[str]:
    lines = (ROOT / "functions" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def test_every_runtime_dependency_is_pinned_exactly() -> None:
    loose = [dep for dep in _pyproject_dependencies() if not PINNED.match(dep.replace(" ", ""))]
    assert loose == []


def test_lambda_requirements_equal_the_pyproject_runtime_pins() -> None:
    wanted = sorted(map(_normalise, _pyproject_dependencies()))
    packaged = sorted(map(_normalise, _requirements()))
    assert packaged == wanted


def test_lambda_requirements_list_each_package_once() -> None:
    names = [_normalise(req).split("==")[0].split("[")[0] for req in _requirements()]
    assert len(names) == len(set(names))
