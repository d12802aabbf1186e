"""Country detection: names, short forms, demonyms, capitals and metonyms to ISO 3166-1 alpha-2.

Names come from pycountry's ISO 3166-1 database plus `data/countries.tsv`. The database file is
read directly (found with importlib.util.find_spec, which does not run pycountry's __init__):
importing pycountry itself costs ~60 ms, a third of the scorer's whole cold-start budget. Pure.
"""

from __future__ import annotations

import importlib.util
import json
import re
from functools import cache
from pathlib import Path
from typing import Final

import ahocorasick_rs

from tensionwatch.scoring.lexicon import read_data, rows
from tensionwatch.scoring.ordered import bisect_left
from tensionwatch.scoring.patterns import plural

BLOCKED: Final = "-"
# joins the two codes of a place two states contest: "IN+PK	Line of Control|LoC"
_SHARED: Final = "+"
# the common noun a pact's own name leaves when it is blanked, for the lexicon's pact phrases
PACT_NOUN: Final = "pact"
_COORDINATORS: Final = frozenset({"and", "or", "&"})
_POSSESSIVES: Final = frozenset({"'s ", "\u2019s "})
# what joins two named together: "Lee, Abe agree", "Lee and Abe meet"
_BESIDE: Final = frozenset({", ", " and ", " & "})
# what may stand between a state and its office: "Japanese PM", "Japan's PM"
_ADJOINING: Final = frozenset({"", " "}) | _POSSESSIVES
_PUNCTUATION: Final = ",.:;!?\"'()\u2018\u2019\u201c\u201d"
# A hyphen or an en dash between two names makes a compound: "US-China talks".
_JOINERS: Final = "-\u2013"
_WORDS: Final = re.compile(r"[A-Za-z]+")
# a wire's tag before its headline: "(LEAD)", "(2nd LD)", "UPDATE 1-"
_WIRE_TAG: Final = re.compile(r"^\s*(?:\([^)]{1,12}\)|UPDATE \d+-)\s*")
_SURROGATES_REPLACED: Final = dict.fromkeys(range(0xD800, 0xE000), 0xFFFD)
# Capitalised words that start sentences without being first names: "In Jordan", "The Chad ...".
_STARTERS: Final = frozenset(
    {
        "The",
        "In",
        "On",
        "At",
        "From",
        "To",
        "And",
        "But",
        "As",
        "For",
        "With",
        "By",
        "Of",
        "After",
        "Before",
        "When",
        "While",
        "If",
        "Both",
        "Neighbouring",
        "Neighboring",
        "Across",
        "Inside",
        "Near",
        "Meanwhile",
        "Today",
        "Yesterday",
        "Officials",
        "Troops",
    }
)


class Mention:
    """A country named in a text, with its character span."""

    def __init__(self, code: str, start: int, end: int) -> None:
        self.code = code
        self.start = start
        self.end = end
        self.before = ""  # the word right before it, lowercased: "in" Bangkok, "amid" China
        # hyphened to the mention before it: "Japan-South Korea" names the pair of what follows
        self.joined = False
        self.noun = ""  # what a pact's own name leaves in the text blanked: "pact"
        self.inferred = False  # the outlet's own state, standing for an unnamed office


class Surroundings:
    """Words around a name that change what it names (data/mentions.tsv)."""

    def __init__(self, kinds: dict[str, frozenset[str]]) -> None:
        self.place = kinds.get("place", frozenset())
        self.topic = kinds.get("topic", frozenset())
        self.shared_before = kinds.get("shared_before", frozenset())
        self.shared_text = kinds.get("shared_text", frozenset())
        self.home = kinds.get("home", frozenset())
        self.portfolio = kinds.get("portfolio", frozenset())
        self.home_after = kinds.get("home_after", frozenset())
        self.role = kinds.get("role", frozenset())


def read_surroundings(text: str) -> Surroundings:
    return Surroundings(
        {kind: frozenset(words.split("|")) for _, (kind, words) in rows("mentions.tsv", text, 2)}
    )


def _pycountry_names() -> list[tuple[str, str]]:
    spec = importlib.util.find_spec("pycountry")
    if spec is None or spec.origin is None:
        return []
    database = Path(spec.origin).parent / "databases" / "iso3166-1.json"
    countries = json.loads(database.read_text(encoding="utf-8"))["3166-1"]
    return [
        (country[key], country["alpha_2"])
        for country in countries
        for key in ("name", "common_name", "official_name")
        if key in country and "," not in country[key]
    ]


