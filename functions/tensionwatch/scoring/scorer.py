"""The article scorer: one compiled pass per field, rules per match, one `Score`. Pure.

The hot path stays in C: lower-casing, one tokenizing regex, a set filter and one Aho-Corasick
pass over the field's skeleton. Python runs per match, not per word, which is what makes the
scorer several times faster than VADER (see scripts/bench_throughput.py).
"""

from __future__ import annotations

from functools import cache
from typing import Final

from tensionwatch.models import Article, Score, TextField
from tensionwatch.scoring import verdict
from tensionwatch.scoring.actors import CountryFinder, Mention, acting, at_home, default_finder
from tensionwatch.scoring.cues import longest_from
from tensionwatch.scoring.lexicon import (
    NO_NONEVENT,
    NONEVENT,
    OCCASION,
    PROCEDURE,
    Entry,
    Lexicon,
    load_lexicon,
)
from tensionwatch.scoring.locate import (
    Locator,
    around,
    between_after,
    codes_by_sentence,
    longest_hits,
    sentence_at,
    target_splits,
)
from tensionwatch.scoring.outlets import home_of
from tensionwatch.scoring.reading import Item, Reading, rounded, to_json, to_score
from tensionwatch.scoring.relevance import CueTally, judge
from tensionwatch.scoring.rules import (
    BOOSTER_SCALAR,
    CONCESSIVE_SCALAR,
    CONTEXT_SCALAR,
    DAMPENER_SCALAR,
    Applied,
    apply,
    view,
)
from tensionwatch.scoring.text import Sentence, Skeleton, blank, normalise, sentences, skeleton

# The headline is the editor's one-line summary of the event: it counts as much as 2.5 body
# sentences (news-values research weighs headline words ~2-3x; 2.5 keeps a body of routine
# background, as in the JP-KR seed, from out-voting the headline's news).
HEADLINE_WEIGHT: Final = 2.5
# Inverted pyramid: the lead carries the news, later paragraphs background. Sentence i of the body
# counts DECAY_RATE**i, never less than DECAY_FLOOR (the 10th sentence still counts ~a third).
DECAY_RATE: Final = 0.9
DECAY_FLOOR: Final = 0.3
# A sentence reports one event: its first main-clause act. Every other phrase of a sentence that
# has one (topic nouns included) counts FOLLOW_SCALAR; the clause after "but" keeps its weight.
# Evidence outside the main clause cannot lead. Swept 0.15-0.55 on the eval sets: best 0.15-0.25.
FOLLOW_SCALAR: Final = 0.2
# CAMEO 057, sign a formal agreement: the first code of realised cooperation (words of goodwill,
# appeals, intent, consultation and praise come before it)
_SIGNED: Final = "057"
# CAMEO 04, consult: the first code of routine goodwill (visits, meetings, talks, praise); a
# statement, an appeal or an overture before it (01-03) is what someone chose to say that day
_ROUTINE: Final = "04"
# Words that open a clause of its own after an act, with the spaces around them ("; " too)
_CLAUSE_OPENERS: Final = (
    " as ", " but ", " while ", " after ", " amid ", " despite ", " when ", " because ",
    " though ", " although ", " even as ", "; ",
)  # fmt: skip
_MAIN_CLAUSE: Final = frozenset({"after-contrast", "concessive", "reported"})
# what a verb did to a pact's name: only then is the name news ("decides to end GSOMIA")
_ACTED_ON: Final = frozenset({"reversed", "double-reversed", "negated"})
# CAMEO's "express intent to cooperate" codes: they lead a sentence only until the act they
# commit to appears in it.
_INTENT_CODES: Final = frozenset({"030", "031", "032", "033", "036"})
# Acts states do together: with no target named, the countries before one are its parties.
JOINT_CATEGORIES: Final = frozenset({"CONSULT", "AGREE", "COOPERATE"})
# Acts two sides do to each other: with no target named, the countries before one are its
# parties ("India and Pakistan agree to a ceasefire"), though with several targets it is no
# gathering of them all ("calls on A, B and C to withdraw their staff").
RECIPROCAL_CATEGORIES: Final = frozenset({"RETREAT"})
# A grave act counts as grave only as it happened: not denied, hedged, reported, a side note or
# background ("the rouble plunges after new sanctions").
_REALISED: Final = frozenset(
    {
        "negated",
        "double-negated",
        "hedged",
        "reported",
        "claimed",
        "secondary",
        "context",
        "concessive",
        "before-contrast",
        "non-event",
    }
)
# A reading rests on an article's first part: a headline is a line, and past ~20,000 characters
# (about 3,000 words, a long feature) a body adds background, not the event; scoring it whole
# would let one pasted file dominate by repetition and cost time in proportion.
MAX_TITLE_CHARS: Final = 1_000
MAX_BODY_CHARS: Final = 20_000
# A sentence that reports a non-event (talks that ended without result, a visit postponed, a
# report denied, credentials presented) says relations did not move: what it names keeps a trace.
# CAMEO codes these as statements (01) or not at all; the headline sets label them neutral.
NONEVENT_SCALAR: Final = 0.1
# A headline's kicker is a short label before a colon ("Brexit: ...", "Trade war: ..."): up to
# four words, within the first 40 characters. What it names is the story's topic, not its act.
KICKER_WORDS: Final = 4
KICKER_CHARS: Final = 40


