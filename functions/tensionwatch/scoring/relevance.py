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
from typing import TYPE_CHECKING, Final

from tensionwatch.scoring.cues import WordKind, WordNode, longest_from, word_trie
from tensionwatch.scoring.patterns import PatternError, expand

if TYPE_CHECKING:  # the lexicon imports this module: keep pydantic (models) out of its import
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
# The reading shows the first few cues that decided (headline first), as evidence shows phrases.
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


class TopicWeight:
    """One topic's cues so far: their weight (headline cues double) and their weight as the rows
    give it (for the floors). An object's float fields stay unboxed in compiled code."""

    def __init__(self) -> None:
        self.weight = 0.0
        self.plain = 0.0


class CueTally:
    """The cues an article's fields named, each once, at its heaviest (headline or body), and
    the weight of the acts between states its lexicon evidence names."""

    def __init__(self) -> None:
        self.found: dict[int, float] = {}
        self.topics: dict[str, TopicWeight] = {}  # in the order first named
        self.acts = 0.0

    def add_act(self, headline: bool) -> None:
        """One realised act of an unambiguous lexicon entry ("expel envoy", "send relief")."""
        self.acts += ACT_CUE_WEIGHT * (HEADLINE_CUE_WEIGHT if headline else 1.0)

    def add(
        self,
        topics: Topics,
        words: list[str],
        kinds: list[WordKind | None],
        starts: list[int],
        headline: bool,
    ) -> None:
        """Count the cues in one field's skeleton words, from the words that may start one (the
        skeleton found them in its one vocabulary probe per token; their kinds hold the trie
        nodes): longest phrase first, no overlaps."""
        scale = HEADLINE_CUE_WEIGHT if headline else 1.0
        covered = -1  # the last word of the previous cue
        for at in starts:
            kind = kinds[at]
            if at > covered and kind is not None and kind.cue is not None:
                best, end = longest_from(kind.cue, words, at)
                if best >= 0:
                    self._count(topics, best, scale)
                    covered = end

    def _count(self, topics: Topics, index: int, scale: float) -> None:
        topic, _, base = topics.cues[index]
        weight, before = base * scale, self.found.get(index)
        if before is None:
            self.found[index] = weight
            tally = self.topics.get(topic)
            if tally is None:
                tally = self.topics[topic] = TopicWeight()
            tally.weight += weight
            tally.plain += base
        elif before < weight:  # named in the body, then in the headline
            self.found[index] = weight
            self.topics[topic].weight += weight - before

    def weight(self, topic: str) -> float:
        """A topic's cue weight, headline cues double; 0 if none was named."""
        tally = self.topics.get(topic)
        return 0.0 if tally is None else tally.weight

    def plain(self, topic: str) -> float:
        """A topic's cue weight as the rows give it; 0 if none was named."""
        tally = self.topics.get(topic)
        return 0.0 if tally is None else tally.plain


class Verdict:
    """The article's topic, whether words with a non-diplomatic sense may count, and whether a
    relations cue vouches for them (only then may such a word be a grave act)."""

    def __init__(self, relevance: RelevanceItem, senses_allowed: bool, vouched: bool) -> None:
        self.relevance = relevance
        self.senses_allowed = senses_allowed
        self.vouched = vouched


def judge(topics: Topics, tally: CueTally, states_named: bool) -> Verdict:
    """Relations unless an off-topic domain outweighs the relations cues.

    A `sense` entry of the lexicon ("battle", "rally", "clash") reads as an act between states
    beside a full relations cue's weight (its own act does not vouch for it), or where no other
    domain reaches its floor (which it did and lost to the relations cues and acts) and a state
    is there at all: a country named (`states_named`) or an office of one ("Qantas and Emirates
    extend alliance" names two companies and no state).
    """
    if not tally.found:  # most texts of one sentence name no domain at all
        return Verdict({"topic": RELATIONS, "on_topic": True, "cues": ()}, states_named, False)
    cues = tally.plain(RELATIONS)
    relations = tally.weight(RELATIONS) + tally.acts
    off_topic, heaviest = "", 0.0
    for topic, weight in tally.topics.items():
        if weight.weight > heaviest and topic != RELATIONS:
            off_topic, heaviest = topic, weight.weight
    plain = tally.plain(off_topic)
    reached = off_topic != "" and plain >= FLOORS.get(off_topic, OFF_TOPIC_FLOOR)
    if reached and heaviest > relations:
        return Verdict(_relevance(topics, tally, off_topic, False), False, False)
    vouched = cues >= OFF_TOPIC_FLOOR
    spoken = off_topic != "" and plain >= OFF_TOPIC_FLOOR
    stateless = not states_named and cues == 0.0
    allowed = vouched or not (spoken or stateless)
    return Verdict(_relevance(topics, tally, RELATIONS, True), allowed, vouched)


def _relevance(topics: Topics, tally: CueTally, topic: str, on_topic: bool) -> RelevanceItem:
    """The topic with its first few cues, headline first."""
    shown: list[str] = []
    for index in tally.found:
        cue_topic, phrase, _ = topics.cues[index]
        if cue_topic == topic:
            shown.append(phrase)
            if len(shown) == CUES_SHOWN:
                break
    return {"topic": topic, "on_topic": on_topic, "cues": tuple(shown)}
