"""The tokenizer's fast path and the phrase matcher, held to their specifications."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tensionwatch.scoring.cues import GAP, MAX_GAP_WORDS, WordKind
from tensionwatch.scoring.lexicon import load_lexicon
from tensionwatch.scoring.locate import _resolve_overlaps, longest_hits
from tensionwatch.scoring.scorer import default_scorer
from tensionwatch.scoring.text import TOKEN_PATTERN, normalise, skeleton

PIECES = st.sampled_from(
    ["talks", "u.s.", "1,000", "don't", "-", "\u2014", "\u2013", "--", "(", ")", ",", ".", "!",
     "e.g.", "x,y", "\u00e9", "\u0130", "\n", " ", "\t", "'", '"', "3.5%", "a-b", "end.", "(bbc)"]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(PIECES, max_size=40).map("".join),
    st.lists(PIECES, max_size=40).map(" ".join),
)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.sampled_from(["", "very", "the", "talks", "1,000"]))
def test_skeleton_is_the_token_grammars_matches_minus_dropped_words(text: str, extra: str) -> None:
    lexicon = default_scorer().lexicon
    intensifiers = lexicon.boosters | lexicon.dampeners
    drop = lexicon.fillers | intensifiers | {extra}
    vocabulary = dict(lexicon.vocabulary)
    vocabulary[extra] = WordKind(dropped=True, intensifier=False, structure=False, starts=None)
    tokens = TOKEN_PATTERN.findall(normalise(text))
    expected = [token for token in tokens if token not in drop and not token[0].isdigit()]
    built = skeleton(normalise(text), vocabulary)
    assert built.words == expected
    assert built.intensified == (not intensifiers.isdisjoint(tokens))
    starting = lexicon.trie.keys() | lexicon.topics.trie.keys() | lexicon.nonevents.keys()
    assert built.starts == [at for at, word in enumerate(expected) if word in starting]
    assert built.kinds == [lexicon.vocabulary.get(word) for word in expected]


def _reads_as(phrase: tuple[str, ...], words: list[str]) -> bool:
    """Whether `words` are the phrase, each gap standing for 0..MAX_GAP_WORDS words that are not
    punctuation nor a gap's stop (the specification of `after_gap`, spelt out)."""
    if not phrase:
        return not words
    if phrase[0] != GAP:
        return bool(words) and words[0] == phrase[0] and _reads_as(phrase[1:], words[1:])
    return any(
        _reads_as(phrase[1:], words[size:])
        for size in range(min(MAX_GAP_WORDS, len(words)) + 1)
        if all(word not in ",.;:!?" and not _stops(word) for word in words[:size])
    )


def _stops(word: str) -> bool:
    kind = load_lexicon().vocabulary.get(word)
    return kind is not None and (kind.gap_stop or kind.clause_break)


def _entry_of(words: list[str]) -> int:
    lexicon = load_lexicon()
    if tuple(words) in lexicon.phrases:
        return lexicon.phrases[tuple(words)]
    gapped = [phrase for phrase in lexicon.phrases if GAP in phrase and _reads_as(phrase, words)]
    return lexicon.phrases[gapped[0]] if gapped else -1


def test_a_gap_reads_past_a_few_words_of_a_clause_and_no_more() -> None:
    lexicon = load_lexicon()

    def hits(text: str) -> list[list[str]]:
        words = text.split()
        kinds = [lexicon.vocabulary.get(word) for word in words]
        starts = [at for at, word in enumerate(words) if word in lexicon.trie]
        return [words[first : last + 1] for first, last, _ in longest_hits(words, kinds, starts)]

    assert ["settle", "dispute"] in hits("they settle dispute")
    assert ["settle", "long", "running", "border", "dispute"] in hits(
        "settle long running border dispute"
    )
    assert not any(len(hit) > 1 for hit in hits("settle for now , the dispute"))  # a comma
    assert not any(len(hit) > 1 for hit in hits("settle a b c d dispute"))  # four words
    assert not any(len(hit) > 1 for hit in hits("settle in for prolonged dispute"))  # "in"
    assert not any(len(hit) > 1 for hit in hits("resolve to raise issue"))  # "to"


def _phrase_words() -> list[str]:
    lexicon = load_lexicon()
    return sorted({word for phrase in lexicon.phrases for word in phrase})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_phrase_words(), "the", ",", "."]), max_size=30))
def test_hits_are_lexicon_phrases_that_never_overlap_and_miss_none(words: list[str]) -> None:
    lexicon = load_lexicon()
    kinds = [lexicon.vocabulary.get(word) for word in words]
    starts = [at for at, word in enumerate(words) if word in lexicon.trie]
    hits = longest_hits(words, kinds, starts)
    covered: set[int] = set()
    for first, last, entry in hits:
        assert _entry_of(words[first : last + 1]) == entry
        assert covered.isdisjoint(range(first, last + 1))
        covered.update(range(first, last + 1))
    # maximal: a one-word phrase is never left unmatched outside every hit
    for at, word in enumerate(words):
        if (word,) in lexicon.phrases:
            assert at in covered
    assert hits == sorted(hits)


def _overlapping_phrases() -> st.SearchStrategy[list[str]]:
    """Lexicon phrases run together, each overlapping the one before it when one can: its first
    words are the last words of the other ("peace talks" + "talks with" = "peace talks with"),
    with words left out at random."""
    lexicon = load_lexicon()
    phrases = sorted(lexicon.phrases)
    longer: dict[tuple[str, ...], list[tuple[str, ...]]] = {}  # prefix -> phrases beyond it
    for phrase in phrases:
        for size in range(1, len(phrase)):
            longer.setdefault(phrase[:size], []).append(phrase)

    def run(seed: int) -> list[str]:
        rng = random.Random(seed)  # plain pseudo-random: overlaps need a broad spread
        words = list(rng.choice(phrases))
        for _ in range(rng.randint(0, 6)):
            tails = [at for at in range(len(words)) if tuple(words[at:]) in longer]
            if tails and rng.random() < 0.8:
                at = rng.choice(tails)
                words += rng.choice(longer[tuple(words[at:])])[len(words) - at :]
            else:
                words += rng.choice(phrases)
        return [word for word in words if rng.random() > 0.1]

    return st.integers(min_value=0, max_value=2**32).map(run)


@settings(max_examples=500, deadline=None)
@given(_overlapping_phrases())
def test_longest_at_each_start_reads_as_the_full_longest_first_resolution(
    words: list[str],
) -> None:
    lexicon = load_lexicon()
    kinds = [lexicon.vocabulary.get(word) for word in words]
    starts = [at for at, word in enumerate(words) if word in lexicon.trie]
    assert longest_hits(words, kinds, starts) == _resolve_overlaps(words, kinds, starts)
