"""Properties: any text scores without raising, within bounds, the same way every time."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tensionwatch.models import Score
from tensionwatch.scoring.reading import to_score
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


def _same_model(built: object, validated: object) -> None:
    """Equal as pydantic compares, and field by field: values, their types and order, and what
    pydantic keeps beside them."""
    assert built == validated and type(built) is type(validated)
    assert list(built.__dict__) == list(validated.__dict__)  # the JSON's key order
    for name, value in built.__dict__.items():
        theirs = validated.__dict__[name]
        assert type(value) is type(theirs)
        if isinstance(value, tuple):
            for mine, other in zip(value, theirs, strict=True):
                _same_model(mine, other) if hasattr(mine, "__dict__") else None
        elif hasattr(value, "__dict__"):
            _same_model(value, theirs)
    for kept in ("__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"):
        assert getattr(built, kept) == getattr(validated, kept)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXTS, body=TEXTS, home=st.sampled_from([None, "JP", "US"]))
def test_the_score_is_what_validating_its_reading_gives(
    title: str, body: str, home: str | None
) -> None:
    reading = default_scorer().read(title, body, home)
    _same_model(to_score(reading), Score.model_validate(reading))


def test_a_reading_of_several_pairs_builds_as_validation_would() -> None:
    reading = default_scorer().read(
        "Japan and South Korea cut ties as China imposes sanctions on Taiwan",
        "Seoul recalled its ambassador. Beijing did not lift the sanctions, officials said.",
    )
    assert len(reading["pairs"]) > 1 and len(reading["evidence"]) > 1
    _same_model(to_score(reading), Score.model_validate(reading))
