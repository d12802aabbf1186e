"""The article scorer: one compiled pass per sentence, rules per match, one `Score`. Pure."""

from __future__ import annotations

import math
from functools import cache
from typing import NamedTuple

from tensionwatch.models import Article, Evidence, Score, TextField
from tensionwatch.scoring import verdict
from tensionwatch.scoring.actors import CountryFinder, Mention, default_finder
from tensionwatch.scoring.lexicon import Lexicon, load_lexicon
from tensionwatch.scoring.rules import BOOSTER_SCALAR, DAMPENER_SCALAR, apply, clauses
from tensionwatch.scoring.text import CLAUSE_BREAK, normalise, sentences, tokens

# The headline is the editor's one-line summary of the event: it counts as much as 2.5 body
# sentences (news-values research weighs headline words ~2-3x; 2.5 keeps a body of routine
# background, as in the JP-KR seed, from out-voting the headline's news).
HEADLINE_WEIGHT = 2.5
# Inverted pyramid: the lead carries the news, later paragraphs background. Sentence i of the body
# counts DECAY_RATE**i, never less than DECAY_FLOOR (the 10th sentence still counts ~a third).
DECAY_RATE = 0.9
DECAY_FLOOR = 0.3


class _Sentence(NamedTuple):
    field: TextField
    text: str  # the whole field, so evidence offsets are field offsets
    lowered: str
    start: int
    end: int
    mentions: list[Mention]
    pair: str | None
    position: float


class Scorer:
    """Scores a headline and body against a lexicon and a country finder."""

    def __init__(self, lexicon: Lexicon, finder: CountryFinder) -> None:
        self.lexicon = lexicon
        self.finder = finder

    def score(self, title: str, body: str = "") -> Score:
        """The reading of one article. Never raises on any text."""
        evidence: list[Evidence] = []
        mentions: list[list[str]] = []
        headline: list[str] = []
        if title:
            self._score_field("title", title, evidence, mentions, headline)
            headline = mentions[0] if mentions else []
        if body:
            self._score_field("body", body, evidence, mentions, headline)
        return verdict.decide(evidence, mentions, self.lexicon.version)

    def _score_field(
        self,
        field: TextField,
        text: str,
        evidence: list[Evidence],
        mentions: list[list[str]],
        headline: list[str],
    ) -> None:
        found = self.finder.find(text)
        lowered = normalise(text)
        for sentence in sentences(text):
            end = sentence.start + len(sentence.text)
            inside = [m for m in found if sentence.start <= m.start < end]
            codes = list(dict.fromkeys(m.code for m in inside))
            mentions.append(codes)
            decay = max(DECAY_FLOOR, DECAY_RATE**sentence.index)
            position = HEADLINE_WEIGHT if field == "title" else decay
            pair = verdict.pair_of(codes, headline)
            span = _Sentence(field, text, lowered, sentence.start, end, inside, pair, position)
            self._match(span, evidence)

    def _skeleton(self, at: _Sentence) -> tuple[list[str], list[tuple[int, int]], list[float]]:
        lex = self.lexicon
        skip = [(m.start - at.start, m.end - at.start) for m in at.mentions]
        words: list[str] = []
        spans: list[tuple[int, int]] = []
        intensity: list[float] = []
        pending = 1.0
        for word, low, high in tokens(at.lowered[at.start : at.end], skip):
            if word in lex.fillers or word[0].isdigit():
                continue
            if word in lex.boosters or word in lex.dampeners:
                pending *= BOOSTER_SCALAR if word in lex.boosters else DAMPENER_SCALAR
                continue
            words.append(word)
            spans.append((at.start + low, at.start + high))
            intensity.append(pending)
            pending = 1.0
        return words, spans, intensity

    def _match(self, at: _Sentence, evidence: list[Evidence]) -> None:
        words, spans, intensity = self._skeleton(at)
        hits = _longest_hits(self.lexicon, words) if words else []
        if not hits:
            return
        view = clauses(words, self.lexicon, CLAUSE_BREAK)
        sentence_text = at.text[at.start : at.end].strip()
        results = [apply(self.lexicon, self.lexicon.entries[i], view, f, la) for f, la, i in hits]
        # A phrase that served as another's reverser or negator ("withdrawal from" the pact,
        # "refused" to talk) is part of that reading, not a second piece of evidence.
        consumed = {
            k for result in results for low, high in result.consumed for k in range(low, high + 1)
        }
        for (first, last, index), result in zip(hits, results, strict=True):
            if first in consumed:
                continue
            boost = math.prod(intensity[first : last + 1])
            if boost != 1.0:
                result.rules.append("boosted" if boost > 1 else "dampened")
            if at.field == "title":
                result.rules.append("headline")
            entry = self.lexicon.entries[index]
            low, high = spans[first][0], spans[last][1]
            evidence.append(
                Evidence.model_construct(
                    phrase=at.text[low:high],
                    field=at.field,
                    start=low,
                    end=high,
                    sentence=sentence_text,
                    category=entry.category,
                    base_weight=entry.weight,
                    weight=round(result.weight * boost * at.position, 3),
                    rules=tuple(result.rules),
                    dyad=at.pair,
                )
            )


def _longest_hits(lexicon: Lexicon, words: list[str]) -> list[tuple[int, int, int]]:
    """Matched phrases as (first word, last word, entry), longest first, never overlapping."""
    ends: dict[int, int] = {}
    cursor = 0
    for index, word in enumerate(words):
        cursor += len(word) + 1
        ends[cursor] = index
    found = []
    for end_char, (entry, size) in lexicon.automaton.iter(" " + " ".join(words) + " "):
        last = ends[end_char]
        found.append((last - size + 1, last, entry))
    found.sort(key=lambda hit: (hit[0] - hit[1], hit[0]))
    used: set[int] = set()
    hits = []
    for first, last, entry in found:
        span = range(first, last + 1)
        if not used.intersection(span):
            used.update(span)
            hits.append((first, last, entry))
    return sorted(hits)


@cache
def default_scorer() -> Scorer:
    """The packaged scorer, built once per process. Raises LexiconError if the data is bad."""
    return Scorer(load_lexicon(), default_finder())


def score_article(article: Article) -> Score:
    """The reading of a polled article: its title against its summary and body."""
    return default_scorer().score(article.title, article.text)
