"""Accuracy, macro-F1, per-class precision/recall and confusion matrices of the scorer and of VADER
on the labelled sets in ../shared/eval. Run: `make eval` (or `python scripts/evaluate.py`).

Each text goes through the same parsing as `tensionwatch score --jsonl` ({"id","text"} lines, a
real headline's `url` naming its outlet's state).
`--errors SET` lists that set's misreadings, for error analysis by category.
"""

from __future__ import annotations

import argparse
import sys

from _eval_data import (
    HEADLINE_SETS,
    OFFTOPIC_SETS,
    SETS,
    Example,
    eval_dir_or_none,
    load_pairs,
    load_set,
    metrics,
    print_metrics,
    vader_directions,
)
from tensionwatch.commands.score import split_text
from tensionwatch.models import Score
from tensionwatch.scoring.outlets import home_of
from tensionwatch.scoring.scorer import default_scorer
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.windows import contribution


def _readings(examples: list[Example]) -> list[Score]:
    scorer = default_scorer()
    return [scorer.score(*split_text(example.text), home_of(example.url)) for example in examples]


def _ours(examples: list[Example]) -> list[str]:
    return [reading.direction for reading in _readings(examples)]


def _could_flash(reading: Score, config: SignalConfig) -> bool:
    """A reading the signal would count as a flash's peak story, by the signal's own rule."""
    tally = contribution(
        reading.direction, reading.score, "eval", copy=False, grave=reading.grave, config=config
    )
    return tally.thaw_peaks + tally.escalation_peaks > 0


def _offtopic_report(name: str) -> tuple[float, int, float]:
    """Share read as thaw or escalation, how many could peak a flash, and VADER's share."""
    examples = load_set(name)
    readings = _readings(examples)
    fired = [r for r in readings if r.direction != "neutral"]
    paired = sum(1 for r in fired if r.pairs)
    flash = sum(_could_flash(r, SignalConfig()) for r in readings)
    vader = [v for v in vader_directions([e.text for e in examples]) if v != "neutral"]
    share, vader_share = len(fired) / len(examples), len(vader) / len(examples)
    print(f"\n== {name} ({len(examples)} texts, every one off-topic: neutral is right)")
    print(f"{'':22}{'tensionwatch':>14}{'VADER':>10}")
    print(f"{'read thaw/escalation':22}{share:14.3f}{vader_share:10.3f}")
    print(f"{'  of them with a pair':22}{paired / len(examples):14.3f}{'':>10}")
    print(f"{'could peak a flash':22}{flash:14d}{'':>10}")
    topics = sorted({r.relevance.topic for r in readings})
    for topic in topics:
        count = sum(r.relevance.topic == topic for r in readings)
        print(f"  read as topic {topic!r}: {count}")
    return share, flash, vader_share


def _pair_report(name: str) -> tuple[float, float]:
    """On the thaw and escalation headlines that name their pair: the share whose reading's
    `dyad` is that pair, and the share that has it among its pairs."""
    examples = load_set(name)
    wanted = load_pairs(name)
    moving = [e for e in examples if e.label != "neutral" and e.id in wanted]
    readings = _readings(moving)
    first = sum(r.dyad == wanted[e.id] for e, r in zip(moving, readings, strict=True))
    among = sum(
        any(p.dyad == wanted[e.id] for p in r.pairs) for e, r in zip(moving, readings, strict=True)
    )
    print(f"  pair named ({len(moving)} thaw/escalation headlines naming two countries):")
    print(f"    as the dyad {first / len(moving):.3f}, among the pairs {among / len(moving):.3f}")
    return first / len(moving), among / len(moving)


def _errors(name: str) -> None:
    examples = load_set(name)
    scorer = default_scorer()
    for example in examples:
        score = scorer.score(*split_text(example.text), home_of(example.url))
        if score.direction != example.label:
            found = "; ".join(
                f"{e.phrase}({e.weight:+.1f},{','.join(e.rules)})" for e in score.evidence
            )
            print(
                f"{example.label[:4]}<-{score.direction[:4]} {score.score:+5.1f} | {example.text}"
            )
            print(f"            {found or '-'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--errors", choices=SETS + HEADLINE_SETS + OFFTOPIC_SETS, help="list this set's misreadings"
    )
    args = parser.parse_args(argv)
    if eval_dir_or_none() is None:
        return 0
    if args.errors:
        _errors(args.errors)
        return 0
    summary = []
    for name in SETS + HEADLINE_SETS:
        examples = load_set(name)
        gold = [e.label for e in examples]
        vader = metrics(gold, vader_directions([e.text for e in examples]))
        ours = metrics(gold, _ours(examples))
        print_metrics(name, len(examples), ours, vader)
        if name in HEADLINE_SETS:
            _pair_report(name)
        summary.append((name, ours.macro_f1, vader.macro_f1))
    print("\nmacro-F1 summary: set, tensionwatch, VADER, margin")
    for name, ours_f1, vader_f1 in summary:
        print(f"  {name:22} {ours_f1:.3f}  {vader_f1:.3f}  {ours_f1 - vader_f1:+.3f}")
    offtopic = [(name, *_offtopic_report(name)) for name in OFFTOPIC_SETS]
    print("\noff-topic summary: set, read thaw/escalation (ours, VADER), could peak a flash")
    for name, share, flash, vader_share in offtopic:
        print(f"  {name:22} {share:.3f}  {vader_share:.3f}  {flash}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
