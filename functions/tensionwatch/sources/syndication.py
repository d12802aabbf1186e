"""Syndicated copies: what survives an outlet's rewrite of a wire story, banded for LSH lookup.
Pure.

Outlets rewrite a wire story's headline and trim, re-order or restyle its lead; what survives is
the lead's run of words (names, numbers, quotes, in the wire's order). Two articles are one story
when the word pairs of the shorter lead are mostly found in the other's (`LEAD_SURE`), or
largely found there and the headlines agree (`LEAD_LIKELY`, `TITLE_AGREES`), or partly found
and quoting the same words with agreeing headlines (`LEAD_QUOTED`); when a lead is missing (a
page showing only its headline), a near-identical headline decides, and two long headlines
alike decide whatever the leads (`LONG_TITLE`: a standfirst shown instead of the lead). Never
when their leads credit different agencies (two wires' reports of one event are corroboration)
or name different weekdays (a copy keeps the day its story happened on); always when they are
one outlet's page (its own id ending the URL) rewritten as the story went on; otherwise never
when one is a preview of the other's event or quotes words the other carries unquoted. Time
bounds a match as the store does: a story is forgotten when its items' TTL ends. MinHash LSH
bands over the lead's word pairs and the headline turn "find similar" into key lookups;
candidates are confirmed by comparing the stored shingle hashes exactly (docs/sources.md,
scripts/syndication_eval.py).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import struct
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from hashlib import blake2b
from importlib import resources

from tensionwatch.sources.leads import lead_text, looks_ahead, quotations, weekdays, wire_credit
from tensionwatch.sources.minhash import MERSENNE, minhashes, packed_minhashes
from tensionwatch.sources.urls import page_id

BANDS = 15  # b: P(candidate) = 1-(1-J^r)^b; with the page key, 16 keys a story, as before
ROWS = 1  # r: one MinHash a band, see BANDS (`Signature._keys` reads a band as one value)
NUM_PERM = BANDS * ROWS
# Thresholds chosen by `make syndication` on real copies and generated ones (the grid is in
# docs/sources.md): three quarters of real copies' lead pairs sit at 0.5-1.0, other reports of
# the same event and different events on the same pair mostly below 0.5.
LEAD_SURE = 0.7  # share of the shorter lead's word pairs found in the other: one story
LEAD_LIKELY = 0.5  # ... one story when the headlines agree too
LEAD_QUOTED = 0.3  # ... one story when the headlines agree and the leads quote the same words
TITLE_AGREES = 0.7  # share of the shorter headline's words found in the other
TITLE_ALONE = 0.75  # headline shingles, when a lead is missing: a near-identical headline
TITLE_LONG = 0.85  # ... whatever the leads, when both headlines are long (LONG_TITLE)
MIN_PAIRS = 4  # a lead with fewer content word pairs is no lead (a stub, a site's menu)
MIN_TITLE = 5  # fewer headline shingles than this never match on the headline alone
LONG_TITLE = 17  # headline shingles (9 content words): two wires seldom write such a one alike
LEAD_WORDS = 45  # the lead: wire copies keep the first paragraph, then diverge
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?")  # keeps "Korea's" one word
# version, weekdays, wire, page, the title's and the words' sizes (the pairs fill the rest): 18
# bytes, so a version-2 signature is never a whole number of uint32s, as a version-1 one always is
_HEADER_2 = struct.Struct(">BBIIHH")
# version 3 adds the pairs' size and the flags (the quoted pairs fill the rest): 21 bytes, so it
# is never a whole number of uint32s either
_HEADER = struct.Struct(">BBIIHHHB")
_VERSION = 3  # 1 was one set of title + lead shingles, without header (a multiple of 4 bytes)
_AHEAD_FLAG = 1  # flags: the lead is a preview (`leads.looks_ahead`)


@cache
def _stopwords() -> frozenset[str]:
    """Read once, on first use rather than at import."""
    text = resources.files("tensionwatch.sources").joinpath("data/stopwords.txt").read_text()
    return frozenset(word for line in text.splitlines() for word in line.split("#")[0].split())


def _perms() -> tuple[tuple[int, int], ...]:
    seed = hashlib.sha256(b"tensionwatch-minhash-v1").digest()
    values = []
    for i in range(NUM_PERM):
        block = hashlib.blake2b(seed + i.to_bytes(2, "big"), digest_size=16).digest()
        a, b = struct.unpack(">QQ", block)
        values.append((a % (MERSENNE - 1) + 1, b % MERSENNE))
    return tuple(values)


_PERMS = _perms()  # deterministic: every Lambda computes the same signatures


def tokens(text: str) -> list[str]:
    """Lowercased, accent-folded content words of `text`. A typographic apostrophe (U+2019) is
    a plain one: outlets restyle the wire's apostrophes, and the copy keeps the same words."""
    folded = text.lower()
    if not folded.isascii():  # most headlines are: no accents to fold, no curly apostrophes
        folded = unicodedata.normalize("NFKD", folded.replace("\u2019", "'"))
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    stop = _stopwords()
    return [w for w in _WORD.findall(folded) if w not in stop and len(w) > 1]


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big")


