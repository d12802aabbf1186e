"""Shared by evaluate.py and bench_throughput.py: where the labelled sets are, and the metrics."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"
EVAL_DIR = SHARED_DIR / "eval"
SETS = ("cameo_sentences", "plover_gsr_sentences", "conflibert_train")
# Real news: headlines and leads about relations between two states (labelled like the sets
# above), and headlines that name countries but are not about relations (all neutral).
HEADLINE_SETS = ("headlines_dev",)
OFFTOPIC_SETS = ("offtopic_dev",)
LABELS = ("thaw", "escalation", "neutral")
# vaderSentiment's own documented cut-offs for positive / negative compound scores.
VADER_THRESHOLD = 0.05


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    label: str
    url: str = ""  # the page a real headline came from: its outlet's state reads unnamed offices


def eval_dir_or_none() -> Path | None:
    """../shared/eval beside the project, or None (with the reason printed) on a fresh clone."""
    if not EVAL_DIR.is_dir():
        print(f"skipped: {EVAL_DIR} is absent (the labelled sets live beside the project)")
        return None
    return EVAL_DIR


def load_set(name: str) -> list[Example]:
    """One labelled set's examples."""
    lines = (EVAL_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [Example(row["id"], row["text"], row["direction"], row.get("url") or "") for row in rows]


def load_pairs(name: str) -> dict[str, str]:
    """Per id, the pair a labelled headline is about ("JP-KR"), where it names two countries."""
    lines = (EVAL_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return {
        row["id"]: "-".join(sorted(row["countries"]))
        for row in rows
        if len(row.get("countries") or ()) == 2
    }


def vader_directions(texts: Sequence[str]) -> list[str]:
    """VADER's reading of each text, as one of the three labels."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return [vader_direction(analyzer.polarity_scores(text)["compound"]) for text in texts]


def vader_direction(compound: float) -> str:
    """VADER's compound score mapped to the three labels."""
    if compound >= VADER_THRESHOLD:
        return "thaw"
    if compound <= -VADER_THRESHOLD:
        return "escalation"
    return "neutral"


@dataclass(frozen=True)
class Metrics:
    accuracy: float
    macro_f1: float
    precision: dict[str, float]
    recall: dict[str, float]
    confusion: dict[str, dict[str, int]]  # gold -> predicted -> count


def metrics(gold: Sequence[str], predicted: Sequence[str]) -> Metrics:
    """Accuracy, macro-F1 over the three labels, per-class precision/recall, confusion matrix."""
    confusion = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    precision, recall, f1s = {}, {}, []
    for label in LABELS:
        hit = confusion[label][label]
        said = sum(confusion[g][label] for g in LABELS)
        true = sum(confusion[label].values())
        precision[label] = hit / said if said else 0.0
        recall[label] = hit / true if true else 0.0
        both = precision[label] + recall[label]
        f1s.append(2 * precision[label] * recall[label] / both if both else 0.0)
    accuracy = sum(confusion[label][label] for label in LABELS) / max(len(gold), 1)
    return Metrics(accuracy, sum(f1s) / len(f1s), precision, recall, confusion)


def print_metrics(name: str, size: int, ours: Metrics, vader: Metrics) -> None:
    """Our metrics beside VADER's on one set, then both confusion matrices."""
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
