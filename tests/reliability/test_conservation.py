"""Load and conservation through the offline stack: every fetched item queued once, a duplicate,
or rejected; every queued article scored once or in the ScoreDLQ; every alert published once and
delivered once per matching subscription or in the DeliveryDLQ."""

from __future__ import annotations

import moto
import pytest

from tests.reliability.cost import prices, run_bill
from tests.reliability.load import Accounting, run_load

CI_SIZE = 120  # about 10 s here (moto's DynamoDB, patched by moto_speed.py, ~5 ms a call)
FULL_SIZE = 10_000  # the full-size run


def _check(books: Accounting) -> None:
    assert books.problems() == []
    assert books.total("rejected") >= len(books.load.malformed) > 0
    assert books.total("duplicates") > 0 and books.total("syndicated") > 0
    assert books.score_failures == 0 and not books.score_dlq, "a well-formed article failed"
    directions = {alert.direction for alert in books.alerts.values()}
    assert {"escalation", "thaw"} <= directions, "the load should fire alerts both ways"
    assert sum(books.slack.values()) == books.delivered_wanted("slack") > 0
    assert sum(books.webhook.values()) == books.delivered_wanted("webhook") > 0
    # The always-down feed fails every poll, visible in the poll's answer and its metrics;
    # the other five sources still deliver everything (problems() above).
    assert set(books.source_failures) == {"northstar-daily/feed"}
    assert books.metrics["SourceFailures"] == books.source_failures["northstar-daily/feed"]
    assert books.metrics["ArticlesRejected"] == books.total("rejected")
    _check_bill(books)


def _check_bill(books: Accounting) -> None:
    """The bill load_run.py prints last: every counted unit at its price, every function's
    time on the Lambda line."""
    got, ddb = run_bill(books), prices()["dynamodb"]
    units = {
        kind: sum(n for (_, k), n in books.units.items() if k == kind) for kind in ("RRU", "WRU")
    }
    assert units["WRU"] > 0 and units["RRU"] > 0
    assert got.dynamodb * 1e6 == pytest.approx(
        units["WRU"] * ddb["write_per_million_units"] + units["RRU"] * ddb["read_per_million_units"]
    )
    assert {"ScoreFunction", "PollFunction", "DeliverFunction"} <= set(books.invocations)
    assert books.memory_mb["ScoreFunction"] == 256 and got.lambda_ > 0 and got.sqs > 0


def test_a_small_load_balances_exactly() -> None:
    with moto.mock_aws():
        _check(run_load(CI_SIZE))


@pytest.mark.slow  # ~20 minutes and 1.4 GB here (docs/reliability.md); load_run.py prints it
def test_the_full_size_load_balances_exactly() -> None:
    with moto.mock_aws():
        _check(run_load(FULL_SIZE))
