"""Writes the bundled sample archive, functions/tensionwatch/local/data/sample_archive.jsonl.gz
(gzip, as any archive may be: the package ships in every Lambda, 110 KB rather than 780).

    python scripts/make_sample_archive.py

Run it after changing the demo's news or the volume generator; tests/unit/local fails until
the file matches the code again.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson

from tensionwatch.local.archive import sample_archive

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "functions" / "tensionwatch" / "local" / "data" / "sample_archive.jsonl.gz"


def main() -> None:
    lines = b"".join(orjson.dumps(line) + b"\n" for line in sample_archive())
    TARGET.write_bytes(gzip.compress(lines, mtime=0))  # mtime 0: the same bytes every time
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
