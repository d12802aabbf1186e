"""Claim transactions: chunking, merging set updates, sorting cancellations (recording fake)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from tensionwatch.store.txn import TXN_MAX_ACTIONS, Action, TxnWriter


class RecordingClient:
    """Answers each transact_write_items with the next scripted cancellation, else success."""

    def __init__(self, *cancellations: list[str]) -> None:
        self.calls: list[list[dict[str, Any]]] = []
        self._cancellations = list(cancellations)

    def transact_write_items(self, TransactItems: list[dict[str, Any]]) -> None:
        self.calls.append(TransactItems)
        if self._cancellations:
            codes = self._cancellations.pop(0)
            raise ClientError(
                {"Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
                 "CancellationReasons": [{"Code": c} for c in codes]},  # type: ignore[typeddict-unknown-key]
                "TransactWriteItems",
            )  # fmt: skip


def put(ident: str) -> Action:
    return Action({"Put": {"Item": {"pk": {"S": ident}}}}, conditional=True)


def story_update(story: str, copy: str) -> Action:
    return Action(
        {
            "Update": {
                "Key": {"pk": {"S": story}},
                "ExpressionAttributeValues": {":v": {"SS": [copy]}},
            }
        },
        merge_key=story,
        orphans_on_failure=True,
    )


def test_chunks_stay_within_the_transaction_limit() -> None:
    client = RecordingClient()
    result = TxnWriter(client).write([(str(i), [put(str(i))]) for i in range(250)])
    assert [len(call) for call in client.calls] == [TXN_MAX_ACTIONS, TXN_MAX_ACTIONS, 50]
    assert len(result.done) == 250


def test_updates_of_one_story_are_merged_into_one_action() -> None:
    client = RecordingClient()
    TxnWriter(client).write([(c, [put(c), story_update("story", c)]) for c in ("copy-a", "copy-b")])
    (call,) = client.calls
    updates = [a for a in call if "Update" in a]
    assert len(updates) == 1
    assert updates[0]["Update"]["ExpressionAttributeValues"][":v"]["SS"] == ["copy-a", "copy-b"]


def test_lost_condition_drops_that_claim_and_writes_the_rest() -> None:
    client = RecordingClient(["None", "ConditionalCheckFailed", "None"])
    result = TxnWriter(client).write([(i, [put(i)]) for i in ("a", "b", "c")])
    assert result.lost == ["b"]
    assert result.done == ["a", "c"]
    assert len(client.calls[1]) == 2


def test_vanished_story_orphans_all_its_copies() -> None:
    client = RecordingClient(["None", "ConditionalCheckFailed", "None"])  # [put, update, put]
    result = TxnWriter(client).write(
        [(c, [put(c), story_update("story", c)]) for c in ("copy-a", "copy-b")]
    )
    assert sorted(result.orphaned) == ["copy-a", "copy-b"]
    assert result.done == []


def test_conflicts_are_retried_then_reported_failed() -> None:
    waits: list[float] = []
    client = RecordingClient(*[["TransactionConflict"]] * 5)
    result = TxnWriter(client, sleep=waits.append).write([("a", [put("a")])])
    assert result.failed == ["a"]
    assert len(client.calls) == 3
    assert len(waits) == 2


def test_a_conflict_that_clears_writes_everything() -> None:
    client = RecordingClient(["TransactionConflict"])
    result = TxnWriter(client, sleep=lambda s: None).write([("a", [put("a")])])
    assert result.done == ["a"]
