"""The backtest's poll stage: exact duplicates dropped, syndicated copies joined to their story
by the poll's own matching, and forgotten when the ArticlesTable's TTL would forget them."""

from __future__ import annotations

from datetime import timedelta

from tensionwatch.backtest.stories import StoryFolding
from tensionwatch.models import Article
from tests.factories import T0, make_article

TITLE = "Japan and South Korea agree to restore military hotline after talks in Seoul"


def bare(title: str, n: int, hours: float = 0) -> Article:
    """An article as a source lists it: no story yet."""
    article = make_article(title, url=f"https://outlet{n}.example/story", outlet=f"Outlet {n}",
                           published_at=T0 + timedelta(hours=hours))  # fmt: skip
    return article.model_copy(update={"story_id": None})


def test_copies_join_the_first_story_and_duplicates_are_dropped() -> None:
    folding = StoryFolding()
    story, copy = bare(TITLE, 1), bare(TITLE, 2, hours=1)
    first = folding.assign([copy, story])  # a feed's order, not the publication's
    assert [a.id for a in first] == [story.id, copy.id]
    assert [a.story_id for a in first] == [story.id, story.id]
    later = bare(TITLE, 3, hours=5)
    assert [a.story_id for a in folding.assign([later, story])] == [story.id]
    assert (folding.duplicates, folding.syndicated) == (1, 2)


def test_a_story_is_forgotten_after_the_seen_records_ttl() -> None:
    folding = StoryFolding()
    story = bare(TITLE, 1)
    folding.assign([story])
    within = bare(TITLE, 2, hours=24 * 29)
    assert folding.assign([within])[0].story_id == story.id
    after = bare(TITLE, 3, hours=24 * 31)
    assert folding.assign([after])[0].story_id == after.id
    assert folding.assign([story])[0].id == story.id  # seen no more


def test_given_story_ids_are_kept_and_only_deduplicated() -> None:
    folding = StoryFolding()
    story = make_article(TITLE)
    other = make_article("Unrelated words entirely here", url="https://x.example/1",
                         story_id=story.id)  # fmt: skip
    assert [a.story_id for a in folding.assign([story, other, other])] == [story.id, story.id]
    assert folding.duplicates == 1
