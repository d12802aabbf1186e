"""DyadsTable items <-> the signal core's values: tallies, article refs, pair state.

Layout (pk, sk), every item under `DYAD#<pair>`:
- `H#<YYYY-MM-DDTHH>`: an hour's `Tally` (counters ADDed, outlet sets ADDed as digests) and
  `folds`, 6-byte digests of the articles folded into it (`hour_update`);
- `D#<YYYY-MM-DD>`: a day's `Tally`, for the trend window and the 30-day baseline: the sum of
  its hours, put whole, with no digests (`day_put`; days written before hold `folds` too),
  once it is no longer the pair's open day, which `STATE` sums (`OPEN_DAY`);
- `A#<hour ISO>#+<digest of their ids>`: what an alert cites of the articles a batch folded
  into the pair in that hour, one item, compressed (`citations_item`), read back by
  `citations_in` (which reads the older layouts too: a list of citations, or one citation
  an item under `A#<published ISO>#<article id>`);
- `STATE`: the pair's state and its open day's sum, written only conditionally on its
  `version`.

Two small indexes let a digest find the pairs it covers without a scan (`index_actions`), both
written only with a state change, never per article:
- `ACTIVE#<YYYY-MM-DD>`, `<pair>`: the pair had news on that day (event time; put when its
  latest article moves to a new day);
- `UNSTEADY`, `<pair>`: the pair is escalating or thawing (`state`, `since`); deleted when it is
  steady again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from tensionwatch.models import AlertEvidence
from tensionwatch.signals.alerts import ArticleRef
from tensionwatch.signals.state import PairState
from tensionwatch.signals.windows import Tally, hour_of
from tensionwatch.store.ddb import compressed, stored_text

STATE_SK = "STATE"
UNSTEADY_PK = "UNSTEADY"
_TALLY_FIELDS = [f.name for f in fields(Tally)]


def pair_pk(dyad: str) -> str:
    return f"DYAD#{dyad}"


def hour_sk(at: datetime) -> str:
    return f"H#{at:%Y-%m-%dT%H}"


def day_sk(day: date) -> str:
    return f"D#{day:%Y-%m-%d}"


def active_pk(day: date) -> str:
    return f"ACTIVE#{day:%Y-%m-%d}"


def hour_of_sk(sk: str) -> datetime:
    return datetime.fromisoformat(sk.removeprefix("H#") + ":00+00:00")


def day_of_sk(sk: str) -> date:
    return date.fromisoformat(sk.removeprefix("D#"))


def key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def number(value: float) -> str:
    """A float as DynamoDB N text, rounded so sums stay readable. Fixed-point: `normalize()`
    alone writes 10 as '1E+1', which moto's ADD (the offline stack) cannot parse."""
    return format(Decimal(str(round(value, 3))).normalize(), "f")


# A bucket's outlet sets hold 6-byte digests of the names (`short_digest`, binary sets in
# `<field>_d`): the names were most of a busy day bucket's bytes, which each fold rewrites and
# each baseline reads, and the signal only counts outlets, never names them (a collision among
# a pair's few hundred outlets, ~1e-10, would count two as one). Read back as hex text.
# Buckets written before hold the names themselves (`<field>`, string sets): read as their
# digests, so an outlet in both counts once.
DIGEST_SET_SUFFIX = "_d"


def tally_update(tally: Tally) -> tuple[str, dict[str, Any]]:
    """`ADD` clauses and values applying `tally` (zero and empty fields left out)."""
    return stored_update(stored_tally(tally))


def stored_tally(tally: Tally) -> Tally:
    """`tally` as a bucket holding only it reads back (`tally_of`): the score sum to the
    3 decimals written, the outlet sets as hex digests. What a batch folds in memory, so its
    decisions see the numbers the table would give them."""
    values: dict[str, Any] = {}
    for name in _TALLY_FIELDS:
        value = getattr(tally, name)
        if isinstance(value, frozenset):
            value = frozenset(short_digest(v).hex() for v in value)
        elif isinstance(value, float):
            value = float(number(value)) if value else 0.0
        values[name] = value
    return Tally(**values)


