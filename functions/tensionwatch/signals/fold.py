"""What folding an article adds to each of its pairs: the citation an alert quotes and the tally
its buckets sum. Pure: the DynamoDB store writes these with ADD, the in-memory one adds them to
dicts, so both homes of a signal fold the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from tensionwatch.models import AlertEvidence, Article, Evidence, PairReading, Score
from tensionwatch.signals.alerts import ArticleRef
from tensionwatch.signals.config import SignalConfig
from tensionwatch.signals.pairs import FoldPlan
from tensionwatch.signals.windows import Tally, contribution, summed, tally_from_values

_SCORE_SUM = [f.name for f in fields(Tally)].index("score_sum")
MAX_EVIDENCE_KEPT = 3  # per article: an alert quotes the strongest few of all its articles


@dataclass(frozen=True)
class PairFold:
    """What one article adds to one pair: the citation and the tally of its hour and day."""

    dyad: str
    ref: ArticleRef
    tally: Tally


def added(bucket: Tally | None, tally: Tally) -> Tally:
    """A bucket after `tally` is ADDed to it as DynamoDB does: exactly, in decimal. Scores are
    kept to 3 decimals (`store.dyad_items.number`), so the sum is too: float addition alone
    would drift (-2.3 + -4.1 is -6.3999999999999995) and a window could miss a threshold by an
    ulp that the table's sum meets."""
    if bucket is None:
        return tally
    values = summed(bucket, tally)
    values[_SCORE_SUM] = round(values[_SCORE_SUM], 3)
    return tally_from_values(values)


def article_folds(
    article: Article, score: Score, plan: FoldPlan, config: SignalConfig
) -> list[PairFold]:
    """An article's fold into each pair of `plan`, with that pair's direction, score and
    gravity. A first copy cites the evidence about the pair; a syndicated copy (another
    article's `story_id`), read on its own text, folds under its story's id as a copy: its
    outlet and itself, never a story or a score (see `contribution`), and quotes nothing."""
    story_id = article.story_id or article.id
    copy = story_id != article.id
    return [_fold(article, story_id, pair, () if copy else citations(score, pair.dyad, article),
                  plan.dyads, copy=copy, config=config)
            for pair in plan.pairs]  # fmt: skip


def _fold(
    article: Article,
    story_id: str,
    pair: PairReading,
    evidence: tuple[AlertEvidence, ...],
    pairs: tuple[str, ...],
    *,
    copy: bool,
    config: SignalConfig,
) -> PairFold:
    ref = ArticleRef(article.id, article.title, article.url, article.outlet,
                     article.published_at, story_id, pair.direction, pair.score, evidence,
                     pairs)  # fmt: skip
    tally = contribution(pair.direction, pair.score, article.outlet, copy=copy, grave=pair.grave,
                         config=config)  # fmt: skip
    return PairFold(pair.dyad, ref, tally)


def citations(score: Score, dyad: str, article: Article) -> tuple[AlertEvidence, ...]:
    """The strongest evidence about `dyad`; the article's strongest when none names it (a list
    of actors shares one sentence, which the scorer may tag with one of its pairs)."""
    own = [e for e in score.evidence if e.dyad == dyad] or list(score.evidence)
    top = sorted(own, key=lambda e: -abs(e.weight))[:MAX_EVIDENCE_KEPT]
    return tuple(cite(e, article) for e in top)


def cite(evidence: Evidence, article: Article) -> AlertEvidence:
    """A scorer's evidence as an alert quotes it, with its article's link and outlet."""
    return AlertEvidence(phrase=evidence.phrase, sentence=evidence.sentence,
                         category=evidence.category, weight=evidence.weight,
                         article_url=article.url, outlet=article.outlet)  # fmt: skip
