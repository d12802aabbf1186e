"""From evidence to a reading: score, direction, confidence, mixed, and the pair. Pure."""

from __future__ import annotations

import math
from typing import Final

from tensionwatch.models import Direction
from tensionwatch.scoring.pairs import across, dyad_of
from tensionwatch.scoring.reading import Item, PairItem, Reading, RelevanceItem, rounded

# math.tanh bound once: compiled code has no native tanh, and a module attribute is a dict probe
_TANH: Final = math.tanh
# Net evidence saturates like Goldstein's scale: 10*tanh(net/10) keeps one realised act (|w| 5-10)
# near its own Goldstein value and caps a pile of them at +/-10.
SATURATION: Final = 10.0
# |score| under this is neutral: weak evidence is no signal. 2.75 sits above a lone appeal in a
# headline (02 appeal +3.0 x topic 0.35 x headline 2.5 = 2.6: CAMEO and ConfliBERT disagree on its
# direction) and a hedged consultation, below one realised act (a summons 114: 2 x 2.5 = 5).
# Swept 0.5-4.0 on the eval sets (docs/scoring.md): flat between 2.6 and 2.85.
NEUTRAL_BAND: Final = 2.75
# Mixed: the weaker direction carries at least 15% of the stronger (a body of background conflict
# under a thaw headline, as in the JP-KR seed) and at least a Goldstein 2.0 act's worth after decay.
MIXED_SHARE: Final = 0.15
MIXED_FLOOR: Final = 2.0
# Confidence grows with independent evidence (each distinct phrase once, at its heaviest: a
# phrase repeated a hundred times is one piece): one realised act (|w| ~5) gives ~0.5, three
# ~0.85.
CONFIDENCE_SCALE: Final = 7.0


def pair_of(codes: list[str], context: list[str]) -> str | None:
    """The pair a sentence is about: its first two countries, or its one and the headline's."""
    if len(codes) >= 2:
        return dyad_of(codes[0], codes[1])
    others = [code for code in context if code not in codes]
    if codes and others:
        return dyad_of(codes[0], others[0])
    return None


def pairs_of(codes: list[str], split: int, context: list[str]) -> list[str]:
    """Every pair a sentence is about: each actor with each target when a list of actors acts
    on a target ("A, B and C cut ties with D": A-D, B-D, C-D); else its one pair, if any."""
    if 0 < split < len(codes) and len(codes) >= 3:
        pairs = across(codes[:split], codes[split:])
        if pairs:
            return pairs
    one = pair_of(codes, context)
    return [one] if one is not None else []


def _first_named_pair(mentions: list[list[str]]) -> str | None:
    """With no evidence naming a pair: the first sentence that names two countries."""
    for codes in mentions:
        if len(codes) >= 2:
            return dyad_of(codes[0], codes[1])
    return None


def _in_first_order(mentions: list[list[str]]) -> tuple[str, ...]:
    """The countries of every sentence, each once, in order of first mention."""
    if len(mentions) == 1:  # one sentence (most texts): its codes are each there once already
        return tuple(mentions[0])
    # a list, not a dict's keys: a text names a handful of countries, and tuple() of a list
    # is a copy where tuple() of a dict goes through the iterator protocol
    seen: list[str] = []
    for codes in mentions:
        for code in codes:
            if code not in seen:
                seen.append(code)
    return tuple(seen)


def _heaviest_first(totals: dict[str, float]) -> tuple[str, ...]:
    """Categories by total weight, ties in first-seen order (plain tuples sort without a key
    function, which compiled code would call back through the interpreter)."""
    if len(totals) < 2:  # most texts: one category, or none
        for name in totals:
            return (name,)
        return ()
    if len(totals) == 2:  # the next commonest: one comparison instead of a sort of tuples
        return _heavier_first(totals)
    ranked = [(-total, order, name) for order, (name, total) in enumerate(totals.items())]
    ranked.sort()
    return tuple(name for _, _, name in ranked)


def _heavier_first(totals: dict[str, float]) -> tuple[str, ...]:
    """Two categories by total weight, a tie in first-seen order."""
    first = second = ""
    weight = other = 0.0
    for name, total in totals.items():
        if first:
            second, other = name, total
        else:
            first, weight = name, total
    return (first, second) if weight >= other else (second, first)


class Act:
    """One evidence item as the verdict reads it: the act's own Goldstein-scale value after the
    rules (no headline or position weight), whether the act is grave (a lexicon flag, as
    realised) and from a `sense` entry, every pair of its sentence (the item's dyad first), and
    the item's weight, category and phrase (read here, not from the item's dict)."""

    def __init__(
        self,
        value: float,
        *,
        grave: bool,
        sense: bool,
        pairs: list[str],
        weight: float,
        category: str,
        phrase: str,
    ) -> None:
        self.value = value
        self.grave = grave
        self.sense = sense  # an act only beside a relations cue
        self.pairs = pairs
        self.weight = weight
        self.category = category
        self.phrase = phrase


class Acts:
    """Beside each evidence item, in its order, what the verdict reads of it."""

    def __init__(self) -> None:
        self.items: list[Act] = []
        # A relations cue vouches for the `sense` entries: only then may one be a grave act (a
        # "clash" in a headline with no troops, border or envoy never pages anyone).
        self.vouched = True

    def add(self, act: Act) -> None:
        self.items.append(act)

    def without_senses(self, evidence: list[Item]) -> list[Item]:
        """The evidence (and these acts) without the items of `sense` entries."""
        keep = [number for number, act in enumerate(self.items) if not act.sense]
        if len(keep) == len(self.items):
            return evidence
        self.items = [self.items[number] for number in keep]
        return [evidence[number] for number in keep]