def stored_update(stored: Tally) -> tuple[str, dict[str, Any]]:
    """`ADD` clauses and values applying a `stored_tally` (zero and empty fields left out)."""
    attributes = tally_attributes(stored)
    clauses = [f"{name} :{name}" for name in attributes]
    return "ADD " + ", ".join(clauses), {f":{name}": value for name, value in attributes.items()}


def tally_attributes(stored: Tally) -> dict[str, Any]:
    """The attributes of a bucket holding exactly a `stored_tally` (zero and empty fields left
    out): its counters and sums, its outlet sets as binary digests (`<field>_d`)."""
    attributes: dict[str, Any] = {}
    for name in _TALLY_FIELDS:
        value = getattr(stored, name)
        if isinstance(value, frozenset):
            if value:
                digests = sorted(bytes.fromhex(v) for v in value)
                attributes[name + DIGEST_SET_SUFFIX] = {"BS": digests}
        elif value:
            attributes[name] = {"N": number(value)}
    return attributes


def tally_of(item: dict[str, Any]) -> Tally:
    """The tally a bucket item holds (absent attributes are zero or empty); its outlet sets
    as hex digests."""
    values: dict[str, Any] = {}
    for name, default in ((f.name, f.default) for f in fields(Tally)):
        attr = item.get(name)
        if isinstance(default, frozenset):
            digests = item.get(name + DIGEST_SET_SUFFIX, {}).get("BS", [])
            names = attr["SS"] if attr else []
            values[name] = frozenset(
                [bytes(d).hex() for d in digests] + [short_digest(n).hex() for n in names]
            )
        elif attr:
            values[name] = float(attr["N"]) if isinstance(default, float) else int(attr["N"])
    return Tally(**values)


def ref_of(item: dict[str, Any]) -> ArticleRef:
    """The citation an item of the older layouts holds; raises KeyError on another kind."""
    url, outlet = item["url"]["S"], item["outlet"]["S"]
    evidence = _evidence(json.loads(item["evidence"]["S"]), url, outlet)
    return ArticleRef(
        id=item["sk"]["S"].rsplit("#", 1)[1],
        title=item["title"]["S"],
        url=url,
        outlet=outlet,
        published_at=datetime.fromisoformat(item["published_at"]["S"]),
        story_id=item["story_id"]["S"],
        direction=item["direction"]["S"],
        score=float(item["score"]["N"]),
        evidence=evidence,
        # citations written before stories named several pairs are about theirs alone
        pairs=tuple(json.loads(item["pairs"]["S"])) if "pairs" in item else (),
    )


def _evidence(quotes: list[dict[str, Any]], url: str, outlet: str) -> tuple[AlertEvidence, ...]:
    """Stored quotes as evidence, each with its citation's link and outlet unless it has its
    own (quotes written before the compact layout carry theirs)."""
    own = {"article_url": url, "outlet": outlet}
    return tuple(AlertEvidence(**{**own, **quote}) for quote in quotes)


def _quote(evidence: AlertEvidence, ref: ArticleRef) -> dict[str, Any]:
    """A quote's fields, less the link and outlet when they are its citation's."""
    quote = evidence.model_dump()
    for name, own in (("article_url", ref.url), ("outlet", ref.outlet)):
        if quote[name] == own:
            del quote[name]
    return quote


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_TIMES = ("since", "latest", "last_sent", "thaw_flash_at", "escalation_flash_at")


def state_of(item: dict[str, Any] | None) -> PairState:
    """The pair state an item holds; the initial state for no item."""
    if not item:
        return PairState()
    times = {n: datetime.fromisoformat(item[n]["S"]) if n in item else None for n in _TIMES}
    return PairState(
        state=item["state"]["S"],
        version=int(item["version"]["N"]),
        pending=frozenset(item["pending"]["SS"]) if "pending" in item else frozenset(),
        **times,
    )


# The pair's open day (that of its latest article) is summed on its state item, which every
# batch writes anyway, instead of a day bucket put beside it each batch: its `D#` bucket is put
# once, when the pair's news moves to a later day (`tensionwatch.store.dyad_batch`).
OPEN_DAY = "open_day"


