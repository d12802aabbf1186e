"""Accuracy, macro-F1, per-class precision/recall and confusion matrices of the scorer and of VADER
on the labelled sets in ../shared/eval. Run: `make eval` (or `python scripts/evaluate.py`).

Each text goes through the same parsing as `tensionwatch score --jsonl` ({"id","text"} lines).
`--errors SET` lists that set's misreadings, for error analysis by category.
"""

from __future__ import annotations

import argparse
import sys

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from _eval_data import LABELS, SETS, Example, Metrics, eval_dir_or_none, load_set, metrics
from tensionwatch.commands.score import split_text
from tensionwatch.scoring.scorer import default_scorer


def _ours(examples: list[Example]) -> list[str]:
    scorer = default_scorer()
    return [scorer.score(*split_text(example.text)).direction for example in examples]


def _vader(examples: list[Example]) -> list[str]:
    from _eval_data import vader_direction

    analyzer = SentimentIntensityAnalyzer()
    return [vader_direction(analyzer.polarity_scores(e.text)["compound"]) for e in examples]


def _report(name: str, size: int, ours: Metrics, vader: Metrics) -> None:
    print(f"\n== {name} ({size} texts)")
    print(f"{'':22}{'tensionwatch':>14}{'VADER':>10}")
    print(f"{'accuracy':22}{ours.accuracy:14.3f}{vader.accuracy:10.3f}")
    print(f"{'macro-F1':22}{ours.macro_f1:14.3f}{vader.macro_f1:10.3f}")
    for label in LABELS:
        print(
            f"{label + ' precision':22}{ours.precision[label]:14.3f}{vader.precision[label]:10.3f}"
        )
        print(f"{label + ' recall':22}{ours.recall[label]:14.3f}{vader.recall[label]:10.3f}")
    for title, result in (("tensionwatch", ours), ("VADER", vader)):
        print(f"  confusion ({title}), rows gold, columns predicted: {' '.join(LABELS)}")
        for gold in LABELS:
            cells = " ".join(f"{result.confusion[gold][p]:>5}" for p in LABELS)
            print(f"    {gold:>10} {cells}")


def _errors(name: str) -> None:
    examples = load_set(name)
    scorer = default_scorer()
    for example in examples:
        score = scorer.score(*split_text(example.text))
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
    parser.add_argument("--errors", choices=SETS, help="list this set's misreadings")
    args = parser.parse_args(argv)
    if eval_dir_or_none() is None:
        return 0
    if args.errors:
        _errors(args.errors)
        return 0
    summary = []
    for name in SETS:
        examples = load_set(name)
        gold = [e.label for e in examples]
        ours, vader = metrics(gold, _ours(examples)), metrics(gold, _vader(examples))
        _report(name, len(examples), ours, vader)
        summary.append((name, ours.macro_f1, vader.macro_f1))
    print("\nmacro-F1 summary: set, tensionwatch, VADER, margin")
    for name, ours_f1, vader_f1 in summary:
        print(f"  {name:22} {ours_f1:.3f}  {vader_f1:.3f}  {ours_f1 - vader_f1:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