class _Field:
    def __init__(
        self,
        *,
        name: TextField,
        text: str,
        lowered: str,
        parts: list[Sentence],
        codes: list[list[str]],
        splits: list[int],
        mentions: list[Mention],
        nonevent: int,
        headline: list[str],
        intensified: bool,
    ) -> None:
        self.name = name
        self.text = text
        self.lowered = lowered  # lower-cased, country names blanked, same offsets as text
        self.parts = parts
        self.codes = codes  # countries per sentence
        self.splits = splits  # per sentence, how many of its countries act before a target
        self.nonevent = nonevent  # a non-event cue somewhere in the field: look per sentence
        self.mentions = mentions  # the countries named, with their spans
        self.headline = headline  # the headline's countries, to pair a one-country sentence
        self.intensified = intensified  # a booster or dampener among its tokens


class _Placed:
    def __init__(self, sentence: int, low: int, high: int, entry: Entry, result: Applied) -> None:
        self.sentence = sentence
        self.low = low  # the phrase's span in the field's text
        self.high = high
        self.entry = entry
        self.result = result


class _SentenceFacts:
    """What every phrase of one sentence shares: its text, the pairs it is about, the weight of
    its position, and whether it reports a non-event."""

    def __init__(self, text: str, pairs: list[str], position: float, nonevent: int) -> None:
        self.text = text
        self.pairs = pairs
        self.position = position
        self.nonevent = nonevent