def open_day_value(day: date, stored: Tally) -> dict[str, Any]:
    """The state item's `open_day`: `day` and its sum (a `stored_tally`) as a bucket holds it."""
    return {"M": {"on": {"S": day.isoformat()}, **tally_attributes(stored)}}


class StateRead(NamedTuple):
    """A pair's state item as read: its state, and the open day it sums (None: none)."""

    state: PairState
    open_day: tuple[date, Tally] | None


def state_read(item: dict[str, Any] | None) -> StateRead:
    """What a state item (None: no item) holds."""
    return StateRead(state_of(item), open_day_of(item))


def open_day_of(item: dict[str, Any] | None) -> tuple[date, Tally] | None:
    """The open day a state item sums; None for none (a state written before, or no item)."""
    value = (item or {}).get(OPEN_DAY)
    if value is None:
        return None
    return date.fromisoformat(value["M"]["on"]["S"]), tally_of(value["M"])


def with_open_day(
    days: dict[date, Tally], open_day: tuple[date, Tally] | None
) -> dict[date, Tally]:
    """`days` (day buckets as read) with the state's open day where it is the later sum. Both
    are sums of the day's hours, which only ever gain folds, so the one of more articles is
    the later: the open day a batch wrote after the day's bucket, or the bucket a writer put
    after the open day (one that sums days in buckets: the one-by-one path, older code)."""
    if open_day is None:
        return days
    day, tally = open_day
    held = days.get(day)
    if held is not None and held.articles >= tally.articles:
        return days
    return dict(sorted({**days, day: tally}.items()))


def state_update(
    new: PairState, pending: list[str], open_day: tuple[date, Tally] | None = None
) -> tuple[str, dict[str, Any]]:
    """`SET` of every field but `pending` (only ever ADDed and DELETEd, so concurrent flushes
    and transitions do not overwrite each other), the version bump, and the open day when
    given (a `stored_tally` of its hours; else it is left as it is)."""
    sets = ["#state = :state", "version = :version"]
    values: dict[str, Any] = {":state": {"S": new.state}, ":version": {"N": str(new.version)}}
    if open_day is not None:
        sets.append(f"{OPEN_DAY} = :open_day")
        values[":open_day"] = open_day_value(*open_day)
    removes = []
    for name in _TIMES:
        value = getattr(new, name)
        if value is None:
            removes.append(name)
        else:
            sets.append(f"{name} = :{name}")
            values[f":{name}"] = {"S": value.astimezone(UTC).isoformat()}
    expression = "SET " + ", ".join(sets)
    if removes:
        expression += " REMOVE " + ", ".join(removes)
    if pending:
        expression += " ADD pending :pending"
        values[":pending"] = {"SS": sorted(pending)}
    return expression, values


# An article's mark in its hour bucket's `folds` set: `short_digest` of its id, 6 bytes an
# article (16 as the hex ids of `folded` did): two of one pair's 1,000 articles of an hour
# sharing one is a 2e-9 chance (the later would not fold).
DIGEST_BYTES = 6  # 48 bits of a BLAKE2b hash
# Buckets written before the digests hold the first 16 characters of each id in `folded`;
# the condition keeps asking it, so a redelivery of such an article (SQS keeps a message 14
# days) still folds nothing twice.
LEGACY_ID_CHARS = 16


def short_digest(text: str) -> bytes:
    """What a bucket keeps of an article id (its `folds`) or an outlet name (its outlet sets)."""
    return hashlib.blake2b(text.encode(), digest_size=DIGEST_BYTES).digest()


def hour_update(
    table: str, dyad: str, at: datetime, tally: Tally, expires: int, *, article_id: str
) -> dict[str, Any]:
    """`batch_bucket_update` of one article into the hour it was published `at`, asking the
    legacy `folded` ids too: the hour bucket makes its fold happen once (its day is their sum,
    `day_put`)."""
    return batch_bucket_update(table, dyad, hour_sk(at), stored_tally(tally),
                               [short_digest(article_id)], expires=expires,
                               legacy_ids=[article_id[:LEGACY_ID_CHARS]])  # fmt: skip


