"""Flash alerts need corroboration; syndicated copies never inflate the signal."""

from __future__ import annotations

from datetime import timedelta

from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.windows import contribution
from tests.factories import T0, make_article, make_pair, make_score
from tests.unit.signals.sim import PairSim

STRONG = "China imposes sweeping sanctions on Japan"


def strong_story(sim: PairSim, minutes: int = 0, outlet: str = "First Wire") -> str:
    article = make_article(
        STRONG,
        url=f"https://a.example.com/{outlet}/{minutes}",
        outlet=outlet,
        published_at=T0 + timedelta(minutes=minutes),
    )
    sim.add(article, make_score("CN-JP", -9.6, phrase="imposes sweeping sanctions", grave=True))
    return article.id


def corroborate(sim: PairSim, outlet: str, minutes: int, score: float = -7.0) -> None:
    article = make_article(
        f"{outlet} reports sanctions",
        url=f"https://{outlet}.example.com/x",
        outlet=outlet,
        published_at=T0 + timedelta(minutes=minutes),
    )
    sim.add(article, make_score("CN-JP", score))


def copy_of(sim: PairSim, story_id: str, outlet: str, minutes: int) -> None:
    sim.add(
        make_article(
            STRONG,
            url=f"https://{outlet}.example.com/copy",
            outlet=outlet,
            published_at=T0 + timedelta(minutes=minutes),
            story_id=story_id,
        )
    )


def test_single_strong_article_alone_is_no_flash() -> None:
    sim = PairSim("CN-JP")
    strong_story(sim)
    assert sim.alerts == []


def test_flash_needs_two_outlets_besides_the_first() -> None:
    sim = PairSim("CN-JP")
    story = strong_story(sim)
    copy_of(sim, story, "Second Daily", 30)
    assert sim.alerts == []
    copy_of(sim, story, "Third Post", 90)
    [flash] = sim.alerts
    assert (flash.kind, flash.direction, flash.window) == ("flash", "escalation", "6h")
    assert flash.state_before == flash.state_after == "steady"
    assert flash.articles[0].title == STRONG
    assert flash.rationale == f"CN-JP flash escalation: {STRONG}; 3 outlets, 1 story in 6 h"
    assert sim.state.state == "steady"  # one story is no trend


def test_weak_reports_do_not_corroborate() -> None:
    sim = PairSim("CN-JP")
    strong_story(sim)
    corroborate(sim, "Second Daily", 30, score=-2.0)
    corroborate(sim, "Third Post", 60, score=-2.0)
    assert [alert for alert in sim.alerts if alert.kind == "flash"] == []


def test_corroboration_outside_the_flash_window_does_not_count() -> None:
    sim = PairSim("CN-JP")
    story = strong_story(sim)
    copy_of(sim, story, "Second Daily", 30)
    copy_of(sim, story, "Third Post", 7 * 60)  # the story is 7 h old by now
    assert sim.alerts == []


def test_a_strong_story_without_a_peak_is_no_flash() -> None:
    sim = PairSim("CN-JP")
    corroborate(sim, "First Wire", 0, score=-8.0)  # strong, below the flash score
    story = next(iter(sim.stories))
    copy_of(sim, story, "Second Daily", 10)
    copy_of(sim, story, "Third Post", 20)
    assert sim.alerts == []


def test_one_flash_per_direction_per_cooldown() -> None:
    sim = PairSim("CN-JP", config=SignalConfig(min_stories=10))  # flashes only
    story = strong_story(sim)
    for i in range(6):
        copy_of(sim, story, f"Outlet {i}", 10 + i * 20)
    assert [a.kind for a in sim.alerts] == ["flash"]
    story = strong_story(sim, minutes=25 * 60, outlet="Next Day Wire")
    copy_of(sim, story, "Outlet 8", 25 * 60 + 5)
    copy_of(sim, story, "Outlet 9", 25 * 60 + 10)
    assert [a.kind for a in sim.alerts] == ["flash", "flash"]


def test_flash_is_inhibited_by_a_state_change_in_the_same_direction() -> None:
    sim = PairSim("CN-JP", config=SignalConfig(min_stories=3, min_outlets=3))
    strong_story(sim)
    corroborate(sim, "Second Daily", 30)
    corroborate(sim, "Third Post", 60, score=-9.5)  # fires both: the state change wins
    assert [a.kind for a in sim.alerts] == ["state_change"]


