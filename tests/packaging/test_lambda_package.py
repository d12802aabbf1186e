"""What `sam build` packages for each function (functions/Makefile): the locked versions as
arm64 wheels, the package without the offline stack, no pycountry translations; well under
Lambda's 250 MB unzipped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.integration.test_template_contract import FUNCTION, resources
from tests.packaging.conftest import ROOT, run, tool
from tests.unit.test_requirements_pinned import _locked

FUNCTIONS = sorted(resources(FUNCTION))  # every function the template deploys
MAX_UNZIPPED_MB = 100  # Lambda allows 250; more than this means something slipped in
AARCH64 = 183  # ELF e_machine of arm64 (EM_AARCH64)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sam") / "build"
    run(tool("sam"), "build", "--template", ROOT / "template.yaml", "--build-dir", out,
        env={"SAM_CLI_TELEMETRY": "0"})  # fmt: skip
    return out


def megabytes(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def elf_machine(library: Path) -> int:
    header = library.read_bytes()[:20]
    assert header[:4] == b"\x7fELF", library
    return int.from_bytes(header[18:20], "little")


def distributions(folder: Path) -> dict[str, str]:
    found = {}
    for info in folder.glob("*.dist-info"):
        name, version = info.name.removesuffix(".dist-info").rsplit("-", 1)
        found[re.sub(r"[-_.]+", "-", name).lower()] = version
    return found


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_function_gets_exactly_the_locked_versions(built: Path, function: str) -> None:
    assert distributions(built / function) == {n: v for n, (v, _) in _locked().items()}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_native_code_is_arm64_and_the_package_is_small(built: Path, function: str) -> None:
    folder = built / function
    native = list(folder.rglob("*.so"))
    assert native, "pydantic-core, orjson and ahocorasick-rs ship native code"
    assert {lib.name: elf_machine(lib) for lib in native} == {lib.name: AARCH64 for lib in native}
    assert megabytes(folder) < MAX_UNZIPPED_MB


@pytest.mark.parametrize("function", FUNCTIONS)
def test_the_package_holds_the_code_and_not_what_lambda_never_reads(
    built: Path, function: str
) -> None:
    folder = built / function
    assert (
        folder / "tensionwatch" / "handlers" / f"{function.removesuffix('Function').lower()}.py"
    ).exists()
    assert (folder / "pycountry" / "databases" / "iso3166-1.json").exists()  # what actors.py reads
    assert not (folder / "pycountry" / "locales").exists()
    assert not (folder / "tensionwatch" / "local").exists()  # the offline stack
    assert not list((folder / "tensionwatch").rglob("__pycache__"))