def day_hours(day: date) -> tuple[str, str]:
    """The sort keys of a day's first and last hour bucket."""
    first = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    return hour_sk(first), hour_sk(first.replace(hour=23))


def day_put(
    table: str, dyad: str, day: date, stored: Tally, read: int | None, *, expires: int
) -> dict[str, Any]:
    """A PutItem writing `day`'s bucket as the sum of its hours (`stored`, a `stored_tally`),
    on the condition that the bucket still holds the `read` articles it held when its hours
    were summed (None: no bucket then). A day bucket keeps no digests: the hours' buckets make
    each fold happen once, and the day is their sum, so it grows with its outlets, not its
    articles; a run whose sum is stale (another folded into the day since it read) is refused
    and reads the pair again."""
    item = key(pair_pk(dyad), day_sk(day)) | tally_attributes(stored)
    item["expires_at"] = {"N": str(expires)}
    if read is None:
        return {"TableName": table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}
    # a bucket without `articles` reads as 0 (`tally_of`): the condition reads it so too
    held = "articles = :read" if read else "(attribute_not_exists(articles) OR articles = :read)"
    return {"TableName": table, "Item": item, "ConditionExpression": held,
            "ExpressionAttributeValues": {":read": {"N": str(read)}}}  # fmt: skip


def marks_of(item: dict[str, Any]) -> frozenset[bytes]:
    """The digests of the articles a bucket item folded (`folds`; a bucket written before
    the digests keeps ids instead: `legacy_ids_of`)."""
    return frozenset(bytes(d) for d in item.get("folds", {}).get("BS", []))


def legacy_ids_of(item: dict[str, Any]) -> frozenset[str]:
    """The id prefixes a bucket written before the digests keeps in `folded`."""
    return frozenset(item.get("folded", {}).get("SS", []))


def batch_bucket_update(
    table: str,
    dyad: str,
    sk: str,
    stored: Tally,
    digests: list[bytes],
    *,
    expires: int,
    legacy_ids: Sequence[str] = (),
) -> dict[str, Any]:
    """One UpdateItem ADDing a batch's folds into one bucket: their summed `stored_tally` and
    their digests, on the condition that none of the digests is there yet (the batch read the
    bucket and found none; a concurrent run that folded one since fails the whole update, and
    the caller folds them one by one instead), nor any of `legacy_ids` in `folded`."""
    expression, values = stored_update(stored)
    marks = {f":m{i}": {"B": digest} for i, digest in enumerate(digests)}
    olds = {f":l{i}": {"S": ident} for i, ident in enumerate(legacy_ids)}
    condition = " AND ".join([*(f"NOT contains(folds, {name})" for name in marks),
                              *(f"NOT contains(folded, {name})" for name in olds)])  # fmt: skip
    values |= {":e": {"N": str(expires)}, ":folds": {"BS": sorted(digests)}, **marks, **olds}
    return {"TableName": table, "Key": key(pair_pk(dyad), sk),
            "UpdateExpression": expression.replace("ADD ", "ADD folds :folds, ", 1)
            + " SET expires_at = :e",
            "ConditionExpression": condition, "ExpressionAttributeValues": values}  # fmt: skip


def citation_item(dyad: str, ref: ArticleRef, expires: int) -> dict[str, Any]:
    """One article's citation under its pair, as a batch writes its citations of an hour."""
    return citations_item(dyad, [ref], expires)


def citation_sk(ref: ArticleRef) -> str:
    return f"A#{ref.published_at.isoformat()}#{ref.id}"


# A write unit is a kilobyte and a citation about 600 bytes: a batch writes a pair's citations
# of an hour as one item, its citations' fields as compressed compact JSON (`packed`, zlib: the
# quotes repeat their sentences and the keys repeat), so an item of one or two costs one unit,
# not two. The item sorts first in its hour, so a range of citations is read from its first
# hour's start (`citations_low`).
PACKED_MARK = "+"