def _calibrated(sign: float, acts: Acts, pair: str | None) -> tuple[float, bool]:
    """The score on the Goldstein scale of what happened: the strongest act in the winning
    direction (of `pair`'s items, or all), however often it was said; and whether it is grave."""
    top, is_grave = 0.0, False
    for act in acts.items:
        if act.value * sign > top and (pair is None or pair in act.pairs):
            top = act.value * sign
            is_grave = act.grave and (acts.vouched or not act.sense)
    return sign * min(top, SATURATION), is_grave


def _direction(net: float) -> Direction:
    strength = SATURATION * _TANH(net / SATURATION)
    if abs(strength) < NEUTRAL_BAND:
        return "neutral"
    return "thaw" if strength > 0 else "escalation"


class _PairTally:
    """One pair's evidence so far: its weight (for its share) and its signed net. An object's
    float fields stay unboxed in compiled code, where two dicts of floats box each sum."""

    def __init__(self) -> None:
        self.weight = 0.0
        self.net = 0.0


def _sole(pairs: dict[str, _PairTally]) -> str:
    """The one pair of a text about one pair; "" otherwise (a loop: next(iter(...)) is an
    interpreter call from compiled code)."""
    if len(pairs) == 1:
        for pair in pairs:
            return pair
    return ""


def _sum(values: dict[str, float]) -> float:
    """The builtin `sum` of the values, not a loop of additions: from three values on, Python
    3.12's sum of floats is compensated and a loop would read differently there. One value is
    its own sum, and two sum to `a + b` in every version (the compensation of one addition is
    its rounding error, which cannot move a correctly rounded result), so neither calls it."""
    if len(values) <= 2:
        total = 0.0
        for value in values.values():
            total += value
        return total
    return sum(list(values.values()))  # a list: the builtin walks it faster than a dict's view


def _pair_readings(acts: Acts, pairs: dict[str, _PairTally], whole: float) -> list[PairItem]:
    """Each pair's own reading from the evidence of its sentences, strongest first."""
    readings: list[PairItem] = []
    for pair, tally in pairs.items():
        weight, net = tally.weight, tally.net
        direction = _direction(net)
        score, heavy = 0.0, False
        if direction != "neutral":
            score, heavy = _calibrated(1.0 if net > 0 else -1.0, acts, pair)
        readings.append(
            {
                "dyad": pair,
                "direction": direction,
                "score": rounded(score),
                "share": rounded(weight / whole) if whole else 0.0,
                "grave": heavy,
            }
        )
    if len(readings) < 2:
        return readings
    # plain tuples sort without a key function, which compiled code would call back through
    # the interpreter; ties keep the order of first mention
    ranked = [(-reading["share"], order) for order, reading in enumerate(readings)]
    ranked.sort()
    return [readings[order] for _, order in ranked]


def decide(
    evidence: list[Item],
    acts: Acts,
    mentions: list[list[str]],
    relevance: RelevanceItem,
    lexicon_version: str,
) -> Reading:
    """The article's reading from its evidence and its countries, sentence by sentence."""
    thaw = against = 0.0
    pairs: dict[str, _PairTally] = {}  # evidence per pair, then weight per category, in first order
    totals: dict[str, float] = {}
    distinct: dict[str, float] = {}  # the heaviest weight of each phrase: repeats add nothing
    for act in acts.items:  # one pass, beside the evidence: the hot path of every text
        weight = act.weight
        size = abs(weight)
        if weight > 0:
            thaw += weight
        elif weight < 0:
            against += weight
        for dyad in act.pairs:
            tally = pairs.get(dyad)
            if tally is None:
                tally = pairs[dyad] = _PairTally()
            tally.weight += size
            tally.net += weight
        totals[act.category] = totals.get(act.category, 0.0) + size
        if distinct.get(act.phrase, 0.0) < size:
            distinct[act.phrase] = size
    escalation = -against
    net, total = thaw - escalation, thaw + escalation
    on_topic = relevance["on_topic"]
    direction = _direction(net) if on_topic else "neutral"
    score, grave = 0.0, False
    if direction != "neutral":
        score, grave = _calibrated(1.0 if net > 0 else -1.0, acts, None)
    weaker = min(thaw, escalation)
    confidence = 0.0
    if total:
        independent = _sum(distinct)
        confidence = (abs(net) / total) * (1 - math.exp(-independent / CONFIDENCE_SCALE))
    readings: list[PairItem] = []
    only = _sole(pairs)
    if on_topic and only and total == pairs[only].weight:
        # every piece of evidence is about the one pair (most texts): its reading is the text's
        readings = [
            {"dyad": only, "direction": direction, "score": rounded(score), "share": 1.0,
             "grave": grave}
        ]  # fmt: skip
    elif on_topic and pairs:
        readings = _pair_readings(acts, pairs, _sum({pair: t.weight for pair, t in pairs.items()}))
    reading: Reading = {
        "direction": direction,
        "score": rounded(score),
        "confidence": rounded(confidence) if on_topic else 0.0,
        "dyad": (readings[0]["dyad"] if readings else _first_named_pair(mentions))
        if on_topic
        else None,
        "pairs": readings,
        "relevance": relevance,
        "countries": _in_first_order(mentions),
        "categories": _heaviest_first(totals),
        "mixed": on_topic
        and weaker >= MIXED_FLOOR
        and weaker >= MIXED_SHARE * max(thaw, escalation),
        "grave": grave,
        "evidence": evidence,
        "lexicon_version": lexicon_version,
    }
    return reading