class Scorer:
    """Scores a headline and body against a lexicon and a country finder."""

    def __init__(self, lexicon: Lexicon, finder: CountryFinder) -> None:
        self.lexicon = lexicon
        self.finder = finder

    def score(self, title: str, body: str = "", home: str | None = None) -> Score:
        """The reading of one article; `home` is its outlet's state, if known
        (outlets.home_of). Never raises on any text."""
        return to_score(self.read(title, body, home))

    def score_json(self, title: str, body: str = "", home: str | None = None) -> bytes:
        """`score(title, body, home).model_dump_json()` as UTF-8, without building the models.

        Raises orjson.JSONEncodeError (a TypeError) if a text holds a lone surrogate.
        """
        return to_json(self.read(title, body, home))

    def read(self, title: str, body: str = "", home: str | None = None) -> Reading:
        """The reading of one article as plain tuples. Never raises on any text."""
        evidence: list[Item] = []
        found = _Found()
        if title:
            self._score_field("title", title[:MAX_TITLE_CHARS], evidence, found, home)
            found.headline = found.mentions[0] if found.mentions else []
        if body:
            self._score_field("body", body[:MAX_BODY_CHARS], evidence, found, home)
        named = any(len(codes) > 0 for codes in found.mentions)  # a generator compiles natively
        judged = judge(self.lexicon.topics, found.cues, named)
        if not judged.senses_allowed:
            evidence = found.acts.without_senses(evidence)
        found.acts.vouched = judged.vouched
        return verdict.decide(
            evidence, found.acts, found.mentions, judged.relevance, self.lexicon.version
        )

    def _score_field(
        self,
        name: TextField,
        text: str,
        evidence: list[Item],
        found: _Found,
        home: str | None,
    ) -> None:
        lexicon = self.lexicon
        finder = self.finder
        mentioned = finder.objects_only(
            text, acting(text, finder.find(text), lexicon.private, lexicon.offices)
        )
        if home is not None:
            headline = found.headline if name == "body" else []
            mentioned = at_home(
                text,
                mentioned,
                home,
                finder.around,
                lexicon.offices,
                headline=headline,
                own_names=finder.own_names(home, mentioned),
            )
        parts = sentences(text)
        codes = codes_by_sentence(parts, mentioned)
        found.mentions.extend(codes)
        normalised = normalise(text)
        lowered = blank(normalised, mentioned)
        built = skeleton(lowered, self.lexicon.vocabulary)
        found.cues.add(self.lexicon.topics, built.words, built.kinds, built.starts, name == "title")
        hits = longest_hits(built.words, built.kinds, built.starts)
        idiom = self.lexicon.idiom
        if hits and any(hit[2] == idiom for hit in hits):
            hits = [hit for hit in hits if hit[2] != idiom]
        if hits:
            field = _Field(
                name=name,
                text=text,
                lowered=lowered,
                parts=parts,
                codes=codes,
                splits=target_splits(parts, mentioned, normalised),
                mentions=mentioned,
                nonevent=_names_a_nonevent(built),
                headline=found.headline,
                intensified=built.intensified,
            )
            placed, leads = self._place(field, built, hits)
            self._evidence(field, placed, leads, found, evidence)

    def _place(
        self, field: _Field, built: Skeleton, hits: list[tuple[int, int, int]]
    ) -> tuple[list[_Placed], list[int]]:
        """Apply the rules to each hit and find its span and sentence in the field's text; and
        per sentence, the first main-clause act: the event the sentence reports."""
        words = built.words
        skeleton = view(built, self.lexicon)
        entries = self.lexicon.entries
        results = [apply(self.lexicon, entries[i], skeleton, f, la) for f, la, i in hits]
        consumed = _consumed(results)
        locator = Locator(field.lowered, words)
        starts = [part.start for part in field.parts] if len(field.parts) > 1 else []
        placed: list[_Placed] = []
        leads = [-1] * len(field.parts)  # per sentence, its lead act's index in `placed`
        kicker = _kicker_end(field.text) if field.name == "title" else 0
        pacts = [mention for mention in field.mentions if mention.noun]
        labels: list[int] = []  # the phrases of the kicker, in `placed`
        for number, (first, last, index) in enumerate(hits):
            result = results[number]
            span = locator.find(first, last)  # every hit, in order: the locator walks forward
            if span is None or (consumed is not None and first in consumed):
                continue
            low, high = span
            entry = entries[index]
            if pacts:
                low, high = _whole_names(low, high, pacts)
                if _bare_pact(low, high, pacts, entry, result):
                    continue
            at = sentence_at(starts, low) if starts else 0
            if high <= kicker:
                labels.append(len(placed))
            elif not entry.context and not _any_of(result.rules, _MAIN_CLAUSE):
                lead = leads[at]
                if lead < 0 or _commits_to(placed[lead], entry, result.weight):
                    leads[at] = len(placed)
            placed.append(_Placed(at, low, high, entry, result))
        if labels and leads[0] >= 0:  # "Trade war: negotiators agree to meet": the act leads
            for number in labels:
                _as_topic(placed[number])
        return placed, leads

    def _evidence(
        self,
        field: _Field,
        placed: list[_Placed],
        leads: list[int],
        found: _Found,
        evidence: list[Item],
    ) -> None:
        """Evidence for each placed phrase, appended to `evidence`: lead act, intensity, headline
        and position applied."""
        shared: list[_SentenceFacts | None] = [None] * len(field.parts)
        # the outlet's state standing for an unnamed office: it names a pair, never alone a
        # grave one (a wire copy's "Defence Ministry says ... opened fire" may be another's)
        inferred = next((m.code for m in field.mentions if m.inferred), None)
        # the sentences that name anything outside a concessive clause, a topic noun included
        # (asked only where a subordinate clause might be all its sentence says: rare)
        told = (
            {one.sentence for one in placed if "concessive" not in one.result.rules}
            if any(one.result.subordinate for one in placed)
            else set()
        )
        title, text, name = field.name == "title", field.text, field.name
        for number, one in enumerate(placed):
            # one name per line: compiled code unpacks a tuple of attributes through an iterator
            at = one.sentence
            low = one.low
            high = one.high
            entry = one.entry
            result = one.result
            rules = result.rules
            lead = leads[at]
            if lead >= 0 and lead != number and "after-contrast" not in rules:
                result.weight *= FOLLOW_SCALAR
                rules.append("secondary")
            elif lead < 0 and result.subordinate and at not in told:
                # the clause is all the sentence reports ("he showed disdain when he summoned
                # the envoy"): nothing stands before it to make it background
                result.weight /= CONCESSIVE_SCALAR
                rules.remove("concessive")
            boost = _intensity(self.lexicon, field.lowered, low, high) if field.intensified else 1.0
            if boost != 1.0:
                rules.append("boosted" if boost > 1 else "dampened")
            sentence = shared[at]
            if sentence is None:
                sentence = shared[at] = self._sentence(field, at)
            pairs = sentence.pairs
            if len(field.codes[at]) >= 3:  # who acts on whom: "A, B and C cut ties with D"
                pairs = self._around(field, at, one) or pairs
            if sentence.nonevent and _made_nothing(sentence.nonevent, entry, result.weight):
                result.weight *= NONEVENT_SCALAR
                rules.append("non-event")
            if title:
                rules.append("headline")
            phrase = text[low:high]
            weight = rounded(result.weight * boost * sentence.position)
            evidence.append(
                _item(name, one, phrase, sentence=sentence.text, weight=weight, pairs=pairs)
            )
            found.acts.add(_act(one, phrase, weight, pairs, inferred))
            if not entry.sense and not entry.context:  # an act between states vouches for them
                found.cues.add_act(title)

    def _around(self, field: _Field, at: int, one: _Placed) -> list[str]:
        """The pairs of a phrase in a sentence of three or more countries: in its own clause
        ("agree to a ceasefire as the US steps in" is not the US's), or in the sentence when its
        clause names no party on the other side ("recall ambassadors after Indonesian
        executions")."""
        part = field.parts[at]
        end = part.start + len(part.text)
        category = one.entry.category
        words = self.finder.around
        named = between_after(field.mentions, field.lowered, one.high)
        if named:
            return named

        def until(stop: int) -> list[str]:
            return around(field.mentions, part.start, stop, one.low,
                          category in JOINT_CATEGORIES,
                          reciprocal=category in RECIPROCAL_CATEGORIES,
                          place=words.place, topic=words.topic)  # fmt: skip

        clause = _clause_end(field.lowered, one.high, end)
        found = until(clause)
        return found if found or clause == end else until(end)

    def _sentence(self, field: _Field, at: int) -> _SentenceFacts:
        """A sentence's text, the pair it is about, the weight of its position, and whether
        it reports a non-event ("talks ended without agreement", "visit postponed")."""
        part = field.parts[at]
        position = HEADLINE_WEIGHT if field.name == "title" else _decay(part.number)
        pairs = verdict.pairs_of(field.codes[at], field.splits[at], field.headline)
        nonevent = NO_NONEVENT
        if field.nonevent:  # rare: most fields name no non-event, and skip this second pass
            lowered = field.lowered[part.start : part.start + len(part.text)]
            built = skeleton(lowered, self.lexicon.vocabulary)
            nonevent = _names_a_nonevent(built)
        return _SentenceFacts(part.text.strip(), pairs, position, nonevent)