def citations_item(dyad: str, refs: list[ArticleRef], expires: int) -> dict[str, Any]:
    """Citations of `dyad` published in one hour as one item, keyed by the hour and their ids
    (a repeat of the same batch writes the same item; `citations_in` drops a citation another
    item holds too)."""
    hour = hour_of(refs[0].published_at).isoformat()
    ids = short_digest("\n".join(sorted(ref.id for ref in refs))).hex()
    records = [[citation_sk(ref), *_record(ref)] for ref in refs]
    return {**key(pair_pk(dyad), f"A#{hour}#{PACKED_MARK}{ids}"),
            "packed": compressed(_compact(records)),
            "expires_at": {"N": str(expires)}}  # fmt: skip


def stored_ref(ref: ArticleRef) -> ArticleRef:
    """`ref` as `citations_in` gives it back from its item (numbers as stored, quotes as
    kept), without the item's compression: what a batch's decisions cite before it writes."""
    return _from_record(citation_sk(ref), json.loads(_compact(_record(ref))))


def _record(ref: ArticleRef) -> list[Any]:
    """A citation's fields for `packed`, in `_from_record`'s order: its quotes less the link and
    outlet they repeat, its story's id empty when it is its own story."""
    quotes = [_quote(e, ref) for e in ref.evidence]
    story = "" if ref.story_id == ref.id else ref.story_id
    return [ref.title, ref.url, ref.outlet, story, ref.direction, number(ref.score), quotes,
            list(ref.pairs)]  # fmt: skip


def _from_record(sk: str, fields_: list[Any]) -> ArticleRef:
    """The citation `_record` packed under `sk`."""
    title, url, outlet, story, direction, score, quotes, pairs = fields_
    _, published, ident = sk.split("#", 2)
    return ArticleRef(ident, title, url, outlet, datetime.fromisoformat(published),
                      story or ident, direction, float(score), _evidence(quotes, url, outlet),
                      tuple(pairs))  # fmt: skip


def citations_low(start: datetime) -> str:
    """The lowest sort key a query for citations published from `start` must read."""
    return f"A#{hour_of(start).isoformat()}"


def citations_in(found: list[dict[str, Any]], start: datetime, end: datetime) -> list[ArticleRef]:
    """The citations published in [start, end] that `found` holds (items of one citation or
    of several), each once, in the order of their keys."""
    low, high = f"A#{start.isoformat()}", f"A#{end.isoformat()}~"
    refs: dict[str, ArticleRef] = {}
    for item in found:
        if "packed" in item:
            for sk, *fields_ in json.loads(stored_text(item["packed"])):
                if low <= sk <= high:
                    refs[sk] = _from_record(sk, fields_)
            continue
        # items written before `packed`: a list of citations, or one
        for cited in [m["M"] for m in item["refs"]["L"]] if "refs" in item else [item]:
            if low <= (sk := cited["sk"]["S"]) <= high:
                refs[sk] = ref_of(cited)
    return [refs[sk] for sk in sorted(refs)]


def index_actions(
    table: str, dyad: str, prev: PairState, new: PairState, expires: int
) -> list[dict[str, Any]]:
    """Puts (and a delete) keeping the digest's pair indexes in step with a state write: the
    day index when the pair's latest article reaches a new day, the unsteady index when its
    state changes. Unconditional: a repeat writes the same items."""
    actions: list[dict[str, Any]] = []
    day = new.latest.date() if new.latest else None
    if day and (prev.latest is None or prev.latest.date() != day):
        item = {**key(active_pk(day), dyad), "expires_at": {"N": str(expires)}}
        actions.append({"Put": {"TableName": table, "Item": item}})
    if new.state != prev.state:
        if new.state == "steady":
            actions.append({"Delete": {"TableName": table, "Key": key(UNSTEADY_PK, dyad)}})
        else:
            item = {**key(UNSTEADY_PK, dyad), "state": {"S": new.state}}
            if new.since:
                item["since"] = {"S": new.since.astimezone(UTC).isoformat()}
            actions.append({"Put": {"TableName": table, "Item": item}})
    return actions
