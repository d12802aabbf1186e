"""From evidence to a reading: score, direction, confidence, mixed, and the pair. Pure."""

from __future__ import annotations

import math
from typing import Final

from tensionwatch.models import Direction
from tensionwatch.scoring.pairs import dyad_of
from tensionwatch.scoring.reading import Item, Reading, rounded

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
# Confidence grows with total evidence: one realised act (|w| ~5) gives ~0.5, three ~0.85.
CONFIDENCE_SCALE: Final = 7.0


def pair_of(codes: list[str], context: list[str]) -> str | None:
    """The pair a sentence is about: its first two countries, or its one and the headline's."""
    if len(codes) >= 2:
        return dyad_of(codes[0], codes[1])
    others = [code for code in context if code not in codes]
    if codes and others:
        return dyad_of(codes[0], others[0])
    return None


def _dyad(pairs: dict[str, float], mentions: list[list[str]]) -> str | None:
    if pairs:
        best, weight = "", -1.0
        for pair, total in pairs.items():  # ties: the first pair named
            if total > weight:
                best, weight = pair, total
        return best
    for codes in mentions:  # no evidence names a pair: the first sentence that names two does
        if len(codes) >= 2:
            return dyad_of(codes[0], codes[1])
    return None


def _in_first_order(mentions: list[list[str]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for codes in mentions:
        for code in codes:
            seen[code] = None
    return tuple(seen)


def _heaviest_first(totals: dict[str, float]) -> tuple[str, ...]:
    """Categories by total weight, ties in first-seen order (plain tuples sort without a key
    function, which compiled code would call back through the interpreter)."""
    if len(totals) < 2:
        return tuple(totals)
    ranked = [(-total, order, name) for order, (name, total) in enumerate(totals.items())]
    ranked.sort()
    return tuple(name for _, _, name in ranked)


def decide(evidence: list[Item], mentions: list[list[str]], lexicon_version: str) -> Reading:
    """The article's reading from its evidence and its countries, sentence by sentence."""
    thaw = against = 0.0
    pairs: dict[str, float] = {}  # evidence weight per pair, then per category, in first order
    totals: dict[str, float] = {}
    for item in evidence:  # one pass: the hot path of every text
        weight = item["weight"]
        if weight > 0:
            thaw += weight
        elif weight < 0:
            against += weight
        dyad, category = item["dyad"], item["category"]
        if dyad is not None:
            pairs[dyad] = pairs.get(dyad, 0.0) + abs(weight)
        totals[category] = totals.get(category, 0.0) + abs(weight)
    escalation = -against
    net, total = thaw - escalation, thaw + escalation
    score = rounded(SATURATION * math.tanh(net / SATURATION))
    direction: Direction = "neutral"
    if abs(score) >= NEUTRAL_BAND:
        direction = "thaw" if score > 0 else "escalation"
    weaker = min(thaw, escalation)
    confidence = (abs(net) / total) * (1 - math.exp(-total / CONFIDENCE_SCALE)) if total else 0.0
    reading: Reading = {
        "direction": direction,
        "score": score,
        "confidence": rounded(confidence),
        "dyad": _dyad(pairs, mentions),
        "countries": _in_first_order(mentions),
        "categories": _heaviest_first(totals),
        "mixed": weaker >= MIXED_FLOOR and weaker >= MIXED_SHARE * max(thaw, escalation),
        "evidence": evidence,
        "lexicon_version": lexicon_version,
    }
    return reading
