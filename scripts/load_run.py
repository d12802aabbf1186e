"""Run the reliability load at a chosen size through the offline stack and print the tables:
conservation (must balance exactly), throughput, AWS calls per article and per alert, and the
Powertools metrics the handlers emitted.

    .venv/bin/python scripts/load_run.py --size full     # 10,000 items
    .venv/bin/python scripts/load_run.py --size 300      # CI's size
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

from tests import source_only  # noqa: E402

# The scorer from source, as Lambda runs it (its compute is on the bill); --compiled loads the
# mypyc extensions `make compile` builds for the command line.
if "--compiled" not in sys.argv:
    source_only.install()

import tests.conftest  # noqa: E402,F401  (fake credentials before any boto3 client)
from tests.reliability.cost import run_bill  # noqa: E402
from tests.reliability.load import Accounting, run_load  # noqa: E402

FULL = 10_000  # the full size
# A guard for a shared machine: a runaway run gets a MemoryError instead of starving the others.
# (Unpatched moto copied whole tables per transaction action and reached 17 GB at full size;
# tests/reliability/moto_speed.py removed that.)
MEMORY_CAP_BYTES = 6 * 1024**3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="full", help="'full' (10,000) or a number of items")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--compiled", action="store_true", help="the scorer's mypyc extensions (not Lambda's)"
    )
    args = parser.parse_args()
    size = FULL if args.size == "full" else int(args.size)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP_BYTES, MEMORY_CAP_BYTES))
    logging.disable(logging.WARNING)  # the books carry the failures; keep the tables readable
    import moto

    with moto.mock_aws():
        books = run_load(size, args.seed)
    print_tables(books)
    problems = books.problems()
    for problem in problems[:20]:
        print("IMBALANCE:", problem)
    print("conservation:", "BALANCED" if not problems else f"{len(problems)} imbalances")
    per_million = run_bill(books).scaled(1e6 / max(1, len(books.queued)))
    print(
        f"cost per million articles: ${per_million.total:.2f} (DynamoDB "
        f"${per_million.dynamodb:.2f}, Lambda ${per_million.lambda_:.2f}, SQS "
        f"${per_million.sqs:.2f}, SNS ${per_million.sns:.2f})"
    )
    return 1 if problems else 0


def print_tables(books: Accounting) -> None:
    load, articles, alerts = books.load, len(books.queued), max(1, len(books.published))
    rows = [
        ("items generated", len(load.copies)),
        ("  well-formed (distinct URLs)", len(load.valid)),
        ("  syndicated copies generated", load.syndicated),
        ("  malformed (linkless) generated", len(load.malformed)),
        ("simulated span (hours)", round(load.span.total_seconds() / 3600, 1)),
        ("polls", len(books.polls)),
        ("fetched (well-formed, with re-reads)", books.total("fetched")),
        ("  queued", books.total("queued")),
        ("  duplicates (already seen)", books.total("duplicates")),
        ("  unsent (retried by the next poll)", books.total("unsent")),
        ("  abandoned by a failed hand-off (re-read)", books.abandoned()),
        ("rejected entries (no usable link, with re-reads)", books.total("rejected")),
        ("  distinct malformed items rejected", len(books.rejected)),
        ("queued as syndicated copies (story_id != id)", books.total("syndicated")),
        ("distinct articles queued", articles),
        ("articles scored once", sum(1 for n in books.scored.values() if n == 1)),
        ("score record failures (retried)", books.score_failures),
        ("ScoreDLQ", sum(books.score_dlq.values())),
        ("alerts published (distinct)", len(books.published)),
        (
            "Slack deliveries / wanted",
            f"{sum(books.slack.values())} / {books.delivered_wanted('slack')}",
        ),
        (
            "webhook deliveries / wanted",
            f"{sum(books.webhook.values())} / {books.delivered_wanted('webhook')}",
        ),
        ("DeliveryDLQ", sum(books.delivery_dlq.values())),
        ("alert ledger (AlertsTable records by status)", dict(books.ledger)),
        ("source failures (poll answers)", dict(books.source_failures)),
        ("wall seconds (run phase)", round(books.seconds, 1)),
        ("throughput (articles queued+scored / s)", round(articles / books.seconds, 1)),
        (
            "peak RSS of this process (MB)",
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        ),
    ]
    _table("Conservation and throughput", rows)
    by_function: Counter[str] = Counter()
    for (function, _), n in books.calls.items():
        by_function[function] += n
    _table(
        "AWS calls by function (per article / per alert)",
        [
            (f, f"{n}  ({n / articles:.2f} / {n / alerts:.1f})")
            for f, n in by_function.most_common()
        ],
    )
    _table(
        "AWS calls by operation (per article)",
        [(f"{f} {op}", f"{n}  ({n / articles:.2f})") for (f, op), n in books.calls.most_common()],
    )
    units = sorted(books.units.items()) + [
        (("all functions", kind), sum(n for (_, k), n in books.units.items() if k == kind))
        for kind in ("RRU", "WRU")
    ]
    _table(
        "DynamoDB capacity units, on-demand rules (per article / per alert)",
        [
            (f"{f} {kind}", f"{n:.0f}  ({n / articles:.2f} / {n / alerts:.1f})")
            for (f, kind), n in units
        ],
    )
    _table(
        "DynamoDB capacity units by operation (per article)",
        [
            (f"{f} {op} {kind}", f"{n:.0f}  ({n / articles:.2f})")
            for (f, op, kind), n in books.operation_units.most_common()
            if n
        ],
    )
    _table(
        "DynamoDB write units by item written (per article)",
        [
            (f"{f} {kind}", f"{n:.0f}  ({n / articles:.2f})")
            for (f, kind), n in books.item_units.most_common()
        ],
    )
    _table("Powertools metrics (sum of EMF values)", sorted(books.metrics.items()))
    _table(
        "Lambda: invocations, own compute (handler less AWS calls), template memory",
        [
            (f, f"{n} invocations, {compute_ms(books, f) / n:.1f} ms compute each, "
                f"{books.memory_mb.get(f, 0)} MB")
            for f, n in books.invocations.most_common()
        ],
    )  # fmt: skip


def compute_ms(books: Accounting, function: str) -> float:
    return 1000 * max(0.0, books.handler_seconds[function] - books.call_seconds[function])


def _table(title: str, rows: list[tuple[str, object]]) -> None:
    print(f"\n{title}\n" + "-" * len(title))
    width = max(len(name) for name, _ in rows) if rows else 0
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    raise SystemExit(main())