_GRAM_HASHES: dict[str, int] = {}  # a shingle's hash, memoized: headlines repeat their words
_GRAM_MEMO = 1 << 17  # shingles remembered at most (about 20 MB), then forgotten at once


def _hashes(grams: set[str]) -> frozenset[int]:
    # inlined, not _hash per gram: this is per shingle of every article the poll sees
    memo = _GRAM_HASHES
    if len(memo) > _GRAM_MEMO:
        memo.clear()  # memory flat however many articles pass
    found = list(map(memo.get, grams))
    if None not in found:
        return frozenset(found)  # type: ignore[arg-type]
    blake = hashlib.blake2b
    for gram in grams:
        if gram not in memo:
            memo[gram] = int.from_bytes(blake(gram.encode(), digest_size=4).digest())
    return frozenset(map(memo.__getitem__, grams))


def _pairs(words: list[str]) -> set[str]:
    return set(map(" ".join, itertools.pairwise(words)))


def _contained(first: frozenset[int], second: frozenset[int]) -> float:
    """Share of the smaller set found in the other: robust to a copy that keeps only the
    first sentence of the lead, where Jaccard would drop by half."""
    smaller = min(len(first), len(second))
    return len(first & second) / smaller if smaller else 0.0


@dataclass(frozen=True)
class Signature:
    """What a copy keeps of its story: headline words and pairs (`title`), the lead's words
    and word pairs, the word pairs its lead quotes (`quoted`), the agency its lead credits (a
    hash, 0 for none), the weekdays it names (a bit per day, Monday the lowest; 0 for none),
    the outlet's id of the page (a hash, 0 for none: `urls.page_id`) and whether the lead is
    a preview of an event still to come (`ahead`)."""

    title: frozenset[int] = frozenset()
    words: frozenset[int] = frozenset()
    pairs: frozenset[int] = frozenset()
    wire: int = 0
    days: int = 0
    page: int = 0
    quoted: frozenset[int] = frozenset()
    ahead: bool = False

    def to_bytes(self) -> bytes:
        """Compact storage form: a header, then each section's sorted hashes as uint32."""
        if not (self.words or self.pairs or self.quoted):  # a headline alone: one section
            title = sorted(self.title)
            raw = _HEADER.pack(_VERSION, self.days, self.wire, self.page, len(title), 0, 0,
                               _AHEAD_FLAG if self.ahead else 0) + _uint32s(title)  # fmt: skip
            _PARSED.keep(raw, self)
            return raw
        sections = (sorted(self.title), sorted(self.words), sorted(self.pairs),
                    sorted(self.quoted))  # fmt: skip
        header = _HEADER.pack(_VERSION, self.days, self.wire, self.page, len(sections[0]),
                              len(sections[1]), len(sections[2]),
                              _AHEAD_FLAG if self.ahead else 0)  # fmt: skip
        flat = [h for section in sections for h in section]
        raw = header + struct.pack(f">{len(flat)}I", *flat)
        _PARSED.keep(raw, self)  # a new story is its poll's next ones' candidate: no parse then
        return raw

    @classmethod
    def from_bytes(cls, raw: bytes) -> Signature:
        """Inverse of `to_bytes`. A version-1 signature (stored before the lead/title split,
        a whole number of uint32s) reads as empty: it matches nothing until its TTL ends.
        Raises ValueError when `raw` is neither."""
        return _PARSED(raw)

    @classmethod
    def _parse(cls, raw: bytes) -> Signature:
        if len(raw) % 4 == 0:
            return cls()
        if len(raw) >= _HEADER_2.size and raw[0] == 2:  # stored before quotes and previews
            _, days, wire, page, *sizes = _HEADER_2.unpack_from(raw)
            title, words, pairs = _sections(raw, _HEADER_2.size, sizes)
            return cls(title, words, pairs, wire, days, page)
        if len(raw) < _HEADER.size or raw[0] != _VERSION:
            raise ValueError("signature has no version-2 or version-3 header")
        _, days, wire, page, titled, worded, paired, flags = _HEADER.unpack_from(raw)
        if not (worded or paired or days or wire or flags) and len(raw) == _HEADLINE_ONLY[titled]:
            # a headline alone (most stories): its one section, without the general cuts
            return _headline_only(frozenset(struct.unpack_from(_UINT32S[titled], raw,
                                                               _HEADER.size)), page)  # fmt: skip
        title, words, pairs, quoted = _sections(raw, _HEADER.size, [titled, worded, paired])
        return cls(title, words, pairs, wire, days, page, quoted, bool(flags & _AHEAD_FLAG))

    @cached_property
    def lookup(self) -> frozenset[int]:
        """What the LSH bands are computed on: the lead's word pairs and the headline, what two
        copies share rather than the words every story on a pair shares."""
        return self.pairs | self.title if self.pairs else self.title  # headlines: no copy

    def band_keys(self) -> list[str]:
        """One key per LSH band: `band#<i>#<hash of the band's MinHash rows>`."""
        return list(self._band_keys)

    @cached_property
    def _band_keys(self) -> tuple[str, ...]:
        # Once per signature: a poll asks a new story for its keys three times (the band index,
        # the poll's own index, then to store them), and the MinHash is most of its CPU.
        lookup = self.lookup
        return self._keys(minhashes(lookup, _PERMS) if lookup else ())

    def _keys(self, mins: Sequence[int]) -> tuple[str, ...]:
        """The page's key and one key a band of the MinHash values `mins` (ROWS = 1: a band
        is one value)."""
        return self._page_keys() + (_value_keys(mins) if mins else ())

    def _page_keys(self) -> tuple[str, ...]:
        return (f"band#page#{self.page:08x}",) if self.page else ()


