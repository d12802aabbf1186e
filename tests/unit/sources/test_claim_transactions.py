"""Claim transactions: chunking, merging set updates, sorting cancellations (recording fake)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from tensionwatch.store.articles import ArticleStore, Claim
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
    return Action({"Put": {"Item": {"pk": {"S": ident}}}})


def test_chunks_stay_within_the_transaction_limit() -> None:
    client = RecordingClient()
    result = TxnWriter(client).write([(str(i), [put(str(i))]) for i in range(250)])
    assert [len(call) for call in client.calls] == [TXN_MAX_ACTIONS, TXN_MAX_ACTIONS, 50]
    assert len(result.done) == 250


def test_lost_condition_drops_that_claim_and_writes_the_rest() -> None:
    client = RecordingClient(["None", "ConditionalCheckFailed", "None"])
    result = TxnWriter(client).write([(i, [put(i)]) for i in ("a", "b", "c")])
    assert result.lost == ["b"]
    assert result.done == ["a", "c"]
    assert len(client.calls[1]) == 2


def test_copies_of_a_story_that_could_not_be_written_become_stories() -> None:
    """The story's transaction keeps conflicting until it is given up: its copies are
    claimed as stories of their own, never as copies of an article nobody claimed."""
    client = RecordingClient(*[["TransactionConflict"]] * 3)
    store = ArticleStore("articles", client)  # type: ignore[arg-type]
    story = Claim("s", "s", "https://a.example/s", "wire", b"sig", ("band#0#ab",))
    copies = [Claim(c, "s", f"https://b.example/{c}", "wire", b"sig") for c in ("c1", "c2")]
    result = store.claim([story, *copies], "run", 1_800_000_000.0)
    assert result.failed == [story]
    assert [(c.id, c.story_id) for c in result.claimed] == [("c1", "c1"), ("c2", "c2")]
    written = [a["Put"]["Item"] for a in client.calls[-1]]
    assert [i["story_id"]["S"] for i in written] == ["c1", "c2"]
    assert all(i["shingles"]["B"] == b"sig" for i in written)  # matchable as stories


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
