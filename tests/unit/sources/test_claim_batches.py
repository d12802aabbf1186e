"""Claim batches: chunking, unprocessed items sent again, refused calls retried then failed
(recording fake)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from tensionwatch.store.articles import ArticleStore, Claim
from tensionwatch.store.batches import BATCH_WRITE_MAX, MAX_ATTEMPTS, MAX_ROUNDS, put_items


class RecordingClient:
    """Answers each batch_write_item with the next scripted answer: "refuse" (throttled whole),
    a set of pks left unprocessed, or (when the script is out) everything written."""

    def __init__(self, *script: str | set[str]) -> None:
        self.calls: list[list[dict[str, Any]]] = []
        self._script = list(script)

    def batch_write_item(self, RequestItems: dict[str, list[dict[str, Any]]]) -> Any:
        ((table, requests),) = RequestItems.items()
        self.calls.append([r["PutRequest"]["Item"] for r in requests])
        step = self._script.pop(0) if self._script else set()
        if step == "refuse":
            raise ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}},
                "BatchWriteItem",
            )
        left = [r for r in requests if r["PutRequest"]["Item"]["pk"]["S"] in step]
        return {"UnprocessedItems": {table: left} if left else {}}


def item(ident: str) -> dict[str, Any]:
    return {"pk": {"S": ident}, "sk": {"S": "seen"}}


def test_puts_go_in_calls_of_the_batch_limit() -> None:
    client = RecordingClient()
    result = put_items(client, "t", [(str(i), item(str(i))) for i in range(60)])
    assert [len(call) for call in client.calls] == [BATCH_WRITE_MAX, BATCH_WRITE_MAX, 10]
    assert result.done == [str(i) for i in range(60)] and result.failed == []


def test_unprocessed_items_are_sent_again_alone() -> None:
    client = RecordingClient({"b"})
    result = put_items(client, "t", [(i, item(i)) for i in "abc"], sleep=lambda s: None)
    assert [[i["pk"]["S"] for i in call] for call in client.calls] == [["a", "b", "c"], ["b"]]
    assert sorted(result.done) == ["a", "b", "c"]


def test_items_left_unprocessed_every_round_are_reported_failed() -> None:
    client = RecordingClient(*[{"b"}] * MAX_ROUNDS)
    result = put_items(client, "t", [(i, item(i)) for i in "ab"], sleep=lambda s: None)
    assert (result.done, result.failed) == (["a"], ["b"])
    assert len(client.calls) == MAX_ROUNDS


def test_a_call_refused_whole_is_retried_then_its_items_fail() -> None:
    waits: list[float] = []
    client = RecordingClient(*["refuse"] * MAX_ATTEMPTS)
    result = put_items(client, "t", [("a", item("a"))], sleep=waits.append)
    assert (result.done, result.failed) == ([], ["a"])
    assert len(client.calls) == MAX_ATTEMPTS and len(waits) == MAX_ATTEMPTS - 1


def test_a_refusal_that_clears_writes_everything() -> None:
    client = RecordingClient("refuse")
    result = put_items(client, "t", [("a", item("a"))], sleep=lambda s: None)
    assert result.done == ["a"]


def test_copies_of_a_story_that_could_not_be_written_become_stories() -> None:
    """The story's call keeps being refused until it is given up: its copies are claimed as
    stories of their own, never as copies of an article nobody claimed."""
    client = RecordingClient(*["refuse"] * MAX_ATTEMPTS)
    store = ArticleStore("articles", client)  # type: ignore[arg-type]
    story = Claim("s", "s", "https://a.example/s", "wire", b"sig", ("band#0#ab",))
    copies = [Claim(c, "s", f"https://b.example/{c}", "wire", b"sig") for c in ("c1", "c2")]
    result = store.claim([story, *copies], "run", 1_800_000_000.0)
    assert result.failed == [story]
    assert [(c.id, c.story_id) for c in result.claimed] == [("c1", "c1"), ("c2", "c2")]
    written = client.calls[-1]
    assert [i["story_id"]["S"] for i in written] == ["c1", "c2"]
    assert all(i["shingles"]["B"] == b"sig" for i in written)  # matchable as stories
