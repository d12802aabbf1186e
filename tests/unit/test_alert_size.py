"""The largest alert the models allow still fits one SNS message (256 KB), and the review's
case, ten articles with 12 KB links, no longer makes one too big."""

from __future__ import annotations

import json
from typing import Any

from tensionwatch.models import (
    ALERT_MAX_ARTICLES,
    ALERT_MAX_EVIDENCE,
    MAX_URL,
    Alert,
    AlertArticle,
    AlertEvidence,
)
from tensionwatch.store.topic import publish_request
from tests.factories import T0, make_alert

SNS_MAX_BYTES = 262_144  # SNS: message, subject and attributes together, 256 KiB
# The costliest character for the message: outside the BMP it is 4 bytes of UTF-8 in the alert
# JSON, then 12 ("\ud835\udd4f") once the topic message is JSON-escaped; in the email text too.
WORST = "\U0001d54f"


def _size(request: dict[str, Any]) -> int:
    attributes = sum(
        len(name.encode()) + len(value["DataType"].encode()) + len(value["StringValue"].encode())
        for name, value in request["MessageAttributes"].items()
    )
    return len(request["Message"].encode()) + len(request["Subject"].encode()) + attributes


def largest_alert() -> Alert:
    """Every text from the news far past its cap, in the costliest character; every link
    the longest kept; more citations than an alert carries."""
    long, link = WORST * 10_000, "https://a.example/" + "x" * (MAX_URL - len("https://a.example/"))
    evidence = AlertEvidence(phrase=long, sentence=long, category=long, weight=-10.0,
                             article_url=link, outlet=long)  # fmt: skip
    article = AlertArticle(title=long, url=link, outlet=long, published_at=T0, story_id=long)
    return make_alert(rationale=long, evidence=(evidence,) * 50, articles=(article,) * 50)


def test_the_largest_possible_alert_fits_one_sns_message() -> None:
    alert = largest_alert()
    assert (len(alert.evidence), len(alert.articles)) == (ALERT_MAX_EVIDENCE, ALERT_MAX_ARTICLES)
    assert (alert.more_evidence, alert.more_articles) == (45, 40)
    size = _size(publish_request(alert))
    assert size <= SNS_MAX_BYTES, f"{size:,} bytes"
    assert size > SNS_MAX_BYTES * 0.6, "the worst case is meant to come near the limit"


def test_ten_articles_with_12_kb_links_make_a_message_that_fits() -> None:
    """The review's case (364 KB before): links over the cap are dropped, not cut."""
    huge = "https://x.example/" + "a" * 12_000
    articles = tuple(AlertArticle(title=f"Story {n}", url=f"{huge}{n}", outlet="Wire",
                                  published_at=T0) for n in range(10))  # fmt: skip
    alert = make_alert(articles=articles)
    assert {article.url for article in alert.articles} == {""}
    request = publish_request(alert)
    assert _size(request) < 20_000
    assert json.loads(json.loads(request["Message"])["default"])["id"] == alert.id