def _value_keys(mins: Sequence[int]) -> tuple[str, ...]:
    """One key a band of the MinHash values `mins`."""
    if len(mins) != BANDS:
        raise ValueError(f"{len(mins)} MinHash values for {BANDS} bands")
    keys = list(map(dict.get, _BAND_KEYS, mins))  # one C loop: a comprehension took twice as long
    if None in keys:  # a value not met lately (about one in thirteen)
        for band, value in enumerate(mins):
            if keys[band] is None:
                keys[band] = _band_key(band, value)
    return tuple(keys)  # type: ignore[arg-type]  # every None filled above


# A band's key, memoized by its value, one memo a band (a value * BANDS + band key cost two big
# integers a band): a MinHash minimum is often a word many headlines share.
_BAND_KEYS: tuple[dict[int, str], ...] = tuple({} for _ in range(BANDS))
_BAND_MEMO = (1 << 16) // BANDS  # keys a band remembers at most


def _band_key(band: int, value: int) -> str:
    """`band#<band>#<hash of its MinHash value>`, remembered."""
    memo = _BAND_KEYS[band]
    if len(memo) >= _BAND_MEMO:
        memo.clear()  # memory flat however many articles pass
    digest = blake2b(value.to_bytes(8, "big"), digest_size=8).hexdigest()
    key = memo[value] = f"band#{band}#{digest}"
    return key


