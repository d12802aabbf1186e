"""The rules that turn a matched phrase's base weight into its contribution. Pure.

Every constant says where its number comes from. VADER (Hutto & Gilbert 2014) is the model for the
window rules; its constants were fitted on human ratings of sentiment, ours start from the same
values and were checked on the labelled sets in ../shared/eval (see docs/scoring.md).
"""

from __future__ import annotations

from typing import Final

from tensionwatch.scoring.cues import Cues, WordKind
from tensionwatch.scoring.lexicon import Entry, Lexicon
from tensionwatch.scoring.ordered import bisect_left, bisect_right
from tensionwatch.scoring.text import Skeleton

# VADER looks three tokens back for a negator ("did not ever agree").
NEGATION_WINDOW: Final = 3
# VADER's N_SCALAR: a negated positive phrase flips and keeps 74% of its strength. Refusing a
# cooperative act is itself a rejection (CAMEO 12, Goldstein -4.0 against +3.0..+5.0 for the act).
NEGATE_COOPERATION: Final = -0.74
# Denying a hostile act ("did not attack") is a statement (CAMEO 01, Goldstein ~0), not a thaw:
# keep a trace of the opposite sign so a denial in the body stays inside the neutral band
# (9 x 0.05 = 0.45 < NEUTRAL_BAND); the eval sets read the same at -0.15, -0.05 and 0.
NEGATE_CONFLICT: Final = -0.05
# "threatened to", "may", "plans to": intent counts less than the act. GDELT's table prices a threat
# at about 0.6-0.8 of its act (138 threaten military force -7.0 vs 190 use force -10.0;
# 1312 threaten sanctions -5.8 vs 163 embargo -8.0): 0.6, the lower end.
HEDGE_WINDOW: Final = 4
HEDGE_SCALAR: Final = 0.6
# "lift sanctions", "suspend talks": a reversed act flips. GDELT scores 081 ease sanctions +5.0
# against 163 embargo -8.0 and 172 sanctions -5.0: undoing keeps ~0.6-1.0 of the act; 0.8.
REVERSAL_WINDOW_BEFORE: Final = 4
REVERSAL_WINDOW_AFTER: Final = 3
REVERSAL_SCALAR: Final = 0.8
# VADER's B_INCR / B_DECR is +/-0.293 on a ~2-4 valence: about +/-30% of a phrase (multiplied here).
BOOSTER_SCALAR: Final = 1.3
DAMPENER_SCALAR: Final = 0.7
# VADER's "but" rule: words before it count 0.5, words after 1.5.
CONTRAST_BEFORE: Final = 0.5
CONTRAST_AFTER: Final = 1.5
# "despite the boycott, ...": the conceded clause is background; VADER's 0.5 for the weaker side.
CONCESSIVE_SCALAR: Final = 0.5
# "demanded that X end curbs", "accused X of violating": what a speech act asks for or alleges is
# its content, not an act; CAMEO codes the speech act itself (10 DEMAND, 112 ACCUSE). The content
# keeps 0.3 so it still breaks ties. The window spans a short complement clause.
SPEECH_WINDOW: Final = 6
SPEECH_SCALAR: Final = 0.3
# Topic nouns ("war", "militants", "aid", "tensions") name what a story is about, not what happened
# in it; CAMEO codes the verb. A `context` entry counts a third of its code's Goldstein value.
CONTEXT_SCALAR: Final = 0.35
# "claimed responsibility for the attack": CAMEO codes the claim (015, Goldstein 0.0), a statement
# about who did it, not the act again. Like a denial it keeps only a trace (|NEGATE_CONFLICT|, of
# the act's own sign); it reaches as far as speech ("claimed responsibility on Monday for attacks").
CLAIM_SCALAR: Final = 0.05
_SCOPE_WINDOWS: Final = {
    "negator": NEGATION_WINDOW,
    "speech": SPEECH_WINDOW,
    "hedge": HEDGE_WINDOW,
    "claim": SPEECH_WINDOW,
}
_SCOPE_REACH: Final = max(_SCOPE_WINDOWS.values())
# "exempt soybeans and pork from the tariffs": an exempting verb undoes the measure after its
# "from" across the goods it spares, which a list makes longer than the reversal window.
EXEMPTION_WINDOW: Final = 8
# ... and its "from" stands a few words before the measure ("from its latest round of tariffs")
_FROM_REACH: Final = 4
# A reversible phrase looks for its reversers in the same walk back as for its scope cues.
_REVERSIBLE_WINDOWS: Final = _SCOPE_WINDOWS | {
    "reverser": REVERSAL_WINDOW_BEFORE,
    "breach": REVERSAL_WINDOW_BEFORE,
    "exempt": EXEMPTION_WINDOW,
}
_REVERSIBLE_REACH: Final = max(_REVERSIBLE_WINDOWS.values())


