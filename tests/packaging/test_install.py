"""`pip install .`, `python -m build` and the wheel they make, each in a fresh venv: the scorer
compiles where a C compiler is, installs as Python where none is, and `tensionwatch score`
reads a sentence either way."""

from __future__ import annotations

import json
from pathlib import Path

from tests.packaging.conftest import fresh_clone, fresh_venv, run

SENTENCE = "Japan and South Korea agree to restore full diplomatic ties."


def scores(bin_dir: Path) -> dict[str, object]:
    line = json.dumps({"id": "1", "text": SENTENCE})
    (reading,) = [json.loads(out) for out in run(bin_dir / "tensionwatch", "score", "--jsonl",
                                                  stdin=line + "\n").splitlines()]  # fmt: skip
    return reading


def scorer_file(bin_dir: Path) -> str:
    return run(bin_dir / "python", "-c",
               "import tensionwatch.scoring.scorer as m; print(m.__file__)").strip()  # fmt: skip


def test_build_makes_an_sdist_and_a_compiled_wheel_that_installs_and_scores(
    tmp_path: Path,
) -> None:
    # `python -m build` builds the sdist, then the wheel from that sdist: both must work.
    run(fresh_venv(tmp_path / "builder") / "pip", "install", "--quiet", "build==1.6.1")
    source = fresh_clone(tmp_path / "source")
    run(tmp_path / "builder" / "bin" / "python", "-m", "build", "--outdir", tmp_path / "dist",
        source)  # fmt: skip
    (sdist,) = (tmp_path / "dist").glob("tensionwatch-*.tar.gz")
    (wheel,) = (tmp_path / "dist").glob("tensionwatch-*.whl")
    assert "linux" in wheel.name  # compiled: a platform wheel, not py3-none-any
    assert sdist.stat().st_size > 0

    user = fresh_venv(tmp_path / "user")
    run(user / "pip", "install", "--quiet", wheel)
    assert scorer_file(user).endswith(".so")  # the mypyc extension loads
    reading = scores(user)
    assert (reading["direction"], reading["dyad"]) == ("thaw", "JP-KR")


def test_pip_install_dot_without_a_c_compiler_installs_the_python_scorer(tmp_path: Path) -> None:
    user = fresh_venv(tmp_path / "user")
    # No compiler: every extension fails to build, and the .py modules are installed instead.
    source = fresh_clone(tmp_path / "source")
    run(user / "pip", "install", "--quiet", source, env={"CC": "false", "LDSHARED": "false"})
    assert scorer_file(user).endswith("scorer.py")
    reading = scores(user)
    assert (reading["direction"], reading["dyad"]) == ("thaw", "JP-KR")
