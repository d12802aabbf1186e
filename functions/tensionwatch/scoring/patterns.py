"""The lexicon's pattern language, expanded into plain token sequences. Pure.

A pattern is space-separated tokens:
  `~verb`   every inflection of the verb (impose, imposes, imposed, imposing);
  `noun+`   the noun and its plural (tariff, tariffs);
  `a/b`     alternative tokens (each may carry `~` or `+`; a leading `~` inflects them all:
            `~criticize/criticise` is every form of both spellings);
  `[x]`     an optional token (alternatives allowed inside);
  `...`     a gap: up to three words of any kind within the clause, or none ("~settle ...
            dispute+" reads "settle the long border dispute"); never first or last;
  `p | q`   alternative whole phrases.
Hyphens split tokens, as the tokenizer does: "ice-breaking" matches "ice breaking" too.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Final

from tensionwatch.scoring.cues import GAP

_SIBILANT_ENDINGS: Final = ("s", "x", "z", "ch", "sh", "o")
_VOWELS: Final = frozenset("aeiou")


class PatternError(ValueError):
    """A lexicon pattern that cannot be expanded (empty, or uses a word the skeleton drops)."""


def _consonant_y(word: str) -> bool:
    return len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS


def plural(noun: str) -> str:
    """The regular English plural."""
    if _consonant_y(noun):
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(_SIBILANT_ENDINGS) else "s")


def inflect(verb: str, irregular: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Base, third person, past, participle and -ing forms; `irregular` overrides the rules."""
    if verb in irregular:
        return (verb, *irregular[verb])
    third = plural(verb)
    if verb.endswith("e"):
        past, ing = verb + "d", (verb if verb.endswith("ee") else verb[:-1]) + "ing"
    elif _consonant_y(verb):
        past, ing = verb[:-1] + "ied", verb + "ing"
    else:
        past, ing = verb + "ed", verb + "ing"
    return (verb, third, past, ing)


def _forms(token: str, irregular: Mapping[str, tuple[str, ...]]) -> list[str]:
    forms: list[str] = []
    verbs = token.startswith("~")
    for alternative in token.split("/"):
        if verbs or alternative.startswith("~"):
            forms.extend(inflect(alternative.lstrip("~"), irregular))
        elif alternative.endswith("+"):
            forms.extend((alternative[:-1], plural(alternative[:-1])))
        else:
            forms.append(alternative)
    return forms


def expand(
    pattern: str, irregular: Mapping[str, tuple[str, ...]], dropped: frozenset[str]
) -> list[str]:
    """Every concrete phrase a pattern matches, as space-joined lower-case tokens.

    Raises PatternError if the pattern is empty or a token is one the skeleton drops.
    """
    phrases: list[str] = []
    for alternative in pattern.lower().split("|"):
        phrases.extend(_expand_one(pattern, alternative, irregular, dropped))
    return list(dict.fromkeys(phrases))


def _expand_one(
    pattern: str,
    alternative: str,
    irregular: Mapping[str, tuple[str, ...]],
    dropped: frozenset[str],
) -> list[str]:
    slots: list[list[str]] = []
    for raw in alternative.split():
        optional = raw.startswith("[") and raw.endswith("]")
        forms = _forms(raw.strip("[]"), irregular)
        slots.append(([""] if optional else []) + [f.replace("-", " ") for f in forms])
    phrases: list[str] = []
    for combo in itertools.product(*slots):
        phrase = " ".join(part for part in combo if part)
        if not phrase:
            raise PatternError(f"pattern {pattern!r} can match nothing")
        if clash := dropped.intersection(phrase.split()):
            raise PatternError(f"pattern {pattern!r} uses {sorted(clash)}, dropped from text")
        if GAP in (phrase[:3], phrase[-3:]) or f"{GAP} {GAP}" in phrase:
            raise PatternError(f"pattern {pattern!r} has a gap at an end or two in a row")
        phrases.append(phrase)
    return phrases
