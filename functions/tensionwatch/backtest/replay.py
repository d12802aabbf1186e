"""The replay: an archive's articles through the poll's story folding and the score service,
in memory, one or more signal configurations side by side.

Each configuration gets its own `ScorePipeline` (production's class) on its own memory stores;
the articles are read, deduplicated, folded into stories and scored once, then handed to each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tensionwatch.backtest.archive import LineError, Numbered
from tensionwatch.backtest.memory import (
    MemoryAlertLedger,
    MemoryPairStore,
    MemorySilences,
    PairWatcher,
    Publisher,
)
from tensionwatch.backtest.stories import SEEN_DAYS, StoryFolding
from tensionwatch.models import (
    Alert,
    AlertKind,
    Article,
    Direction,
    Score,
    Severity,
    SignalState,
    Silence,
)
from tensionwatch.pipeline.score import ScorePipeline
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.storage import AlertRecord

# One poll's worth of articles: at most a GDELT answer (250 records), within an hour. The poll
# matches syndicated copies across a hand-off at once (`plan_queue` over its queries' answers:
# a GDELT query, as its 5 s spacing hands off each; NewsAPI's three queries of 100 together),
# and earlier polls through the band index; a batch never spans more than a hand-off would.
BATCH_ARTICLES = 250
BATCH_SPAN = timedelta(hours=1)


@dataclass(frozen=True)
class AlertRow:
    """What a summary and a comparison need of an alert, kept for every one: a long replay
    holds its rows, not its alerts' evidence and links (unless asked to, for a report)."""

    id: str
    dyad: str
    kind: AlertKind
    direction: Direction
    state_before: SignalState
    state_after: SignalState
    severity: Severity
    fired_at: datetime
    rationale: str

    @classmethod
    def of(cls, alert: Alert) -> AlertRow:
        return cls(alert.id, alert.dyad, alert.kind, alert.direction, alert.state_before,
                   alert.state_after, alert.severity, alert.fired_at, alert.rationale)  # fmt: skip


class CountingMetrics:
    """The score service's metrics, counted (what Lambda sends to CloudWatch as EMF)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def count(self, name: str, value: int = 1) -> None:
        self.counts[name] += value


class _ScoreOnce:
    """The scorer, called once per article however many configurations read it."""

    def __init__(self, scorer: Callable[[Article], Score]) -> None:
        self._scorer = scorer
        self._last: tuple[str, Score] | None = None

    def __call__(self, article: Article) -> Score:
        if self._last is None or self._last[0] != article.id:
            self._last = (article.id, self._scorer(article))
        return self._last[1]


@dataclass
class Run:
    """One configuration's replay: production's score service on memory stores. Every
    published alert is a row in `rows`, and in `alerts` too when kept."""

    config: SignalConfig
    ledger: MemoryAlertLedger
    store: MemoryPairStore
    metrics: CountingMetrics
    pipeline: ScorePipeline = field(init=False)
    keep_alerts: bool = True
    on_alert: Callable[[Alert], None] | None = None
    rows: list[AlertRow] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    # The score function's wall clock, as the replay has it: the newest article of the poll
    # being handled (the function runs moments after the poll). It caps a pair's clock
    # (`signals.state.pair_now`) and times publish leases.
    now: float = 0.0

    @property
    def silenced(self) -> list[AlertRecord]:
        """The alerts a silence muted (the ledger keeps these for good)."""
        return [r for r in self.ledger.records.values() if r.status == "silenced"]

    @property
    def recorded(self) -> list[AlertRow]:
        """Every alert decided, published or silenced."""
        return self.rows + [AlertRow.of(r.alert) for r in self.silenced]

    def published(self, alert: Alert) -> None:
        self.rows.append(AlertRow.of(alert))
        if self.keep_alerts:
            self.alerts.append(alert)
        if self.on_alert is not None:
            self.on_alert(alert)

    def handle(self, article: Article) -> None:
        self.now = max(self.now, article.published_at.timestamp())
        self.pipeline.handle(article)

    def expire(self, now: datetime) -> None:
        """What DynamoDB's TTL has removed by `now`, and alerts no decision can meet again."""
        self.now = max(self.now, now.timestamp())
        self.store.expire(now)
        self.ledger.forget(now - timedelta(days=SEEN_DAYS))


