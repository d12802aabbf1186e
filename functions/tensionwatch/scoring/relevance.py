"""Relevance: whether an article is about relations between states at all, before any direction.

A match between two national teams, a market move or a wildfire across a border names two
countries without saying anything about their relations. Domain vocabularies (`topics.tsv`) are
counted over the article's skeleton: cues of relations between states (offices, envoys, forces,
borders, instruments) against cues of sports, markets, weather and disease, culture, crime and
domestic politics. The heavier off-topic domain wins only when it outweighs the relations cues.
Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from tensionwatch.scoring.cues import WordNode, word_trie
from tensionwatch.scoring.patterns import PatternError, expand
from tensionwatch.scoring.reading import RelevanceItem

RELATIONS: Final = "relations"
# The headline names what the article is about: its cues count twice a body cue's weight.
HEADLINE_CUE_WEIGHT: Final = 2.0
# An off-topic domain needs at least one full cue's weight to decide anything. Domestic politics
# needs more: a state's own elections, parliament and opposition are events the event codebooks
# (CAMEO, PLOVER) code, and a word or two of them sits in much news between states too.
OFF_TOPIC_FLOOR: Final = 1.0
FLOORS: Final = {"domestic": 2.5}
# An unambiguous act between states in the lexicon's evidence ("expelled the ambassador", "sent
# relief supplies") weighs half a relations cue: it is such a cue, but one phrase of a wildfire
# or flood story ("kill", "evacuate") should not outweigh the story's own domain.
ACT_CUE_WEIGHT: Final = 0.5
# The reading shows the strongest few cues that decided, as evidence shows phrases.
CUES_SHOWN: Final = 5


class TopicError(ValueError):
    """A bad row of topics.tsv; the message names the line."""


class Topics:
    """The domain vocabularies: a word trie of cue phrases, each cue's topic, text and weight."""

    def __init__(self, trie: dict[str, WordNode], cues: list[tuple[str, str, float]]) -> None:
        self.trie = trie
        self.cues = cues  # (topic, phrase, weight), indexed by the trie's values


def build_topics(
    parsed: list[tuple[int, list[str]]],
    irregular: Mapping[str, tuple[str, ...]],
    dropped: frozenset[str],
) -> Topics:
    """Topics from topics.tsv's rows (line number, cells). Raises TopicError on a bad row."""
    phrases: dict[tuple[str, ...], int] = {}
    cues: list[tuple[str, str, float]] = []
    for number, (topic, weight, pattern) in parsed:
        try:
            value = float(weight)
            expanded = expand(pattern, irregular, dropped)
        except (ValueError, PatternError) as error:
            raise TopicError(f"topics.tsv:{number}: {error}") from error
        if not topic.isalpha() or not 0 < value <= 1:
            raise TopicError(f"topics.tsv:{number}: topic {topic!r} or weight {weight!r} invalid")
        for phrase in expanded:
            if tuple(phrase.split()) not in phrases:  # the first row to name a phrase keeps it
                phrases[tuple(phrase.split())] = len(cues)
                cues.append((topic, phrase, value))
    return Topics(word_trie(phrases), cues)


class CueTally:
    """The cues an article's fields named, each once, at its heaviest (headline or body), and
    the weight of the acts between states its lexicon evidence names."""

    def __init__(self) -> None:
        self.found: dict[int, float] = {}
        self.acts = 0.0

    def add_act(self, headline: bool) -> None:
        """One realised act of an unambiguous lexicon entry ("expel envoy", "send relief")."""
        self.acts += ACT_CUE_WEIGHT * (HEADLINE_CUE_WEIGHT if headline else 1.0)

    def add(self, topics: Topics, words: list[str], headline: bool) -> None:
        """Count the cues in one field's skeleton words: longest phrase first, no overlaps."""
        trie, found, count = topics.trie, self.found, len(words)
        scale = HEADLINE_CUE_WEIGHT if headline else 1.0
        at = 0
        while at < count:
            node = trie.get(words[at])
            best, end, step = -1, at, at
            while node is not None:
                if node.value >= 0:
                    best, end = node.value, step
                step += 1
                node = node.next.get(words[step]) if step < count else None
            if best >= 0:
                weight = topics.cues[best][2] * scale
                if found.get(best, 0.0) < weight:
                    found[best] = weight
                at = end
            at += 1


class Verdict:
    """The article's topic, whether words with a non-diplomatic sense may count, and whether a
    relations cue vouches for them (only then may such a word be a grave act)."""

    def __init__(self, relevance: RelevanceItem, senses_allowed: bool, vouched: bool) -> None:
        self.relevance = relevance
        self.senses_allowed = senses_allowed
        self.vouched = vouched


def judge(topics: Topics, tally: CueTally, names_a_country: bool) -> Verdict:
    """Relations unless an off-topic domain outweighs the relations cues.

    A `sense` entry of the lexicon ("battle", "rally", "clash") reads as an act between states
    beside a full relations cue's weight (its own act does not vouch for it), or where no other
    domain reaches its floor (which it did and lost to the relations cues and acts).
    """
    weights: dict[str, float] = {}
    plain: dict[str, float] = {}  # without the headline's factor, for the floor
    for index, weight in tally.found.items():
        topic, _, base = topics.cues[index]
        weights[topic] = weights.get(topic, 0.0) + weight
        plain[topic] = plain.get(topic, 0.0) + base
    cues = plain.pop(RELATIONS, 0.0)
    relations = weights.pop(RELATIONS, 0.0) + tally.acts
    off_topic, heaviest = "", 0.0
    for topic, weight in weights.items():
        if weight > heaviest:
            off_topic, heaviest = topic, weight
    reached = plain.get(off_topic, 0.0) >= FLOORS.get(off_topic, OFF_TOPIC_FLOOR)
    if reached and heaviest > relations:
        return Verdict(_relevance(topics, tally, off_topic, False), False, False)
    vouched = cues >= OFF_TOPIC_FLOOR
    return Verdict(_relevance(topics, tally, RELATIONS, True), vouched or not reached, vouched)


def _relevance(topics: Topics, tally: CueTally, topic: str, on_topic: bool) -> RelevanceItem:
    ranked = [
        (-weight, index) for index, weight in tally.found.items() if topics.cues[index][0] == topic
    ]
    ranked.sort()
    cues = tuple(topics.cues[index][1] for _, index in ranked[:CUES_SHOWN])
    return {"topic": topic, "on_topic": on_topic, "cues": cues}