class OwnNames:
    """countries.tsv's names: aliases (name, code, ambiguous), `&` surnames, `=` pacts (lower
    case) and `$` companies."""

    def __init__(self, text: str) -> None:
        self.aliases: list[tuple[str, str, bool]] = []
        beside: set[str] = set()
        pacts: set[str] = set()
        companies: set[str] = set()
        for _, (code, names) in rows("countries.tsv", text, 2):
            for raw in names.split("|"):
                ambiguous, name = raw[:1] in "?&", raw.lstrip("?&=$")
                if raw.startswith("&"):
                    beside.add(name)
                if raw.startswith("="):
                    pacts.add(name.lower())
                if raw.startswith("$"):
                    companies.add(name)
                forms = (name[:-1], plural(name[:-1])) if name.endswith("+") else (name,)
                self.aliases.extend((form, code, ambiguous) for form in forms)
        self.beside = frozenset(beside)
        self.pacts = frozenset(pacts)
        self.companies = frozenset(companies)


def _word_before(text: str, start: int) -> str:
    """The word right before `start`, lowercased and without punctuation; "" at the start."""
    end = start
    while end and (text[end - 1].isspace() or text[end - 1] in _PUNCTUATION):
        end -= 1
    begin = end
    while begin and not (text[begin - 1].isspace() or text[begin - 1] in _PUNCTUATION):
        begin -= 1
    return text[begin:end].lower()


def _words_of(text: str) -> set[str]:
    return {word.strip(_PUNCTUATION).lower() for word in text.split()}


def _title_cased(text: str) -> bool:
    """Whether nearly every word of four letters or more starts with a capital, as in a
    title-case headline (which leaves "of", "in" and "and" small)."""
    words = [word for word in text.split() if len(word) >= 4]
    capitals = sum(1 for word in words if word[:1].isupper())
    return len(words) >= 2 and capitals >= 0.8 * len(words)


def _touches_name(text: str, start: int, end: int) -> bool:
    """A capitalised word right before (mid-sentence) or right after: part of a person's name."""
    after = text[end + 1 : end + 2] if text[end : end + 1] == " " else ""
    if after.isupper():
        return True
    # Walk back by index: slicing text[:start] would copy the whole text per mention.
    stop = start
    while stop and text[stop - 1] == " ":
        stop -= 1
    if stop == start or not stop or not text[stop - 1].isalpha():
        return False
    word_start = stop
    while word_start and not text[word_start - 1].isspace():
        word_start -= 1
    gap = word_start
    while gap and text[gap - 1].isspace():
        gap -= 1
    sentence_start = word_start == 0 or (gap > 0 and text[gap - 1] in ".!?")
    word = text[word_start:stop]
    return word[0].isupper() and not (sentence_start and word in _STARTERS)


def _both_sides(mentions: list[Mention]) -> list[Mention]:
    """The mentions with a place two states contest ("the LoC", "the DMZ": `IN+PK` in
    countries.tsv) read as both of them, each at the place's span, unless the text names that
    state already (so "India shells Pakistani posts along the LoC" stays India acting first)."""
    named = {mention.code for mention in mentions if _SHARED not in mention.code}
    out: list[Mention] = []
    for mention in mentions:
        if _SHARED not in mention.code:
            out.append(mention)
            continue
        sides = [code for code in mention.code.split(_SHARED) if code not in named]
        # both named already: the place stays a mention of the first, so it is blanked like
        # any name ("opens the Kartarpur corridor" is "opens the corridor")
        for code in sides or mention.code.split(_SHARED)[:1]:
            side = Mention(code, mention.start, mention.end)
            side.before = mention.before
            side.noun = mention.noun
            out.append(side)
            named.add(code)
    return out


def _hyphened_to_state(
    text: str, start: int, end: int, candidates: list[tuple[int, int, str, bool]]
) -> bool:
    """Whether an unambiguous name is joined to [start, end) by a hyphen or an en dash."""
    before = start > 0 and text[start - 1] in _JOINERS
    after = end < len(text) and text[end] in _JOINERS
    if not (before or after):  # most names
        return False
    for other_start, other_end, code, ambiguous in candidates:
        if ambiguous or code == BLOCKED:
            continue
        if (before and other_end == start - 1) or (after and other_start == end + 1):
            return True
    return False