# A lookup set's band keys (the page's aside), memoized: a syndicated copy often keeps its
# story's headline word for word (`_title_hashes` then gives it the very same set), hours after
# the story.
_LOOKUP_KEYS: dict[frozenset[int], tuple[str, ...]] = {}
_LOOKUP_MEMO = 4096  # about two days of a busy feed's stories; then forgotten at once


def prime_band_keys(sigs: Iterable[Signature]) -> None:
    """Compute the band keys of `sigs` together (one MinHash pass for a whole poll or batch),
    as each signature's `band_keys` would one at a time."""
    memo = _LOOKUP_KEYS
    if len(memo) > _LOOKUP_MEMO:
        memo.clear()  # memory flat however many articles pass
    todo = []
    for sig in sigs:
        if "_band_keys" in sig.__dict__ or not sig.lookup:
            continue
        known = memo.get(sig.lookup)
        if known is None:
            todo.append(sig)
        else:  # what the cached_property would hold
            sig.__dict__["_band_keys"] = sig._page_keys() + known
    packed = packed_minhashes([s.lookup for s in todo], _PERMS)
    mins = struct.unpack(f">{len(packed) // 8}Q", packed)
    for n, sig in enumerate(todo):
        own = memo[sig.lookup] = _value_keys(mins[n * NUM_PERM : (n + 1) * NUM_PERM])
        sig.__dict__["_band_keys"] = sig._page_keys() + own


class _Formats(dict[int, str]):
    """`>{n}I` for each n, made once."""

    def __missing__(self, count: int) -> str:
        made = self[count] = f">{count}I"
        return made


class _HeadlineSizes(dict[int, int]):
    """The stored size of a headline-only signature of n hashes, for each n."""

    def __missing__(self, count: int) -> int:
        made = self[count] = _HEADER.size + 4 * count
        return made


_UINT32S = _Formats()
_HEADLINE_ONLY = _HeadlineSizes()


def _uint32s(values: list[int]) -> bytes:
    return struct.pack(_UINT32S[len(values)], *values)


def _sections(raw: bytes, start: int, sizes: list[int]) -> list[frozenset[int]]:
    """The hash sections after a header: one per size in `sizes`, the last taking the rest."""
    rest, odd = divmod(len(raw) - start - 4 * sum(sizes), 4)
    if rest < 0 or odd:
        raise ValueError("signature's sections do not fill it")
    flat = struct.unpack_from(f">{sum(sizes) + rest}I", raw, start)
    cuts = [*itertools.accumulate(sizes, initial=0), len(flat)]
    return [frozenset(flat[a:b]) for a, b in itertools.pairwise(cuts)]


