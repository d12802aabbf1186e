"""The score pipeline's fold-and-decide loop over in-memory buckets: only the pure core, so
unit tests drive the signal with event times and no AWS."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from tensionwatch.models import Alert, Article, Direction, Score
from tensionwatch.signals.alerts import ArticleRef, build_alert
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.pairs import fold_plan
from tensionwatch.signals.state import PairState, Snapshot, decide, pair_now, snapshot
from tensionwatch.signals.windows import Tally, contribution, hour_of


@dataclass
class PairSim:
    dyad: str = "JP-KR"
    config: SignalConfig = field(default_factory=SignalConfig)
    state: PairState = field(default_factory=PairState)
    alerts: list[Alert] = field(default_factory=list)
    hours: dict[datetime, Tally] = field(default_factory=lambda: defaultdict(Tally))
    days: dict[date, Tally] = field(default_factory=lambda: defaultdict(Tally))
    refs: list[ArticleRef] = field(default_factory=list)
    stories: dict[str, tuple[Direction, float, bool]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def add(self, article: Article, score: Score | None = None) -> list[Alert]:
        """Fold one article (a copy needs no score) and decide; the alerts it fired."""
        if article.id not in self.seen:
            self.seen.add(article.id)
            self._fold(article, score)
        now = pair_now(self.state.latest, article.published_at)
        decision = decide(self.state, self.snapshot(now), self.config)
        fired = [build_alert(self.dyad, i, self.refs, self.config) for i in decision.intents]
        self.state = decision.state
        self.alerts.extend(fired)
        return fired

    def snapshot(self, now: datetime) -> Snapshot:
        return snapshot(self.hours, self.days, now, self.config)

    def _fold(self, article: Article, score: Score | None) -> None:
        story = article.story_id or article.id
        copy = story != article.id
        if score is not None and not copy:
            # this pair's reading, as the store folds it: off-topic or another pair folds nothing
            mine = [p for p in fold_plan(score).pairs if p.dyad == self.dyad]
            if not mine:
                return
            self.stories[article.id] = (mine[0].direction, mine[0].score, mine[0].grave)
        if story not in self.stories:
            return
        direction, value, grave = self.stories[story]
        tally = contribution(direction, value, article.outlet, copy=copy, grave=grave,
                             config=self.config)  # fmt: skip
        hour = hour_of(article.published_at)
        self.hours[hour] = self.hours[hour] + tally
        self.days[hour.date()] = self.days[hour.date()] + tally
        self.refs.append(
            ArticleRef(
                article.id,
                article.title,
                article.url,
                article.outlet,
                article.published_at,
                story,
                direction,
                value,
            )
        )
