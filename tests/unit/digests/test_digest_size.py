"""The largest digest the model allows fits one SNS message, its email text included (SNS
refuses a Publish over 256 KB; the digest's JSON is escaped once more inside the message)."""

from __future__ import annotations

import json
from datetime import timedelta

from tensionwatch.digests.model import (
    MAX_ALERTS,
    MAX_PAIRS,
    MAX_STORIES,
    DigestAlert,
    DigestStory,
)
from tensionwatch.models import AlertEvidence
from tensionwatch.store.topic import digest_publish_request
from tensionwatch.subscriptions import Delivery, Subscription, SubscriptionFilter
from tests.factories import T0, make_digest

SNS_MAX_BYTES = 262_144
# The costliest character in JSON text: a control character escapes to six bytes (\u0001) and
# the message's JSON escapes that backslash again; renderers drop them, the `default` body keeps
# what the model holds.
WORST = '"\\' * 400


def test_the_largest_digest_fits_one_sns_message() -> None:
    long_url = "https://x.example/" + "a" * 2000
    evidence = AlertEvidence(phrase=WORST, sentence=WORST, category="SANCTION", weight=-8.0,
                             article_url=long_url, outlet=WORST)  # fmt: skip
    story = DigestStory(dyad="GR-TR", title=WORST, url="https://x.example/" + "b" * 2000,
                        outlet=WORST, published_at=T0, direction="escalation", score=-8.0,
                        outlets=40, evidence=(evidence, evidence))  # fmt: skip
    alert = DigestAlert(id="a" * 24, dyad="GR-TR", kind="state_change", direction="escalation",
                        state_after="escalating", severity="critical", score=-8.0,
                        rationale=WORST, fired_at=T0, sent_at_once=True)  # fmt: skip
    digest = make_digest(MAX_PAIRS, alerts=0, stories=0, more_pairs=10_000, more_alerts=1_000)
    digest = digest.model_copy(update={"alerts": (alert,) * MAX_ALERTS,
                                       "stories": (story,) * MAX_STORIES})  # fmt: skip
    wide = SubscriptionFilter(dyads=tuple(p.dyad for p in digest.pairs[:20]))
    subscription = Subscription(id="sub_" + "x" * 20, channel="email", target="a@example.com",
                                filter=wide, created_at=T0 - timedelta(days=1),
                                delivery=Delivery.model_validate({"mode": "digest",
                                                                  "digest": {}}))  # fmt: skip
    request = digest_publish_request(subscription, digest)
    size = len(json.dumps(request).encode())
    assert size < SNS_MAX_BYTES, size
    sent = json.loads(json.loads(request["Message"])["default"])
    assert sent["more_pairs"] + len(sent["pairs"]) == 10_000 + MAX_PAIRS, "what was cut is counted"
    assert sent["more_alerts"] + len(sent["alerts"]) == 1_000 + MAX_ALERTS
    assert sent["movers"] == [p["dyad"] for p in sent["pairs"][:5]], "the movers stay listed"


def test_an_ordinary_digest_goes_whole() -> None:
    digest = make_digest(MAX_PAIRS, alerts=20, stories=MAX_STORIES)
    subscription = Subscription(id="sub_1", channel="email", target="a@example.com",
                                created_at=T0, delivery=Delivery.model_validate(
                                    {"mode": "digest", "digest": {}}))  # fmt: skip
    sent = json.loads(
        json.loads(digest_publish_request(subscription, digest)["Message"])["default"]
    )
    assert (len(sent["pairs"]), len(sent["alerts"]), len(sent["stories"])) == (MAX_PAIRS, 20, 8)