class CountryFinder:
    """Finds country mentions in one Aho-Corasick pass over case-sensitive text (ahocorasick_rs:
    its DFA reads a sentence in ~40% less time than pyahocorasick's trie, measured here)."""

    def __init__(
        self,
        aliases: list[tuple[str, str, bool]],
        beside: frozenset[str] = frozenset(),
        around: Surroundings | None = None,
        pacts: frozenset[str] = frozenset(),
        companies: frozenset[str] = frozenset(),
    ) -> None:
        # names that are a state's only beside another state (`&` in countries.tsv)
        self._beside = beside
        self._pacts = pacts  # lower-cased names of pacts (`=` in countries.tsv)
        self._companies = companies  # `$` in countries.tsv: a state's only as another's object
        self.around = around or Surroundings({})
        known: dict[str, tuple[str, bool]] = {}
        for name, code, ambiguous in aliases:
            known.setdefault(name, (code, ambiguous))  # own data comes first and wins
        self._codes = [code for code, _ in known.values()]
        self._ambiguous = [ambiguous for _, ambiguous in known.values()]
        self._automaton = ahocorasick_rs.AhoCorasick(list(known))
        # "North and South Korean": a name's first word, given alone before "and" or "or",
        # names a second country with the same tail. Keyed by (first word, tail).
        self._heads: dict[tuple[str, str], str] = {
            (head, tail): code
            for name, (code, ambiguous) in known.items()
            if " " in name and not ambiguous and code != BLOCKED
            for head, tail in [name.split(" ", 1)]
        }
        # the words of a state's names of more than one word: "Lee" of "Lee Nak-yon" is a
        # surname its own papers name an office's holder by ("PM Lee")
        name_words: dict[str, set[str]] = {}
        for name, (code, _) in known.items():
            if " " in name:
                name_words.setdefault(code, set()).update(name.split(" "))
        self._name_words = {code: frozenset(words) for code, words in name_words.items()}

    def own_names(self, code: str, mentions: list[Mention]) -> frozenset[str]:
        """The words of `code`'s names of more than one word ("Lee", "Nak-yon", "South") that
        no state among `mentions` shares: beside Singapore, "PM Lee" is Singapore's."""
        own = self._name_words.get(code, frozenset())
        shared = [self._name_words.get(m.code, frozenset()) for m in mentions if m.code != code]
        return own.difference(*shared) if shared else own

    def find(self, text: str) -> list[Mention]:
        """Country mentions in `text`, longest-first, non-overlapping, in text order."""
        candidates = []
        length = len(text)
        for index, start, end in self._matches_any_case(text):
            code, ambiguous = self._codes[index], self._ambiguous[index]
            # whole words only: no letter or digit on either side
            if (start == 0 or not text[start - 1].isalnum()) and (
                end == length or not text[end].isalnum()
            ):
                candidates.append((start, end, code, ambiguous))
        if len(candidates) > 1:
            candidates.sort()
            # by index, not itertools.pairwise: an iterator compiled code drives through the
            # interpreter
            if any(candidates[at - 1][1] > candidates[at][0] for at in range(1, len(candidates))):
                return self._finished(
                    text, self._coordinated(text, self._resolve(text, candidates))
                )
        return self._finished(
            text,
            self._coordinated(
                text,
                [
                    Mention(code, start, end)
                    for start, end, code, ambiguous in candidates
                    if code != BLOCKED
                    and not (ambiguous and self._touches(text, start, end, candidates))
                ],
            ),
        )

    def _touches(
        self, text: str, start: int, end: int, candidates: list[tuple[int, int, str, bool]]
    ) -> bool:
        """Whether an ambiguous name is part of a person's name. In a title-case headline a
        capitalised word after a `&` surname tells nothing ("Moon Warns Japan"); the word
        before still does ("Sun Myung Moon"). Hyphened to a plain name of a state it is a
        state too ("Israel-Jordan Statement", "Russia-Georgia War")."""
        if _hyphened_to_state(text, start, end, candidates):
            return False
        if text[start:end] in self._beside and _title_cased(text):
            return _touches_name(text, start, start)
        return _touches_name(text, start, end)

    def _finished(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """The mentions as found, each with the word before it, and `&` names kept only where
        they name a leader."""
        previous = None
        for mention in mentions:
            mention.before = _word_before(text, mention.start)
            if previous is not None and mention.start == previous.end + 1:
                mention.joined = text[previous.end] in _JOINERS
            previous = mention
        if any(_SHARED in mention.code for mention in mentions):
            for mention in mentions:
                if text[mention.start : mention.end].lower() in self._pacts:
                    mention.noun = PACT_NOUN
            mentions = _both_sides(mentions)
        return self._beside_another(text, mentions)

    def objects_only(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """The mentions (of states acting, `acting`'s) without a `$` company ("Huawei") that no
        other state's mention stands before with a word between: a state's company stands for it
        as the object of another state's act ("US adds Huawei to entity list"), as event coders
        code a sanctioned firm as its state's; as an actor, alone or a description's
        ("Huawei unveils a phone", "Brazilian TikTok star") it stands for nothing."""
        if not self._companies:
            return mentions
        kept: list[Mention] = []
        for mention in mentions:
            if text[mention.start : mention.end] in self._companies and not any(
                other.code != mention.code and other.end < mention.start - 1 for other in kept
            ):
                continue
            kept.append(mention)
        return kept

    def _beside_another(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """The mentions without a `&` name ("Moon") that stands alone: no other state's
        mention in the text, a word before it that makes it the common word ("on Moon", "the
        Moon"), or that word's world in the text ("lunar", "rover"). A surname that is also a
        common word is a leader only where states are."""
        if not self._beside or not mentions:
            return mentions
        gated = [text[m.start : m.end] in self._beside for m in mentions]
        if not any(gated):
            return mentions
        states = {m.code for m, is_gated in zip(mentions, gated, strict=True) if not is_gated}
        common = self.around.shared_text & _words_of(text)
        return [
            m
            for m, is_gated in zip(mentions, gated, strict=True)
            if not is_gated
            or (
                states - {m.code}
                and not common
                and m.before not in self.around.shared_before
                and not text.startswith(("'s", "\u2019s"), m.end)
            )
        ]

    def _coordinated(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """The mentions, with a first word coordinated before a two-word name ("North and South
        Korean") read as its own country ("North Korean")."""
        found: list[Mention] = []
        for mention in mentions:
            start, end = mention.start, mention.end
            two_words = start > 1 and text.find(" ", start, end) >= 0  # no slice per mention
            joint = text.rfind(" ", 0, start - 1) if two_words else -1
            if joint > 0 and text[joint + 1 : start - 1] in _COORDINATORS:
                head = text.rfind(" ", 0, joint) + 1
                tail = text[start:end].split(" ", 1)[1]
                code = self._heads.get((text[head:joint], tail))
                if code is not None and not (found and found[-1].end > head):
                    found.append(Mention(code, head, joint))
            found.append(mention)
        return found

    def _matches_any_case(self, text: str) -> list[tuple[int, int, int]]:
        """The matches, and in a text set in capitals ("TURKISH AND ARMENIAN MINISTERS SIGN")
        those of its title-cased form too: names are matched case-sensitively."""
        matches = self._matches(text)
        if text.isupper():
            titled = text.title()
            if len(titled) == len(text):  # offsets hold: the same character count
                matches.extend(self._matches(titled))
        return matches

    def _matches(self, text: str) -> list[tuple[int, int, int]]:
        # overlapping=True, passed by position: the extension then parses no keyword per call
        try:
            return self._automaton.find_matches_as_indexes(text, True)
        except UnicodeEncodeError:  # a lone surrogate: the matcher reads UTF-8
            safe = text.translate(_SURROGATES_REPLACED)  # one character for one: offsets hold
            return self._automaton.find_matches_as_indexes(safe, True)

    def _resolve(self, text: str, candidates: list[tuple[int, int, str, bool]]) -> list[Mention]:
        """Overlapping names: the longest wins, then the earliest."""
        # Plain tuples, longest first, sort without a key function (which compiled code would
        # call back through the interpreter); `candidates` come sorted, so ties keep that order.
        ranked = [(start - end, start, end, code, vague) for start, end, code, vague in candidates]
        ranked.sort()
        taken: list[Mention] = []  # kept sorted by start
        starts: list[int] = []  # theirs, searched natively
        for _, start, end, code, ambiguous in ranked:
            at = bisect_left(starts, start)
            if (at and taken[at - 1].end > start) or (at < len(taken) and taken[at].start < end):
                continue  # overlaps a longer name already taken
            if ambiguous and self._touches(text, start, end, candidates):
                continue
            taken.insert(at, Mention(code, start, end))
            starts.insert(at, start)
        return [mention for mention in taken if mention.code != BLOCKED]


def acting(
    text: str, mentions: list[Mention], private: frozenset[str], offices: frozenset[str]
) -> list[Mention]:
    """The mentions that may be states acting: not a nationality before a private noun while
    no state has acted yet ("Spanish police arrest British fugitive"; but "China detains
    British man" keeps its target), and not an opening "Country's Name" that names a company or
    a person other than a leader ("Japan's Toyota", "Serbia's Djokovic")."""
    kept: list[Mention] = []
    shared = _shared_private(text, mentions, private)
    for number, mention in enumerate(mentions):
        end = mention.end
        joint = text[end : end + 1]
        # a hyphen makes the country the noun's maker wherever it stands ("China-brokered deal")
        if (joint == "-" or (joint == " " and not kept)) and _private_after(text, end, private):
            continue
        if number in shared and not kept:  # "Chinese and Russian miners sign a deal"
            continue
        if (
            mention.start == 0
            and text[end : end + 3] in _POSSESSIVES
            and _names_another(text, end + 3, mentions, offices)
        ):
            continue
        kept.append(mention)
    return kept


def _word_at(text: str, at: int) -> str:
    """The text from `at` to the next space. Found with find(), not a slice of the rest of the
    text per mention."""
    space = text.find(" ", at)
    return text[at : space if space >= 0 else len(text)]


def _shared_private(text: str, mentions: list[Mention], private: frozenset[str]) -> set[int]:
    """The mentions coordinated before one private noun ("Chinese and Russian miners"): the
    noun after the last is every one's."""
    shared: set[int] = set()
    for number in range(len(mentions) - 2, -1, -1):  # from the noun back
        first, second = mentions[number], mentions[number + 1]
        between = text[first.end : second.start]
        coordinated = between == ", " or (
            between.startswith(" ") and between.endswith(" ") and between.strip() in _COORDINATORS
        )
        if coordinated and (number + 1 in shared or _private_after(text, second.end, private)):
            shared.update((number, number + 1))
    return shared


def _private_after(text: str, end: int, private: frozenset[str]) -> bool:
    """Whether the word after a mention ending at `end` is a private noun ("police", "Toyota")."""
    return _word_at(text, end + 1).strip(",.:;!?'\"").lower() in private


def _names_another(text: str, at: int, mentions: list[Mention], offices: frozenset[str]) -> bool:
    """Whether a capitalised word at `at` names someone or something other than the state: not
    a mention itself (a leader) and not one of its offices."""
    word = _word_at(text, at)
    # the first part of a hyphened title: "Vice-Premier", "Deputy-Minister"
    if not word[:1].isupper() or word.split("-", 1)[0].lower() in offices:
        return False
    return not any(mention.start == at for mention in mentions)


def at_home(
    text: str,
    mentions: list[Mention],
    home: str | None,
    words: Surroundings,
    offices: frozenset[str],
    *,
    headline: list[str],
    own_names: frozenset[str] = frozenset(),
) -> list[Mention]:
    """`mentions` with the outlet's own state (`home`) at the first office named without a
    state ("Trade Ministry to file complaint over Japan's curbs" in a Korean paper), where the
    text (with its `headline`'s states, for a body) names one other party and not the outlet's
    state: a national paper names a foreign office with its state and its own without. Where a
    pair is named already the office is one of its two (a wire's "the government" under a
    headline naming both), and a place is no party ("talks in Bangkok"). An office's holder
    named by a word of the outlet state's own names (`own_names`: "PM Lee" in a Korean paper,
    whose table holds "Lee Nak-yon") is its own, where another name is as likely another
    state's; such a word first in the text beside a named party is the outlet's state too
    ("Lee, Abe agree")."""
    parties = {m.code for m in mentions if m.before not in words.place}.union(headline)
    if home is None or len(parties) != 1 or home in parties:
        return mentions
    paired = _own_beside_another(text, mentions, own_names, offices)
    if paired is not None:
        inferred = Mention(home, *paired)
        inferred.inferred = True
        return [inferred, *mentions]
    for found in _WORDS.finditer(text):
        word = found.group()
        if word.lower() not in words.home or not (
            word[0].isupper() or _after_the(text, found.start())
        ):
            continue
        portfolio = word.lower() in words.portfolio
        start = _office_start(text, found.start(), offices, portfolio=portfolio)
        if (
            start < 0
            or not _opens_sentence(text, start)
            or _owned(text, start, found.end(), mentions)
            or _held_by_another(text, found.end(), words.home_after, words.role, own_names)
        ):
            continue
        at = bisect_left([mention.start for mention in mentions], start)
        inferred = Mention(home, start, found.end())
        inferred.inferred = True
        return [*mentions[:at], inferred, *mentions[at:]]
    return mentions


def _own_beside_another(
    text: str, mentions: list[Mention], own: frozenset[str], offices: frozenset[str]
) -> tuple[int, int] | None:
    """The span of the text's first word where it is one of the outlet state's own names
    joined by a comma or "and" to a named party: a paper names its own leader by surname beside
    a foreign one ("Lee, Abe to meet"). Not beside someone of a state ("Lee, Japan's Son sign a
    chip deal": a business's or a club's people)."""
    tag = _WIRE_TAG.match(text)
    found = _WORDS.match(text, tag.end() if tag is not None else 0)
    if found is None or found.group() not in own or not mentions:
        return None
    party = mentions[0]
    if text[party.end : party.end + 3] in _POSSESSIVES and _names_another(
        text, party.end + 3, mentions, offices
    ):
        return None
    joint = text[found.end() : party.start]
    return (found.start(), found.end()) if joint in _BESIDE else None


def _held_by_another(
    text: str, end: int, free: frozenset[str], roles: frozenset[str], own: frozenset[str]
) -> bool:
    """Whether a name follows the office ending at `end`, itself or after one of its `roles`:
    a leader's names its state ("President Trump"), and a holder the leaders' table does not
    know ("President Tebboune", "PM Oli", "Government spokesman Zabihullah Mujahid") is as
    likely another state's as the outlet's, unless it is a word of the outlet state's `own`
    names ("PM Lee" in a Korean paper). In a title-case headline every word is capitalised:
    only the words of `free` ("To", "Says") show that no name follows."""
    after = text[end + 1 : end + 60].split(" ", 2)[:2] if text[end : end + 1] == " " else []
    if len(after) == 2 and after[0].lower() in roles:  # "Government spokesman Zabihullah ..."
        after = after[1:]
    following = after[0].strip(",.:;!?'\"") if after else ""
    if not following[:1].isupper() or following in own:
        return False
    return not _title_cased(text) or following.lower() not in free


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the office at `at` is its sentence's subject: first, after at most "The" and a
    wire's tag ("(LEAD) PM Lee to visit ..."). Deeper in, an unnamed office is as often the
    other state's ("seeks President Moon's letter")."""
    before = _WIRE_TAG.sub("", text[:at]).rstrip()
    before = before.removesuffix("The").removesuffix("the").rstrip()
    return not before or before[-1] in ".!?"


def _after_the(text: str, at: int) -> bool:
    """A lower-case office after "the": "the government said", the outlet's own."""
    return text[max(0, at - 4) : at].lower() == "the "


def _office_start(text: str, at: int, offices: frozenset[str], *, portfolio: bool) -> int:
    """Where the office ending in the word at `at` starts, over the capitalised office words
    before it ("Trade Ministry", "Deputy Prime Minister"), or any capitalised words before a
    `portfolio` head (a ministry's: "Unification Ministry"; companies and clubs have none); -1
    when a capitalised word of another kind stands before it: someone else's office ("FIFA
    President", "Japanese PM")."""
    start = at
    while start > 1 and text[start - 1] == " ":
        space = text.rfind(" ", 0, start - 1)
        word = text[space + 1 : start - 1]
        if not word[:1].isupper() or word in _STARTERS:
            break
        if word.lower() not in offices and not (portfolio and word.isalpha()):
            return -1
        start = space + 1
    return start


def _owned(text: str, start: int, end: int, mentions: list[Mention]) -> bool:
    """Whether a state owns the office at `start`..`end`: named right before it ("Japan's
    Trade Ministry") or within it, or after "of" or "in" ("the Government in Fiji"); an office
    of something else ("President of the Commission") is no one's either. A holder named after
    it, known or not ("President Trump"), is `_held_by_another`'s."""
    for mention in mentions:
        if mention.end <= start and text[mention.end : start] in _ADJOINING:
            return True
        if start <= mention.start < end:  # "Japanese Foreign Ministry" over a portfolio's words
            return True
    return text[end:].split(" ", 2)[1:2] in (["of"], ["in"])


@cache
def default_finder() -> CountryFinder:
    """The packaged country finder, built once per process."""
    own = OwnNames(read_data("countries.tsv"))
    names = own.aliases + [(name, code, False) for name, code in _pycountry_names()]
    return CountryFinder(
        names, own.beside, read_surroundings(read_data("mentions.tsv")), own.pacts, own.companies
    )
