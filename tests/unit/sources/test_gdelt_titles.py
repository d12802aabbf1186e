"""GDELT's tokenised headlines joined back, so the countries they name are found."""

from __future__ import annotations

import pytest

from tensionwatch.sources.gdelt import despace


@pytest.mark.parametrize(
    ("spaced", "joined"),
    [
        ("U . S . imposes new sanctions on China , Russia",
         "U.S. imposes new sanctions on China, Russia"),
        ("U . S . -China talks resume in Geneva", "U.S.-China talks resume in Geneva"),
        ("Beijing ' s envoy summoned over U . K . remarks",
         "Beijing's envoy summoned over U.K. remarks"),
        ("India , Pakistan trade fire : army says", "India, Pakistan trade fire: army says"),
        ("Tariffs to cost $ 5 billion ( report )", "Tariffs to cost $5 billion (report)"),
        ("Japan and South Korea agree to mend ties", "Japan and South Korea agree to mend ties"),
        ("EU-U.S. deal: what's in it?", "EU-U.S. deal: what's in it?"),
    ],
)  # fmt: skip
def test_spaced_tokens_are_joined_and_ordinary_titles_pass(spaced: str, joined: str) -> None:
    assert despace(spaced) == joined