class _ParsedSignatures:
    """The signatures of the most recently stored or read bytes, in two generations of
    `size`: a hit is one dict lookup (an LRU's reordering cost more than the parses it saved),
    and what was used lately stays when the older generation is forgotten. A story is a
    candidate of many polls (and of many batches of a backtest): its stored bytes are parsed
    once while they stay here, or never when this process wrote them (`Signature.to_bytes`
    keeps what it serialised)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._recent: dict[bytes, Signature] = {}
        self._older: dict[bytes, Signature] = {}

    def __call__(self, raw: bytes) -> Signature:
        sig = self._recent.get(raw)
        if sig is None:
            sig = self._older.get(raw)
            if sig is None:
                sig = Signature._parse(raw)
            self.keep(raw, sig)
        return sig

    def keep(self, raw: bytes, sig: Signature) -> None:
        recent = self._recent
        recent[raw] = sig
        if len(recent) >= self._size:  # memory flat: at most twice `size` kept
            self._older, self._recent = recent, {}


_PARSED = _ParsedSignatures(4096)
parsed_signature = _PARSED  # `Signature.from_bytes` without the classmethod's call


def signature(title: str, lead: str, url: str = "") -> Signature:
    """The signature of an article's headline, lead (its first LEAD_WORDS content words after
    the dateline) and the outlet's id of its page at `url`."""
    page = _hash(found) if (found := page_id(url)) else 0
    if not lead.strip():  # a headline-only item (most feeds' volume): no lead to read
        return _headline_only(_title_hashes(title), page)
    text = lead_text(lead)
    words = tokens(text)[:LEAD_WORDS]
    wire = wire_credit(lead)
    return Signature(
        title=_title_hashes(title),
        words=_hashes(set(words)),
        pairs=_hashes(_pairs(words)),
        wire=_hash(wire) if wire else 0,
        days=weekdays(text),
        page=page,
        quoted=_hashes({pair for quote in quotations(text) for pair in _pairs(tokens(quote))}),
        ahead=looks_ahead(text),
    )


_NO_LEAD = dict(Signature().__dict__)  # every field's default, in the fields' order


def _headline_only(title: frozenset[int], page: int) -> Signature:
    """`Signature(title=title, page=page)` without the frozen dataclass's eight field-by-field
    `__setattr__`s: most articles a poll or a backtest reads are headlines alone."""
    sig = object.__new__(Signature)
    values = sig.__dict__
    values.update(_NO_LEAD)
    values["title"], values["page"] = title, page
    return sig


@lru_cache(maxsize=4096)
def _title_hashes(title: str) -> frozenset[int]:
    """A headline's words and word pairs, hashed; once per headline while it is in the cache:
    copies often keep the wire's headline word for word."""
    head = tokens(title)
    return _hashes(set(head) | _pairs(head))


def likeness(first: Signature, second: Signature) -> float:
    """How surely two signatures are copies of one story: 0 when they are not, else a score
    that ranks candidates (one page above a lead match above a headline-only match)."""
    # the cheap tests first and inline: a poll compares each article with a dozen candidates
    if first.page and first.page == second.page and not _apart(first, second):
        return 3.0  # one outlet's page, its headline and lead rewritten as the story went on
    marked = first.wire or first.days or first.quoted or second.quoted
    if (marked or first.ahead != second.ahead) and (_apart(first, second)
                                                    or _told_apart(first, second)):  # fmt: skip
        return 0.0
    # By the words: the long headline, else the lead (with the headline or a shared quotation
    # when the lead is only largely found), else a headline alone. One function, _contained
    # inlined: this runs for every candidate of every article.
    heads = first.title, second.title
    shortest = min(len(heads[0]), len(heads[1]))
    title = len(heads[0] & heads[1]) / shortest if shortest else 0.0
    if not (first.pairs and second.pairs):  # most of a feed's volume: headlines only
        return title if shortest >= MIN_TITLE and title >= TITLE_ALONE else 0.0
    return _words_likeness(first, second, title, shortest)


def likenesses(sig: Signature, others: Iterable[Signature]) -> list[float]:
    """`likeness(sig, other)` for each of `others`: an article against its candidate stories.
    A headline-only `sig` (most of a feed's volume) is compared in one loop, no call a pair:
    without a lead it carries no credit, weekday, quotation or preview, so `likeness` comes
    down to the page, the other's preview flag and the headlines' containment."""
    if sig.pairs or sig.wire or sig.days or sig.quoted or sig.ahead:
        return [likeness(sig, other) for other in others]
    title, page, size = sig.title, sig.page, len(sig.title)
    if size < MIN_TITLE:  # too short a headline to match on: one outlet's page alone can
        return [3.0 if page and page == other.page else 0.0 for other in others]
    scores = []
    for other in others:
        if page and page == other.page:
            scores.append(3.0)  # one outlet's page: `_apart` needs a credit or weekday of both
            continue
        theirs = other.title
        shortest = len(theirs)  # the shorter headline: this one is long enough
        if other.ahead or shortest < MIN_TITLE:  # a preview is told apart from a headline
            scores.append(0.0)
            continue
        share = len(title & theirs) / (size if size < shortest else shortest)
        scores.append(share if share >= TITLE_ALONE else 0.0)
    return scores