def _item(
    field: TextField, one: _Placed, phrase: str, *, sentence: str, weight: float, pairs: list[str]
) -> Item:
    """A placed phrase's piece of evidence, its rules applied."""
    return {
        "phrase": phrase,
        "field": field,
        "start": one.low,
        "end": one.high,
        "sentence": sentence,
        "category": one.entry.category,
        "base_weight": one.entry.weight,
        "weight": weight,
        "rules": tuple(one.result.rules),
        "dyad": pairs[0] if pairs else None,
    }


def _act(
    one: _Placed, phrase: str, weight: float, pairs: list[str], inferred: str | None
) -> verdict.Act:
    """What the verdict reads of a piece of evidence, beside it; an act whose every pair rests
    on an `inferred` state is not grave."""
    entry = one.entry
    grave = entry.grave and not _any_of(one.result.rules, _REALISED)
    if grave and inferred is not None and all(inferred in pair for pair in pairs):
        grave = False
    return verdict.Act(
        one.result.weight,  # the act on the Goldstein scale: "sweeping sanctions" are still -8
        grave=grave,
        sense=entry.sense,
        pairs=pairs,
        weight=weight,
        category=entry.category,
        phrase=phrase,
    )


def _consumed(results: list[Applied]) -> set[int] | None:
    """The words of phrases that served as another's reverser ("withdrawal from" the pact): part
    of that reading, not a second piece of evidence. None for most texts: no set to build."""
    words: set[int] | None = None
    for result in results:
        if result.consumed is not None:
            low, high = result.consumed
            if words is None:
                words = set()
            words.update(range(low, high + 1))
    return words


