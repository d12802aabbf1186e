"""The JP-KR seed article reads as thaw, with the body's escalation kept as counter-evidence."""

from __future__ import annotations

from pathlib import Path

from tensionwatch.commands.score import split_text
from tensionwatch.scoring.scorer import default_scorer


def test_seed_reads_thaw_for_japan_south_korea_with_counter_evidence(shared_dir: Path) -> None:
    text = (shared_dir / "seeds" / "japan-south-korea-2019-10-24.txt").read_text(encoding="utf-8")
    score = default_scorer().score(*split_text(text))
    assert score.direction == "thaw"
    assert score.dyad == "JP-KR"
    headline = {e.phrase.lower() for e in score.evidence if e.field == "title" and e.weight > 0}
    assert {"mend ties", "ice-breaking talks"} <= headline
    against = " ".join(e.sentence.lower() for e in score.evidence if e.weight < 0)
    assert "boycott" in against
    assert "intelligence" in against and "pact" in against
    assert "restrictions" in against or "export" in against
    assert score.mixed