def _words_likeness(first: Signature, second: Signature, title: float, shortest: int) -> float:
    """`likeness` of two signatures with leads, `title` their headlines' containment."""
    if shortest >= LONG_TITLE and title >= TITLE_LONG:
        return title  # the wire's long headline kept, over a lead cut or a standfirst instead
    if len(first.pairs) >= MIN_PAIRS and len(second.pairs) >= MIN_PAIRS:
        lead = _contained(first.pairs, second.pairs)
        quoted = bool(first.quoted & second.quoted) and shortest >= MIN_TITLE
        sure = (lead >= LEAD_SURE or (lead >= LEAD_LIKELY and _titles_agree(first, second))
                or (quoted and lead >= LEAD_QUOTED and title >= TITLE_AGREES))  # fmt: skip
        return 1.0 + lead if sure else 0.0
    if shortest < MIN_TITLE:
        return 0.0  # a bare headline of three words is not evidence of a shared story
    return title if title >= TITLE_ALONE else 0.0


def _apart(first: Signature, second: Signature) -> bool:
    """Whether the leads tell two reports apart, whatever their words: different agencies'
    credits (corroboration, not a copy) or different weekdays (Friday's event is not
    Tuesday's)."""
    if first.wire and second.wire and first.wire != second.wire:
        return True
    return bool(first.days and second.days and not first.days & second.days)


def _told_apart(first: Signature, second: Signature) -> bool:
    """Whether alike words are still two reports: one a preview and the other not (the wire's
    "X is due to meet Y" and its "X met Y"), or one quoting words the other carries unquoted
    (a copy keeps the wire's quote marks; another agency's report tells it in its own voice)."""
    if first.ahead != second.ahead:
        return True
    if not (first.quoted or second.quoted):
        return False
    return bool((first.quoted - second.quoted) & second.pairs) or bool(
        (second.quoted - first.quoted) & first.pairs
    )


def _titles_agree(first: Signature, second: Signature) -> bool:
    # a page without a headline (or one rebuilt from a numeric URL) neither agrees nor objects
    if min(len(first.title), len(second.title)) < MIN_TITLE:
        return True
    return _contained(first.title, second.title) >= TITLE_AGREES


def same_story(first: Signature, second: Signature) -> bool:
    """Whether two signatures are copies of one story."""
    return likeness(first, second) > 0.0


class StoryIndex:
    """In-memory LSH index: the same matching the DynamoDB band slots give, for one poll and
    for the evaluation script."""

    def __init__(self) -> None:
        self._bands: dict[str, list[str]] = {}
        self._sigs: dict[str, Signature] = {}

    def match(self, sig: Signature) -> str | None:
        """The id of the most similar indexed story that `sig` is a copy of, or None."""
        # each candidate once, however many bands it shares: one key a band makes buckets of
        # common words' stories, and a story shares several with its copies
        bands = self._bands
        found = map(bands.get, sig._band_keys, itertools.repeat(()))
        stories = list(dict.fromkeys(itertools.chain.from_iterable(found)))
        scores = likenesses(sig, [self._sigs[story] for story in stories])
        best = max(scores, default=0.0)
        return stories[scores.index(best)] if best > 0.0 else None  # the first of the best

    def add(self, story_id: str, sig: Signature) -> None:
        """Index `sig` as the signature of story `story_id`."""
        self._sigs[story_id] = sig
        bands = self._bands
        for key in sig._band_keys:
            stories = bands.get(key)
            if stories is None:  # most keys: a new list only then, not one a key
                bands[key] = [story_id]
            else:
                stories.append(story_id)
