"""Import the project's own modules from source even where a compiled extension sits beside them.

`make compile` builds the scorer in place with mypyc; Lambda runs the same modules from source
(sam build packages functions/ for another platform, so the extensions never load there). Tests
run once on each (TENSIONWATCH_SOURCE_ONLY=1) and the cold-start probe measures what Lambda loads.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec, PathFinder
from importlib.util import spec_from_file_location
from pathlib import Path
from types import ModuleType

PACKAGE = "tensionwatch"


class SourceFirst:
    """A meta path finder: for the package's modules, the .py file beside any extension."""

    @staticmethod
    def find_spec(
        name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name.split(".", 1)[0] != PACKAGE:
            return None
        spec = PathFinder.find_spec(name, path)
        origin = spec.origin if spec is not None else None
        if origin is None or not origin.endswith(tuple(EXTENSION_SUFFIXES)):
            return spec
        source = Path(origin).with_name(Path(origin).name.split(".", 1)[0] + ".py")
        locations = [str(source.parent)] if source.stem == "__init__" else None
        return spec_from_file_location(name, source, submodule_search_locations=locations)


def prelude(root: Path) -> str:
    """Python for the top of a fresh interpreter's `-c` program: the finder, installed first."""
    return (
        f"import sys; sys.path.insert(0, {str(root)!r}); "
        "from tests.source_only import install; install()\n"
    )


def install() -> None:
    """Put the finder first; call before the package is imported."""
    if not any(isinstance(finder, SourceFirst) for finder in sys.meta_path):
        sys.meta_path.insert(0, SourceFirst())
