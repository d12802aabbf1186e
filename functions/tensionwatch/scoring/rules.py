"""The rules that turn a matched phrase's base weight into its contribution. Pure.

Every constant says where its number comes from. VADER (Hutto & Gilbert 2014) is the model for the
window rules; its constants were fitted on human ratings of sentiment, ours start from the same
values and were checked on the labelled sets in ../shared/eval (see docs/scoring.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from tensionwatch.scoring.lexicon import Cues, Entry, Lexicon

# VADER looks three tokens back for a negator ("did not ever agree").
NEGATION_WINDOW = 3
# VADER's N_SCALAR: a negated positive phrase flips and keeps 74% of its strength. Refusing a
# cooperative act is itself a rejection (CAMEO 12, Goldstein -4.0 against +3.0..+5.0 for the act).
NEGATE_COOPERATION = -0.74
# Denying a hostile act ("did not attack") is a statement (CAMEO 01, Goldstein ~0), not a thaw:
# keep a trace of the opposite sign so a denial in the body stays inside the neutral band
# (9 x 0.05 = 0.45 < NEUTRAL_BAND); the eval sets read the same at -0.15, -0.05 and 0.
NEGATE_CONFLICT = -0.05
# "threatened to", "may", "plans to": intent counts less than the act. GDELT's table prices a threat
# at about 0.6-0.8 of its act (138 threaten military force -7.0 vs 190 use force -10.0;
# 1312 threaten sanctions -5.8 vs 163 embargo -8.0): 0.6, the lower end.
HEDGE_WINDOW = 4
HEDGE_SCALAR = 0.6
# "lift sanctions", "suspend talks": a reversed act flips. GDELT scores 081 ease sanctions +5.0
# against 163 embargo -8.0 and 172 sanctions -5.0: undoing keeps ~0.6-1.0 of the act; 0.8.
REVERSAL_WINDOW_BEFORE = 3
REVERSAL_WINDOW_AFTER = 3
REVERSAL_SCALAR = 0.8
# VADER's B_INCR / B_DECR is +/-0.293 on a ~2-4 valence: about +/-30% of a phrase (multiplied here).
BOOSTER_SCALAR = 1.3
DAMPENER_SCALAR = 0.7
# VADER's "but" rule: words before it count 0.5, words after 1.5.
CONTRAST_BEFORE = 0.5
CONTRAST_AFTER = 1.5
# "despite the boycott, ...": the conceded clause is background; VADER's 0.5 for the weaker side.
CONCESSIVE_SCALAR = 0.5
# "demanded that X end curbs", "accused X of violating": what a speech act asks for or alleges is
# its content, not an act; CAMEO codes the speech act itself (10 DEMAND, 112 ACCUSE). The content
# keeps 0.3 so it still breaks ties. The window spans a short complement clause.
SPEECH_WINDOW = 6
SPEECH_SCALAR = 0.3
# Topic nouns ("war", "militants", "aid", "tensions") name what a story is about, not what happened
# in it; CAMEO codes the verb. A `context` entry counts a third of its code's Goldstein value.
CONTEXT_SCALAR = 0.35


@dataclass(frozen=True, slots=True)
class Clauses:
    """A sentence's skeleton words with, per word, the id of the clause it belongs to."""

    words: list[str]
    clause: list[int]
    contrasts: tuple[int, ...]
    concessions: tuple[int, ...]


def clauses(words: list[str], lexicon: Lexicon, breaks: frozenset[str]) -> Clauses:
    """Clause ids for each word: punctuation, "but" and "despite" start a new clause."""
    contrast, concessive = lexicon.cues["contrast"], lexicon.cues["concessive"]
    ids, contrasts, concessions, current = [], [], [], 0
    for index, word in enumerate(words):
        if contrast.ending_at(words, index):
            contrasts.append(index)
            current += 1
        elif concessive.ending_at(words, index):
            concessions.append(index)
            current += 1
        elif word in breaks:
            current += 1
        ids.append(current)
    return Clauses(words, ids, tuple(contrasts), tuple(concessions))


def _cue_before(cues: Cues, text: Clauses, head: int, window: int) -> tuple[int, int] | None:
    """The nearest cue ending inside the window before `head`, in the same clause: (start, end)."""
    for index in range(head - 1, max(head - window, 0) - 1, -1):
        if text.clause[index] != text.clause[head]:
            return None
        size = cues.ending_at(text.words, index)
        if size:
            return index - size + 1, index
    return None


def _cue_after(cues: Cues, text: Clauses, last: int) -> bool:
    stop = min(last + REVERSAL_WINDOW_AFTER, len(text.words) - 1)
    return any(
        text.clause[index] == text.clause[last] and cues.ending_at(text.words, index)
        for index in range(last + 1, stop + 1)
    )


def _negation(
    lexicon: Lexicon, text: Clauses, head: int, sign: float
) -> tuple[float, str, tuple[int, int]] | None:
    negator = _cue_before(lexicon.cues["negator"], text, head, NEGATION_WINDOW)
    if negator is None:
        return None
    if _cue_before(lexicon.cues["negator"], text, negator[0], 2) is not None:
        # "did not rule out": a possibility, kept as a hedge
        return HEDGE_SCALAR, "double-negated", negator
    return (NEGATE_COOPERATION if sign > 0 else NEGATE_CONFLICT), "negated", negator


def _contrast(text: Clauses, first: int) -> tuple[float, str] | None:
    if any(index < first for index in text.contrasts):
        return CONTRAST_AFTER, "after-contrast"
    if any(
        index < first and text.clause[index] == text.clause[first] for index in text.concessions
    ):
        return CONCESSIVE_SCALAR, "concessive"
    if text.contrasts:
        return CONTRAST_BEFORE, "before-contrast"
    return None


@dataclass(slots=True)
class Applied:
    """A phrase's signed weight, the rules applied, and the cue words the rules consumed."""

    weight: float
    rules: list[str]
    consumed: list[tuple[int, int]]


def _scope(lexicon: Lexicon, text: Clauses, head: int, applied: Applied) -> None:
    negation = _negation(lexicon, text, head, applied.weight)
    if negation is not None:
        applied.weight *= negation[0]
        applied.rules.append(negation[1])
        applied.consumed.append(negation[2])
    elif _cue_before(lexicon.cues["speech"], text, head, SPEECH_WINDOW) is not None:
        applied.weight *= SPEECH_SCALAR
        applied.rules.append("reported")
    elif _cue_before(lexicon.cues["hedge"], text, head, HEDGE_WINDOW) is not None:
        applied.weight *= HEDGE_SCALAR
        applied.rules.append("hedged")


def apply(lexicon: Lexicon, entry: Entry, text: Clauses, first: int, last: int) -> Applied:
    """The signed weight of a phrase at words[first..last], with the rules that made it."""
    applied = Applied(entry.weight * (CONTEXT_SCALAR if entry.context else 1.0), [], [])
    if entry.context:
        applied.rules.append("context")
    head = first
    if entry.reversible:
        reverser = _cue_before(lexicon.cues["reverser"], text, first, REVERSAL_WINDOW_BEFORE)
        if reverser is not None or _cue_after(lexicon.cues["reverser"], text, last):
            applied.weight *= -REVERSAL_SCALAR
            applied.rules.append("reversed")
            if reverser is not None:
                head = reverser[0]
                applied.consumed.append(reverser)
    _scope(lexicon, text, head, applied)
    contrast = _contrast(text, first)
    if contrast is not None:
        applied.weight *= contrast[0]
        applied.rules.append(contrast[1])
    return applied