# What the contrast rules see at a structure marker, as flags, worked out once per text.
_SENTENCE_ENDS: Final = 1
_CONTRAST_ENDS: Final = 2  # a contrast cue ends here ("but", "however")
_CONCESSIVE_ENDS: Final = 4  # a concessive cue ends here ("despite", "even as")
_CLAUSE_ENDS: Final = 8  # clause punctuation


# What a reverser can undo besides an act: a decision to reverse one ("suspend the decision to
# withdraw from the pact" keeps the pact).
_DECISIONS: Final = frozenset(
    {"decision", "decisions", "plan", "plans", "move", "bid", "order", "threat", "threats"}
)
# A reversal named as a noun ends in its preposition ("termination of", "withdrawal from", "end
# to"): only such a reversal can itself be undone.
_NOMINAL_ENDS: Final = frozenset({"of", "from", "on", "in", "to"})
# The words of a concessive cue that open a clause of its own, which can carry the news when the
# main clause before it names no act ("... when it summoned the envoy"); the rest grant a
# background ("despite", "amid", "while") or name a time or a topic ("since", "during", "over").
_SUBORDINATORS: Final = frozenset(
    {"when", "after", "following", "because", "before", "until", "where", "which", "who"}
)
# What can reverse a phrase, in the order asked: "undo" cues, then (cooperation only) breaches.
# A list: compiled code walks a list by index, a tuple of unknown length through an iterator.
_REVERSER_KINDS: Final = ["reverser", "breach"]


class View:
    """A text's skeleton words, what the lexicon knows of each (None: nothing), where the
    structure words are and what the contrast rules see at each."""

    def __init__(
        self, words: list[str], kinds: list[WordKind | None], markers: list[int], marks: list[int]
    ) -> None:
        self.words = words
        self.kinds = kinds
        # punctuation, contrast and concessive words; empty without the latter
        self.markers = markers
        self.marks = marks  # beside each marker, its flags

    def ends_clause(self, index: int) -> bool:
        """Whether the word at `index` is clause punctuation or a one-word contrast cue."""
        kind = self.kinds[index]
        return kind is not None and kind.clause_break


def view(built: Skeleton, lexicon: Lexicon) -> View:
    """The skeleton as the rules read it: clause ends and cue ends come from each word's kind,
    and each structure marker is classified once for all the text's phrases."""
    if not built.structured:  # no contrast or concessive word: no contrast rule to look for
        return View(built.words, built.kinds, [], [])
    contrast, concessive = lexicon.cues["contrast"], lexicon.cues["concessive"]
    words, kinds = built.words, built.kinds
    marks = [_mark(words, kinds[index], index, contrast, concessive) for index in built.markers]
    return View(words, kinds, built.markers, marks)


def _mark(
    words: list[str], kind: WordKind | None, index: int, contrast: Cues, concessive: Cues
) -> int:
    if kind is None:  # a marker is always a vocabulary word
        return 0
    flags = _SENTENCE_ENDS if kind.sentence_end else 0
    if _ends(kind, contrast) and contrast.ending_at(words, index):
        flags |= _CONTRAST_ENDS
    if _ends(kind, concessive) and concessive.ending_at(words, index):
        flags |= _CONCESSIVE_ENDS
    if kind.punctuation:
        flags |= _CLAUSE_ENDS
    return flags


