"""`tensionwatch score`: one text's reading with its evidence, or one JSON line per input line."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, Final, TextIO

import orjson

from tensionwatch.models import Score
from tensionwatch.scoring.outlets import home_of
from tensionwatch.scoring.scorer import MAX_BODY_CHARS, Scorer, default_scorer

EXIT_BAD_INPUT: Final = 1
EXIT_UNREADABLE: Final = 2
# The human reading lists the strongest few pieces of evidence and counts the rest.
EVIDENCE_SHOWN: Final = 12
# Bound once: from compiled code, `orjson.loads` is an attribute lookup on the module per call.
_LOADS: Final = orjson.loads
_DUMPS: Final = orjson.dumps


class LineError(ValueError):
    """One input line that cannot be scored; the message says why, never echoing the text."""

    def __init__(self, reason: str, record_id: Any = None) -> None:
        super().__init__(reason)
        self.record_id = record_id


def split_text(text: str) -> tuple[str, str]:
    """A plain text's headline (its first non-empty line) and body (the rest)."""
    stripped = text.strip()
    if "\n" not in stripped:  # one line: all headline
        return stripped, ""
    title, _, body = stripped.partition("\n")
    return title.strip(), body.strip()


def parse_line(raw: bytes) -> tuple[Any, str, str, str | None]:
    """The id, title, body and outlet's state (from an optional `url`) of one JSON line.
    Raises LineError naming what is wrong."""
    try:
        record = _LOADS(raw)
    except orjson.JSONDecodeError:
        record = _parse_leniently(raw)
    if not isinstance(record, dict):
        raise LineError("expected a JSON object")
    fields: dict[str, Any] = record
    record_id, text, url = fields.get("id"), fields.get("text"), fields.get("url")
    home = home_of(url) if isinstance(url, str) else None
    if isinstance(text, str):
        headline, rest = split_text(text)  # a tuple built whole: a starred one is a list first
        return record_id, headline, rest, home
    title, body = fields.get("title"), fields.get("body", "")
    if isinstance(title, str) and isinstance(body, str):
        return record_id, title, body, home
    raise LineError('missing "text" (or "title" and "body") as strings', record_id)


def _parse_leniently(raw: bytes) -> Any:
    """What orjson refuses, the json module may still read (integers beyond 64 bits, NaN, lone
    surrogate escapes); otherwise its error names the byte, line and column."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LineError(f"not valid UTF-8 (byte {error.start})") from None
    try:
        return json.loads(decoded)
    except json.JSONDecodeError as error:
        raise LineError(f"invalid JSON: {error.msg} at column {error.colno}") from None


def _id_json(record_id: Any) -> bytes:
    try:
        return _DUMPS(record_id)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, or a lone surrogate
        return json.dumps(record_id).encode()


def score_line(scorer: Scorer, raw: bytes) -> bytes:
    """One output JSON line (UTF-8), with its newline, for one input line. Raises LineError for
    bad input."""
    record_id, title, body, home = parse_line(raw)
    try:
        reading = scorer.score_json(title, body, home)
    except orjson.JSONEncodeError:  # only a lone surrogate in the text can fail to encode
        raise LineError(
            "text holds a lone surrogate (an unpaired \\ud800-\\udfff escape)", record_id
        ) from None
    return b"".join((b'{"id":', _id_json(record_id), b",", reading[1:], b"\n"))


def run_jsonl(stdin: BinaryIO, stdout: BinaryIO, stderr: TextIO, scorer: Scorer) -> int:
    """Score every JSON line of stdin; a bad line is reported and the rest still scored.

    Lines are read and written as bytes: orjson's output goes out as it is, never decoded
    only to be encoded again.
    """
    failed = 0
    write = stdout.write  # bound once: compiled code looks a method up by name per call
    for number, raw in enumerate(_lines(stdin), start=1):
        if not raw.strip():
            continue
        try:
            write(score_line(scorer, raw))
        except LineError as error:
            failed += 1
            report = {"id": error.record_id, "line": number, "error": str(error)}
            stdout.write(json.dumps(report).encode() + b"\n")
            stderr.write(f"tensionwatch score: line {number}: {error}\n")
    return EXIT_BAD_INPUT if failed else 0


def _lines(stdin: BinaryIO) -> Iterable[bytes]:
    for raw in stdin:
        yield raw.rstrip(b"\r\n")


def render(score: Score, text: str = "") -> str:
    """A human-readable reading: verdict line, then the strongest evidence with its sentence;
    `text`, the text read, to say when only its first part was."""
    lines = [
        f"direction: {score.direction}   score: {score.score:+.2f}   "
        f"confidence: {score.confidence:.2f}   dyad: {score.dyad or '-'}"
        + ("   (mixed)" if score.mixed else ""),
        f"countries: {', '.join(score.countries) or '-'}   lexicon: {score.lexicon_version}",
    ]
    cues = ", ".join(score.relevance.cues) or "no domain named"
    if not score.relevance.on_topic:
        lines.append(
            f"off-topic: {score.relevance.topic} ({cues}): not about relations between states"
        )
    else:
        grave = "   grave act (a flash may rest on it)" if score.grave else ""
        lines.append(f"relations ({cues}){grave}")
    for pair in score.pairs[1:]:
        lines.append(f"also about: {pair.dyad} {pair.direction} {pair.score:+.2f}")
    ranked = sorted(score.evidence, key=lambda e: -abs(e.weight))
    for item in ranked[:EVIDENCE_SHOWN]:
        rules = ", ".join(item.rules) or "-"
        lines.append(
            f'  {item.weight:+7.2f}  "{item.phrase}"  {item.category}'
            f" (base {item.base_weight:+.1f})"
            f"  [{item.field}; rules: {rules}]"
        )
        lines.append(f"           {item.sentence}")
    if len(ranked) > EVIDENCE_SHOWN:
        lines.append(f"  and {len(ranked) - EVIDENCE_SHOWN} more")
    if len(text) > MAX_BODY_CHARS:
        lines.append(f"note: read the first {MAX_BODY_CHARS:,} characters of {len(text):,}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, *, stdin: BinaryIO, stdout: TextIO, stderr: TextIO) -> int:
    """Entry point of `tensionwatch score`: exit 0, 1 if some input was bad, 2 if unreadable."""
    scorer = default_scorer()
    if args.jsonl:
        stdout.flush()
        if args.path == "-":
            return run_jsonl(stdin, stdout.buffer, stderr, scorer)
        try:
            with Path(args.path).open("rb") as lines:
                return run_jsonl(lines, stdout.buffer, stderr, scorer)
        except OSError as error:
            stderr.write(f"tensionwatch score: cannot read {args.path}: {error.strerror}\n")
            return EXIT_UNREADABLE
    try:
        raw = stdin.read() if args.path == "-" else Path(args.path).read_bytes()
        text = raw.decode("utf-8")
    except OSError as error:
        stderr.write(f"tensionwatch score: cannot read {args.path}: {error.strerror}\n")
        return EXIT_UNREADABLE
    except UnicodeDecodeError as error:
        stderr.write(f"tensionwatch score: {args.path} is not UTF-8 (byte {error.start})\n")
        return EXIT_UNREADABLE
    stdout.write(render(scorer.score(*split_text(text)), text))
    return 0
