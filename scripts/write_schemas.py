"""Write the published JSON Schemas (docs/schemas/<name>.json) from the payload models.

    python scripts/write_schemas.py          # `make schemas`

tests/integration/test_payload_contracts.py fails while a file differs from what the models
generate: a model changed without its published schema (or its version) changing too.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "functions"))

from tensionwatch.contracts import published_text, schema_names  # noqa: E402

SCHEMAS = ROOT / "docs" / "schemas"


def main() -> int:
    SCHEMAS.mkdir(parents=True, exist_ok=True)
    for name in schema_names():
        path = SCHEMAS / f"{name}.json"
        path.write_text(published_text(name), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