def _clause_end(lowered: str, high: int, end: int) -> int:
    """Where the clause of a phrase ending at `high` ends, before `end`: at the first word after
    it that opens a clause of its own ("agree to a ceasefire as the US steps in": the US is no
    party to the ceasefire). Commas do not end it: "cut ties with Qatar, Iran and Turkey"."""
    for opener in _CLAUSE_OPENERS:
        found = lowered.find(opener, high, end)
        if found >= 0:
            end = found
    return end


def _as_topic(one: _Placed) -> None:
    """A kicker's phrase beside the headline's own act names the story's topic: a topic noun."""
    if not one.entry.context:
        one.result.weight *= CONTEXT_SCALAR
        one.result.rules.append("context")


def _kicker_end(title: str) -> int:
    """Where a headline's kicker ends ("Trade war: ...", "US-China talks: ..."): a label of
    at most KICKER_WORDS words before a colon; 0 if the headline has none."""
    colon = title.find(":", 0, KICKER_CHARS)
    if colon <= 0 or title[:colon].count(" ") >= KICKER_WORDS:
        return 0
    return colon


def _any_of(rules: list[str], names: frozenset[str]) -> bool:
    """Whether any of the rules is one of `names` (not `names.isdisjoint(rules)`: compiled code
    calls a frozenset's method through the interpreter)."""
    return any(rule in names for rule in rules)


def _commits_to(lead: _Placed, act: Entry, weight: float) -> bool:
    """An intent to cooperate ("agree to", "pledge to": CAMEO 030-036) reports the cooperative
    act it commits to: "agree to a ceasefire" is a ceasefire (0871, +9), not an intent (030,
    +4); "agreed to tariff concessions" stays an agreement."""
    intent = lead.result.weight
    return lead.entry.cameo in _INTENT_CODES and not act.context and weight > intent > 0