def _ends(kind: WordKind, cues: Cues) -> bool:
    """Whether some cue of `cues` ends in the word (by identity: `in` would compare the cue
    tries of unequal kinds through the dataclass's __eq__)."""
    return any(end is cues for end in kind.ends)


def _cue_before(cues: Cues, text: View, head: int, window: int) -> tuple[int, int] | None:
    """The nearest cue ending inside the window before `head`, in the same clause: (start, end)."""
    words, lasts = text.words, cues.backwards
    for index in range(head - 1, max(head - window, 0) - 1, -1):
        if words[index] in lasts:
            size = cues.ending_at(words, index)
            if size:
                return index - size + 1, index
        if text.ends_clause(index):
            return None
    return None


def _cue_after(cues: Cues, text: View, last: int, requests: Cues) -> bool:
    words, lasts = text.words, cues.backwards
    for index in range(last + 1, min(last + REVERSAL_WINDOW_AFTER, len(words) - 1) + 1):
        if text.ends_clause(index):
            return False
        # "issued a protest demanding an end to the drills": what a request asks is its content
        if words[index] in requests.backwards and requests.ending_at(words, index):
            return False
        size = cues.ending_at(words, index) if words[index] in lasts else 0
        # "sanctions were lifted" reverses; "talks to ease tensions" is a purpose, not a reversal
        if size and words[index - size] != "to":
            return True
    return False


def _nearest(
    text: View, head: int, windows: dict[str, int] = _SCOPE_WINDOWS, reach: int = _SCOPE_REACH
) -> dict[str, tuple[int, int]]:
    """The nearest cue of each kind in `windows` (the largest of which is `reach`) before
    `head`, each within its own window, found in one walk back through the clause: kind ->
    (start, end)."""
    words, kinds, found = text.words, text.kinds, {}
    for index in range(head - 1, max(head - reach, 0) - 1, -1):
        word = kinds[index]
        if word is None:  # most words end no cue and no clause
            continue
        for cues in word.ends:
            kind = cues.kind
            if head - index <= windows.get(kind, 0) and kind not in found:
                size = cues.ending_at(words, index)
                if size:
                    found[kind] = (index - size + 1, index)
        if word.clause_break:
            break
    return found


def _contrast(text: View, first: int, last: int) -> tuple[float, str, bool] | None:
    """The contrast rule on a phrase, if one applies: its scalar, its rule and whether it is a
    subordinate clause after its main clause (`_after_main_clause`)."""
    markers, marks, in_clause = text.markers, text.marks, True
    if not markers:
        return None
    # walk the marker list by position: slicing it would copy it once per phrase
    for at in range(bisect_left(markers, first) - 1, -1, -1):
        mark = marks[at]
        if mark & _SENTENCE_ENDS:
            break
        if mark & _CONTRAST_ENDS:
            return CONTRAST_AFTER, "after-contrast", False
        if in_clause and mark & _CONCESSIVE_ENDS:
            return CONCESSIVE_SCALAR, "concessive", _after_main_clause(text, markers[at])
        in_clause = in_clause and not mark & _CLAUSE_ENDS
    for at in range(bisect_right(markers, last), len(markers)):
        mark = marks[at]
        if mark & _SENTENCE_ENDS:
            break
        if mark & _CONTRAST_ENDS:
            return CONTRAST_BEFORE, "before-contrast", False
    return None


def _after_main_clause(text: View, marker: int) -> bool:
    """Whether the concessive cue at `marker` opens a subordinate clause after its main clause,
    which may be what the sentence reports ("showed contempt when it summoned the envoy"); not
    one that grants a background ("despite", "amid", "since") or opens the sentence."""
    if marker == 0 or text.words[marker] not in _SUBORDINATORS:
        return False
    before = text.kinds[marker - 1]
    return before is None or not before.clause_break


class Applied:
    """A phrase's signed weight, the rules applied, and the cue words the rules consumed (a
    reverser before it: "withdrawal from" the pact), if any."""

    def __init__(self, weight: float, rules: list[str]) -> None:
        self.weight = weight
        self.rules = rules
        self.consumed: tuple[int, int] | None = None
        self.subordinate = False  # concessive in a clause after its main clause ("... when")