def new_run(
    config: SignalConfig,
    scorer: Callable[[Article], Score],
    silences: Sequence[Silence] = (),
    watcher: PairWatcher | None = None,
    *,
    keep_alerts: bool = True,
    on_alert: Callable[[Alert], None] | None = None,
) -> Run:
    """A configuration's score service on fresh memory stores."""
    ledger, metrics = MemoryAlertLedger(), CountingMetrics()
    store = MemoryPairStore(ledger, config, watcher)
    run = Run(config, ledger, store, metrics, keep_alerts=keep_alerts, on_alert=on_alert)
    run.pipeline = ScorePipeline(dyads=store, alerts=ledger, silences=MemorySilences(silences),
                                 topic=Publisher(run.published), scorer=scorer, metrics=metrics,
                                 config=config, clock=lambda: run.now)  # fmt: skip
    return run


@dataclass
class Replay:
    """Articles in, each configuration's alerts out. A bad line goes to `on_bad` (and is
    counted) while the rest go on."""

    runs: list[Run]
    on_bad: Callable[[LineError], None] = lambda error: None
    stories: StoryFolding = field(default_factory=StoryFolding)
    lines: int = 0
    bad: int = 0
    articles: int = 0  # new articles handed to the score service (duplicates left out)
    first: datetime | None = None
    last: datetime | None = None

    def feed(self, items: Iterable[Numbered | LineError]) -> None:
        """Replay `items` in order, a poll's batch at a time."""
        batch: list[Article] = []
        for item in items:
            self.lines += 1
            if isinstance(item, LineError):
                self.bad += 1
                self.on_bad(item)
                continue
            if batch and closes_batch(batch, item.article):
                self._score(batch)
                batch = []
            batch.append(item.article)
        if batch:
            self._score(batch)

    def _score(self, batch: list[Article]) -> None:
        # The score function takes a poll's articles moments after the poll: what DynamoDB's
        # TTL removed by the newest of them is gone for all of them.
        now = max(a.published_at for a in batch)
        for run in self.runs:
            run.expire(now)
        claimed = self.stories.assign(batch)
        if not claimed:
            return
        self.articles += len(claimed)
        # earliest first: the batch's first and last are the replay's first and last so far
        self.first = min(self.first or claimed[0].published_at, claimed[0].published_at)
        self.last = max(self.last or claimed[-1].published_at, claimed[-1].published_at)
        for article in claimed:
            for run in self.runs:
                run.handle(article)


def closes_batch(batch: Sequence[Article], article: Article) -> bool:
    """Whether `article` starts the next poll's batch after `batch`."""
    return (len(batch) >= BATCH_ARTICLES
            or article.published_at - batch[0].published_at > BATCH_SPAN)  # fmt: skip


def replay(
    items: Iterable[Numbered | LineError],
    configs: Sequence[SignalConfig],
    scorer: Callable[[Article], Score],
    *,
    silences: Sequence[Silence] = (),
    watchers: Sequence[PairWatcher | None] = (),
    on_bad: Callable[[LineError], None] = lambda error: None,
    keep_alerts: bool = True,
    on_alert: Callable[[Alert], None] | None = None,
) -> Replay:
    """Replay `items` once for every configuration of `configs` (watchers beside them);
    `on_alert` sees the first configuration's alerts as they are published."""
    once = _ScoreOnce(scorer)
    watching = list(watchers) + [None] * (len(configs) - len(watchers))
    runs = [new_run(c, once, silences, w, keep_alerts=keep_alerts,
                    on_alert=on_alert if i == 0 else None)
            for i, (c, w) in enumerate(zip(configs, watching, strict=True))]  # fmt: skip
    result = Replay(runs, on_bad)
    result.feed(items)
    return result