class _Found:
    """What the fields of one article yield as they are read, for the verdict."""

    def __init__(self) -> None:
        self.acts = verdict.Acts()
        self.mentions: list[list[str]] = []  # countries per sentence, title first
        self.headline: list[str] = []  # the headline's countries
        self.cues = CueTally()


def _names_a_nonevent(built: Skeleton) -> int:
    """The non-event cues in the skeleton, as flags (NONEVENT, OCCASION, PROCEDURE), from the
    words that may start one; NO_NONEVENT if none."""
    found = NO_NONEVENT
    if not built.nonevents:  # most texts: no word that starts one
        return found
    for at in built.starts:
        kind = built.kinds[at]
        start = kind.nonevent if kind is not None else None
        if start is not None:
            value = longest_from(start, built.words, at)[0]
            if value > 0:
                found |= value
            if found & NONEVENT:
                break
    return found


def _made_nothing(flags: int, entry: Entry, weight: float) -> bool:
    """Whether a sentence's non-event cues (`flags`) make a phrase of `entry` nothing: all of a
    non-event; an occasion's routine goodwill (CAMEO 04 up to a signed deal, 057: visits,
    meetings, praise) and its topic nouns; a procedure's goodwill (below 057: agreeing to
    consult, consulting). An overture, a complaint, a measure or a signed deal stays news."""
    if flags & NONEVENT:
        return True
    if flags & OCCASION and (entry.context or (weight > 0 and _ROUTINE <= entry.cameo < _SIGNED)):
        return True
    return bool(flags & PROCEDURE) and weight > 0 and entry.cameo < _SIGNED


# DECAY_RATE**i reaches DECAY_FLOOR at i = 12 (0.9**12 = 0.28); a table saves a power per item.
_DECAY: Final = [max(DECAY_FLOOR, DECAY_RATE**index) for index in range(13)]


def _decay(index: int) -> float:
    return _DECAY[min(index, 12)]


def _intensity(lexicon: Lexicon, lowered: str, low: int, high: int) -> float:
    """Boosters and dampeners inside the phrase's span or just before it ("sharply criticised")."""
    before = lowered[max(0, low - 20) : low].split()
    factor = 1.0
    for word in (before[-1:] if before else []) + lowered[low:high].split():
        if word in lexicon.boosters:
            factor *= BOOSTER_SCALAR
        elif word in lexicon.dampeners:
            factor *= DAMPENER_SCALAR
    return factor


@cache
def default_scorer() -> Scorer:
    """The packaged scorer, built once per process. Raises LexiconError if the data is bad."""
    return Scorer(load_lexicon(), default_finder())


def _whole_names(low: int, high: int, pacts: list[Mention]) -> tuple[int, int]:
    """A phrase's span over the whole of each pact name its blanked noun stands in ("GSOMIA",
    not the "GSOM" its noun "pact" covers)."""
    for pact in pacts:
        if pact.start < high < pact.end:
            high = pact.end
        if pact.start < low < pact.end:
            low = pact.start
    return low, high


def _bare_pact(low: int, high: int, pacts: list[Mention], entry: Entry, result: Applied) -> bool:
    """Whether a phrase is a pact's name alone as a topic noun: a book on the INF Treaty, the
    Oslo Accords at 30. It names the pair but moves nothing until a verb acts on the pact."""
    return (
        entry.context
        and not _any_of(result.rules, _ACTED_ON)
        and any(pact.start == low and pact.end == high for pact in pacts)
    )


def score_article(article: Article) -> Score:
    """The reading of a polled article: its title against its summary and body, offices named
    without a state read as its outlet's."""
    return default_scorer().score(article.title, article.text, home_of(article.url))