def _scope(
    lexicon: Lexicon, text: View, found: dict[str, tuple[int, int]], applied: Applied
) -> None:
    if not found:  # most phrases: no cue before them
        return
    if "negator" in found:
        start = found["negator"][0]
        if _cue_before(lexicon.cues["negator"], text, start, 2) is not None:
            applied.weight *= HEDGE_SCALAR  # "did not rule out": a possibility, kept as a hedge
            applied.rules.append("double-negated")
        else:
            applied.weight *= NEGATE_COOPERATION if applied.weight > 0 else NEGATE_CONFLICT
            applied.rules.append("negated")
    elif "claim" in found:
        applied.weight *= CLAIM_SCALAR
        applied.rules.append("claimed")
    elif "speech" in found:
        applied.weight *= SPEECH_SCALAR
        applied.rules.append("reported")
    elif "hedge" in found:
        applied.weight *= HEDGE_SCALAR
        applied.rules.append("hedged")


def _reverse(
    lexicon: Lexicon,
    text: View,
    span: tuple[int, int],
    before: dict[str, tuple[int, int]],
    applied: Applied,
) -> int:
    """Flip a reversed phrase; return where its head now starts. "Undo" cues flip either way
    ("lift sanctions", "suspend talks"); "breach" cues only flip cooperation ("violate a truce").
    `before` holds the nearest cues before the phrase, found by `_nearest`.
    """
    first, last = span
    for kind in _REVERSER_KINDS:
        if kind == "breach" and applied.weight <= 0:
            break
        cue = before.get(kind)
        if cue is None:  # "sanctions were lifted": a reverser after the phrase
            if _cue_after(lexicon.cues[kind], text, last, lexicon.cues["request"]):
                _flip(applied)
                return first
            continue
        undone = _undoing(lexicon, text, cue) if kind == "reverser" else None
        if undone is not None:
            # "suspend the termination of the pact": undoing the undoing keeps the act
            applied.rules.append("double-reversed")
            applied.consumed = (undone, cue[1])
            return undone
        _flip(applied)
        applied.consumed = cue
        return cue[0]
    exempting = before.get("exempt")
    if exempting is not None and "from" in text.words[max(first - _FROM_REACH, 0) : first]:
        _flip(applied)
        return exempting[0]
    return first


def _flip(applied: Applied) -> None:
    applied.weight *= -REVERSAL_SCALAR
    applied.rules.append("reversed")


def _undoing(lexicon: Lexicon, text: View, reverser: tuple[int, int]) -> int | None:
    """Where a reverser that undoes the `reverser` cue starts, if one does: one right before a
    reversal named as a noun ("suspends the termination of the pact") or before a decision to
    reverse ("suspends its decision to withdraw from"). A participle before the act's noun
    describes its state and is undone by nothing ("suspends stalled talks" stops them)."""
    words = text.words
    head, last = reverser
    if head >= 2 and words[head - 1] == "to" and words[head - 2] in _DECISIONS:
        head -= 2
    elif words[last] not in _NOMINAL_ENDS:
        return None
    undone = _cue_before(lexicon.cues["reverser"], text, head, 2)
    if undone is None or "to" in words[undone[1] + 1 : head]:
        return None
    return undone[0]


def apply(lexicon: Lexicon, entry: Entry, text: View, first: int, last: int) -> Applied:
    """The signed weight of a phrase at words[first..last], with the rules that made it."""
    applied = Applied(entry.weight * (CONTEXT_SCALAR if entry.context else 1.0), [])
    if entry.context:
        applied.rules.append("context")
    if entry.reversible:
        found = _nearest(text, first, _REVERSIBLE_WINDOWS, _REVERSIBLE_REACH)
        head = _reverse(lexicon, text, (first, last), found, applied)
        if head != first:  # "lifted sanctions": the scope cues are looked for before "lifted"
            found = _nearest(text, head)
    else:
        found = _nearest(text, first)
    _scope(lexicon, text, found, applied)
    contrast = _contrast(text, first, last)
    if contrast is not None:
        applied.weight *= contrast[0]
        applied.rules.append(contrast[1])
        applied.subordinate = contrast[2]  # background unless all its sentence reports
    return applied
