"""Compiles the scorer's hot path with mypyc; everything else in pyproject.toml.

The scorer is strictly typed pure Python; mypyc turns its modules into C extensions that run the
same code ~1.5-2x faster (docs/performance.md). The .py files ship beside them, so an interpreter
that cannot load an extension (another platform, a failed build) runs the same modules uncompiled:
building with no C compiler, with TENSIONWATCH_PURE_PYTHON=1, or where mypyc itself cannot
compile them installs the pure-Python package (`pip install .` always installs).
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup

# Pure modules on the path from a JSON line to its reading; nothing here touches AWS or HTTP.
COMPILED = [
    *sorted(str(path) for path in Path("functions/tensionwatch/scoring").glob("*.py")),
    "functions/tensionwatch/commands/score.py",
]


def compiled_extensions() -> list[object]:
    if os.environ.get("TENSIONWATCH_PURE_PYTHON") == "1":
        return []
    try:
        from mypyc.build import mypycify

        extensions = mypycify(COMPILED, opt_level="3")
    except (Exception, SystemExit) as error:  # mypyc type-checks first and exits on an error
        print(f"tensionwatch: not compiling the scorer ({error!r}); installing it as Python")
        return []
    for extension in extensions:
        extension.optional = True  # a failed C build leaves the pure-Python modules in charge
    return list(extensions)


setup(ext_modules=compiled_extensions())
