"""The bundled sample archive is exactly what its code makes (scripts/make_sample_archive.py
rewrites it), and it tells the demo's story among the generated volume."""

from __future__ import annotations

import gzip

import orjson

from tensionwatch.backtest.inputs import sample_path
from tensionwatch.local.archive import sample_archive


def test_the_bundled_sample_is_what_the_code_makes() -> None:
    made = b"".join(orjson.dumps(line) + b"\n" for line in sample_archive())
    assert gzip.decompress(sample_path().read_bytes()) == made, "run scripts/make_sample_archive.py"


def test_the_sample_holds_the_demo_news_and_volume_in_publication_order() -> None:
    lines = sample_archive()
    times = [line["published_at"] for line in lines]
    assert times == sorted(times)
    assert sum("Greece" in line["title"] for line in lines) >= 20
    assert len(lines) > 3_000
