"""A story's reading outlives every copy the poll can still match to it."""

from __future__ import annotations

from datetime import timedelta

from tensionwatch.config import PollSettings
from tensionwatch.store.markers import MARKER_TTL_DAYS, marker_item
from tests.factories import make_article


def test_a_story_reading_lives_as_long_as_the_poll_matches_copies_to_it() -> None:
    # The poll matches a copy against band records kept SEEN_TTL_DAYS; a reading gone sooner
    # fails that copy in the score function until the dead-letter queue.
    assert PollSettings.model_fields["SEEN_TTL_DAYS"].default <= MARKER_TTL_DAYS
    story = make_article("Japan imposes sanctions on South Korea")
    expires = int(marker_item(story, None)["expires_at"]["N"])
    lives = timedelta(seconds=expires - story.published_at.timestamp())
    assert lives == timedelta(days=MARKER_TTL_DAYS) > timedelta(days=14)  # SQS's longest stay
