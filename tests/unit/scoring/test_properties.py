"""Properties: any text scores without raising, within bounds, the same way every time."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tensionwatch.scoring.scorer import default_scorer

NEWSY = st.sampled_from(
    ["talks", "sanctions", "did not", "lift", "but", "Japan", "Seoul", "may", ",", ".", "\n", "US"]
)
TEXTS = st.one_of(
    st.text(max_size=400),
    st.lists(NEWSY, max_size=60).map(" ".join),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=100),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXTS, body=TEXTS)
def test_any_text_scores_within_bounds_and_deterministically(title: str, body: str) -> None:
    scorer = default_scorer()
    first = scorer.score(title, body)
    assert -10 <= first.score <= 10
    assert 0 <= first.confidence <= 1
    assert first == scorer.score(title, body)
    for item in first.evidence:
        text = title if item.field == "title" else body
        assert text[item.start : item.end] == item.phrase


def test_huge_input_scores() -> None:
    body = ("Russia shelled Kyiv, but talks may resume. " * 5000) + "\x00\x1b" * 1000
    score = default_scorer().score("x" * 100_000, body)
    assert -10 <= score.score <= 10


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXTS, body=TEXTS)
def test_json_fast_path_writes_exactly_what_the_model_would(title: str, body: str) -> None:
    scorer = default_scorer()
    written = scorer.score(title, body).model_dump_json().encode()
    assert scorer.score_json(title, body) == written
