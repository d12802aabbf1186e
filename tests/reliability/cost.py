"""The load run's bill: its measured DynamoDB units and AWS calls, and its functions' measured
compute, at the prices of `infra/prices.toml`. Pure arithmetic on the books' counters.

Lambda is the one line not measured whole offline: a function's own compute is measured (wall
time in its handler less the time inside its AWS calls, which are moto here), scaled to the
vCPU share its memory size buys, plus a stated latency per AWS call it waits on.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.reliability.load import Accounting

PRICES = Path(__file__).resolve().parents[2] / "infra" / "prices.toml"
# A receive that found its queue empty: what the event source mapping's pollers do all the
# time, whatever the load (the idle long polls, ~$0.52 a month in docs/performance.md's table),
# so it is counted apart from the calls an article causes and not billed per article.
IDLE_RECEIVE = "sqs.ReceiveMessage (empty)"


def prices() -> dict[str, Any]:
    return tomllib.loads(PRICES.read_text())


@dataclass(frozen=True)
class Bill:
    """Dollars of one run by service."""

    dynamodb: float
    lambda_: float
    sqs: float
    sns: float

    @property
    def total(self) -> float:
        return self.dynamodb + self.lambda_ + self.sqs + self.sns

    def scaled(self, factor: float) -> Bill:
        return Bill(self.dynamodb * factor, self.lambda_ * factor, self.sqs * factor,
                    self.sns * factor)  # fmt: skip


def lambda_seconds(
    function: str,
    memory_mb: int,
    calls: Counter[tuple[str, str]],
    compute_seconds: float,
    price: dict[str, Any],
) -> float:
    """Billed seconds of `function` over the run at `memory_mb`."""
    latency = price["lambda"]["call_latency_ms"]
    waiting = 0.0
    for (caller, op), n in calls.items():
        if caller == function:
            waiting += n * latency.get(op, latency[op.split(".")[0]]) / 1000
    cpu_share = min(1.0, memory_mb / price["lambda"]["full_vcpu_mb"])
    return compute_seconds / cpu_share + waiting


def bill(
    units: Counter[tuple[str, str]],
    calls: Counter[tuple[str, str]],
    invocations: Counter[str],
    compute_seconds: dict[str, float],
    memory_mb: dict[str, int],
    price: dict[str, Any] | None = None,
) -> Bill:
    """The run's bill. `units`: (function, RRU|WRU) -> units; `calls`: (function, op) ->
    calls; `compute_seconds`: a function's own compute; `memory_mb`: its memory size."""
    price = price or prices()
    ddb = price["dynamodb"]
    writes = sum(n for (_, kind), n in units.items() if kind == "WRU")
    reads = sum(n for (_, kind), n in units.items() if kind == "RRU")
    dynamodb = (writes * ddb["write_per_million_units"]
                + reads * ddb["read_per_million_units"]) / 1e6  # fmt: skip
    lam = price["lambda"]
    gb_seconds = sum(
        memory_mb[f] / 1024 * lambda_seconds(f, memory_mb[f], calls, compute_seconds[f], price)
        for f in invocations
    )
    lambda_ = (gb_seconds * lam["per_gb_second"]
               + sum(invocations.values()) * lam["per_million_requests"] / 1e6)  # fmt: skip
    sqs_requests = sum(
        n for (_, op), n in calls.items() if op.startswith("sqs.") and op != IDLE_RECEIVE
    )
    publishes = sum(n for (_, op), n in calls.items() if op == "sns.Publish")
    return Bill(
        dynamodb=dynamodb,
        lambda_=lambda_,
        sqs=sqs_requests * price["sqs"]["per_million_requests"] / 1e6,
        sns=publishes * price["sns"]["per_million_publishes"] / 1e6,
    )


def run_bill(books: Accounting) -> Bill:
    """A load run's bill: its measured units and calls, and its functions' own compute."""
    compute = {f: max(0.0, books.handler_seconds[f] - books.call_seconds[f])
               for f in books.invocations}  # fmt: skip
    return bill(books.units, books.calls, books.invocations, compute, books.memory_mb)