def test_syndicated_copies_do_not_inflate_counts() -> None:
    sim = PairSim("CN-JP")
    story = strong_story(sim)
    corroborate(sim, "Second Daily", 30)
    for i in range(8):
        copy_of(sim, story, f"Reprint {i}", 40 + i)
    tally = sim.snapshot(T0 + timedelta(hours=1)).window.tally
    assert (tally.articles, tally.stories, tally.escalation_stories) == (10, 2, 2)
    assert tally.score_sum == -16.6
    assert len(tally.outlets) == 10 and len(tally.escalation_outlets) == 2
    # Eight reprints are wide pickup of one story (a flash), not eight stories (no trend).
    assert [a.kind for a in sim.alerts] == ["flash"]
    assert sim.state.state == "steady"


def test_redelivered_article_folds_once() -> None:
    sim = PairSim("CN-JP")
    article = make_article(STRONG, outlet="First Wire", published_at=T0)
    for _ in range(3):
        sim.add(article, make_score("CN-JP", -9.6))
    assert sim.snapshot(T0).window.tally.stories == 1


def test_copy_contribution_adds_only_its_outlet_and_itself() -> None:
    tally = contribution(
        "escalation", -9.8, "Reprint", copy=True, grave=True, config=SignalConfig()
    )
    assert (tally.articles, tally.stories, tally.score_sum, tally.escalation_peaks) == (1, 0, 0, 0)
    assert not tally.escalation_outlets and tally.escalation_stories == 0
    assert tally.outlets == tally.escalation_corroborating == {"Reprint"}


def test_flash_soon_after_a_state_change_in_its_direction_is_inhibited() -> None:
    sim = PairSim("CN-JP")
    for i, score in enumerate((-9.6, -4.0, -7.0)):  # enters escalating; no flash yet
        corroborate(sim, f"Outlet {i}", i * 10, score=score)
    assert [a.kind for a in sim.alerts] == ["state_change"]
    story = strong_story(sim, minutes=40)
    copy_of(sim, story, "Reprint 1", 50)
    copy_of(sim, story, "Reprint 2", 60)
    assert [a.kind for a in sim.alerts] == ["state_change"]


def test_no_flash_in_the_direction_the_pair_is_already_in() -> None:
    sim = PairSim("CN-JP", config=SignalConfig(flash_cooldown_hours=1))
    for i, score in enumerate((-9.6, -4.0, -7.0)):
        corroborate(sim, f"Outlet {i}", i * 10, score=score)
    story = strong_story(sim, minutes=5 * 60)  # hours later, still escalating
    copy_of(sim, story, "Reprint 1", 5 * 60 + 10)
    copy_of(sim, story, "Reprint 2", 5 * 60 + 20)
    assert sim.state.state == "escalating"
    assert [a.kind for a in sim.alerts] == ["state_change"]


def test_a_loud_story_that_is_not_grave_is_no_flash() -> None:
    """A tariff row or a misread headline can score at the top; a flash rests on the act."""
    sim = PairSim("CN-JP")
    article = make_article(STRONG, outlet="First Wire", published_at=T0)
    sim.add(article, make_score("CN-JP", -10.0, phrase="disputes tariffs", grave=False))
    copy_of(sim, article.id, "Second Daily", 10)
    copy_of(sim, article.id, "Third Post", 20)
    assert sim.alerts == []
    assert sim.snapshot(T0 + timedelta(minutes=20)).flash.tally.escalation_peaks == 0


def test_a_grave_act_below_the_flash_score_is_no_peak() -> None:
    config = SignalConfig()
    weak = contribution("escalation", -(config.flash_score - 0.5), "Wire", copy=False,
                        grave=True, config=config)  # fmt: skip
    loud = contribution("escalation", -config.flash_score, "Wire", copy=False, grave=False,
                        config=config)  # fmt: skip
    grave = contribution("escalation", -config.flash_score, "Wire", copy=False, grave=True,
                         config=config)  # fmt: skip
    assert (weak.escalation_peaks, loud.escalation_peaks, grave.escalation_peaks) == (0, 0, 1)
    # a loud report still corroborates another outlet's grave story
    assert loud.escalation_corroborating == {"Wire"}


def test_the_pair_folds_its_own_reading_of_a_story_about_several() -> None:
    """A story naming two pairs flashes on the pair whose act is grave, not on the other."""
    mixed = make_score(
        "CN-JP", -9.6, grave=True,
        pairs=(make_pair("CN-JP", -9.6, grave=True), make_pair("CN-KR", -9.6, share=0.4)),
    )  # fmt: skip
    grave_pair, other = PairSim("CN-JP"), PairSim("CN-KR")
    for sim in (grave_pair, other):
        article = make_article(STRONG, outlet="First Wire", published_at=T0)
        sim.add(article, mixed)
        copy_of(sim, article.id, "Second Daily", 10)
        copy_of(sim, article.id, "Third Post", 20)
    assert [a.kind for a in grave_pair.alerts] == ["flash"]
    assert other.alerts == []
