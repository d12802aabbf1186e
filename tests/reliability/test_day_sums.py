"""The load started late in the evening, so the pairs' news crosses midnight: a batch that
moves a pair to the next day puts the bucket of the day it leaves, and sums the new open day
on the pair's state (store.dyad_batch). Every day a reader then sees (its `D#` bucket, or the
state's open day where that is the later sum: `dyad_items.with_open_day`) is the sum of that
day's hours, with the fault mix of test_faults as without. (The other loads start at
midnight and end within the day: no batch of theirs ever leaves a day.)"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

import boto3
import moto

from tensionwatch.signals.fold import added
from tensionwatch.signals.windows import Tally
from tensionwatch.store import dyad_items as items
from tests.reliability.load import Faults, run_load
from tests.reliability.test_conservation import CI_SIZE
from tests.reliability.test_faults import POLL, SCORE, SIZE

LATE = datetime(2026, 11, 2, 23, 30, tzinfo=UTC)  # CI_SIZE spans 1.5 hours from here, SIZE 1


def _pairs() -> dict[str, list[dict[str, Any]]]:
    """Every item of the DyadsTable, by pair."""
    client = boto3.client("dynamodb", region_name="us-east-1")
    [table] = [name for name in client.list_tables()["TableNames"] if "Dyads" in name]
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for page in client.get_paginator("scan").paginate(TableName=table):
        for item in page["Items"]:
            if item["pk"]["S"].startswith("DYAD#"):
                found[item["pk"]["S"]].append(item)
    return found


def _days_as_read(pair: list[dict[str, Any]]) -> tuple[dict[date, Tally], dict[date, Tally]]:
    """A pair's days as a reader sees them, and the sums of their hours."""
    hours: dict[date, Tally] = {}
    days: dict[date, Tally] = {}
    state = None
    for item in pair:
        sk = item["sk"]["S"]
        if sk.startswith("H#"):
            day = items.hour_of_sk(sk).date()
            hours[day] = added(hours.get(day), items.tally_of(item))
        elif sk.startswith("D#"):
            days[items.day_of_sk(sk)] = items.tally_of(item)
        elif sk == items.STATE_SK:
            state = item
    return items.with_open_day(days, items.open_day_of(state)), hours


def _days_off() -> tuple[list[str], int]:
    """Each pair's day whose sum a reader sees is not that of its hours; the pairs whose news
    spans more than one day."""
    off, crossing = [], 0
    for pk, pair in sorted(_pairs().items()):
        seen, hours = _days_as_read(pair)
        crossing += len(hours) > 1
        off += [f"{pk} {day}: read {seen.get(day)}, hours {total}"
                for day, total in hours.items() if seen.get(day) != total]  # fmt: skip
    return off, crossing


def test_a_load_over_midnight_leaves_each_day_the_sum_of_its_hours() -> None:
    with moto.mock_aws():
        books = run_load(CI_SIZE, start=LATE)
        off, crossing = _days_off()
    assert books.problems() == []
    assert crossing > 0, "the load must carry pairs over midnight"
    assert off == []


def test_faults_over_midnight_leave_each_day_the_sum_of_its_hours() -> None:
    faults = Faults(
        before=frozenset({(POLL, "dynamodb.Query Articles"), (POLL, "dynamodb.PutItem Articles"),
                          (SCORE, "dynamodb.Query"), (SCORE, "dynamodb.TransactWriteItems"),
                          (SCORE, "sns.Publish")}),
        after=frozenset({(SCORE, "sns.Publish"), (SCORE, "dynamodb.UpdateItem")}),
        rate=0.08,
    )  # fmt: skip
    with moto.mock_aws():
        books = run_load(SIZE, faults=faults, start=LATE)
        off, crossing = _days_off()
    assert books.problems() == []
    assert books.score_failures > 0, "injected score faults must fail records (then retry)"
    assert crossing > 0, "the load must carry pairs over midnight"
    assert off == []
