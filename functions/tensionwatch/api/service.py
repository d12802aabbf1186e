"""What the API's routes do, over injected stores and senders (no HTTP, no AWS clients here)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from tensionwatch.api.access import Caller, caller
from tensionwatch.api.models import SilenceIn, SubscriptionIn, email_policy_problem
from tensionwatch.delivery.errors import DeliveryError, UnsafeTarget
from tensionwatch.delivery.ssrf import Resolver, check_target, system_resolver
from tensionwatch.models import Alert, AlertArticle, AlertEvidence, Silence
from tensionwatch.scoring.pairs import dyad_of
from tensionwatch.subscriptions import Delivery, Subscription

if TYPE_CHECKING:  # the adapters load with the services, not with the routes (cold start)
    from tensionwatch.delivery.notifier import Notifier
    from tensionwatch.store.alerts import AlertPage
    from tensionwatch.store.secrets import SecretStore
    from tensionwatch.store.subscriptions import EmailSubscriptions, SubscriptionStore

ROTATION_OVERLAP = timedelta(hours=24)  # time receivers get to switch to a rotated secret
TEST_DYAD = "JP-KR"  # any real pair: test alerts only need to look like the real thing


class SilenceRepo(Protocol):
    def put(self, silence: Silence) -> None: ...
    def get(self, silence_id: str) -> Silence | None: ...
    def delete(self, silence_id: str) -> Any: ...
    def list_all(self) -> list[Silence]: ...


class AlertRepo(Protocol):
    def page(self, dyad: str | None, since: datetime, *, now: datetime, limit: int,
             after: str | None = None) -> AlertPage: ...  # fmt: skip


class DyadRepo(Protocol):
    def get(self, dyad: str) -> Any: ...


class InvalidRequest(ValueError):
    """A request the models accepted but the service refuses; the message names the field."""


class SendFailed(Exception):
    """A test send the channel refused; the message is the channel's reason."""


@dataclass
class ApiServices:
    subscriptions: SubscriptionStore
    email: EmailSubscriptions
    secrets: SecretStore
    notifier: Notifier
    silences: SilenceRepo
    alerts: AlertRepo
    dyads: DyadRepo
    allow_local: bool = False
    ports: frozenset[int] = frozenset()  # TARGET_PORTS: ports allowed besides 443
    admins: frozenset[str] = frozenset()  # IAM users and roles that see every subscription
    resolver: Resolver = system_resolver
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def caller(self, user_arn: str | None) -> Caller:
        """Who signed the request (the request context's IAM ARN); raises NoPrincipal."""
        return caller(user_arn, self.admins)

    def create_subscription(
        self, body: SubscriptionIn, owner: Caller
    ) -> tuple[Subscription, str | None]:
        """Store a subscription owned by `owner`; email ones subscribe in SNS (pending until
        confirmed), webhook ones get a signing secret (returned once). Raises InvalidRequest."""
        if body.channel != "email":
            try:
                check_target(body.target, slack=body.channel == "slack", ports=self.ports,
                             allow_local=self.allow_local, resolver=self.resolver)  # fmt: skip
            except UnsafeTarget as error:
                raise InvalidRequest(f"target: {error.reason}") from None
        subscription = Subscription(
            id=f"sub_{uuid.uuid4().hex[:20]}", channel=body.channel, target=body.target,
            filter=body.filter, created_at=self.clock(), description=body.description,
            owner=owner.principal, delivery=body.delivery,
        )  # fmt: skip
        secret = None
        if body.channel == "email":
            arn = self.email.subscribe(body.target, body.filter, body.delivery, subscription.id)
            subscription = subscription.model_copy(
                update={"status": "pending", "sns_subscription_arn": arn}
            )
        elif body.channel == "webhook":
            secret = self.secrets.create(subscription.id)
        self.subscriptions.put(subscription)
        return subscription, secret

    def list_subscriptions(self, who: Caller) -> list[Subscription]:
        """Every subscription `who` may see, oldest id first."""
        return [s for s in self.subscriptions.list_all() if who.may_see(s)]

    def get_subscription(self, subscription_id: str, who: Caller) -> Subscription | None:
        """The subscription, its email status refreshed from SNS; None when unknown or not
        `who`'s to see (the two answers are the same, so no one learns another's ids)."""
        found = self._visible(subscription_id, who)
        arn = found.sns_subscription_arn if found and found.status == "pending" else None
        if found and arn and self.email.confirmed(arn):
            self.subscriptions.set_status(found.id, "active")
            found = found.model_copy(update={"status": "active"})
        return found

    def delete_subscription(self, subscription_id: str, who: Caller) -> bool:
        """Remove it everywhere (SNS subscription, secret); False when unknown or not `who`'s."""
        found = self._visible(subscription_id, who)
        if found is None:
            return False
        if found.sns_subscription_arn:
            self.email.unsubscribe(found.sns_subscription_arn)
        if found.channel == "webhook":
            self.secrets.delete(found.id)
        return self.subscriptions.delete(found.id)

    def _visible(self, subscription_id: str, who: Caller) -> Subscription | None:
        found = self.subscriptions.get(subscription_id)
        return found if found is not None and who.may_see(found) else None

    def enable(self, subscription: Subscription) -> Subscription:
        """Make a disabled Slack/webhook subscription active again (after its owner fixed the
        endpoint), its failure run reset; raises InvalidRequest for email (SNS decides)."""
        if subscription.channel == "email":
            raise InvalidRequest("channel: email subscriptions are confirmed through SNS")
        self.subscriptions.set_status(subscription.id, "active")
        self.subscriptions.record_success(subscription.id)
        # Digests start again from now: the periods it was disabled for are not sent late.
        self.subscriptions.advance_digest(subscription.id, self.clock())
        return subscription.model_copy(update={"status": "active", "status_reason": ""})

    def set_delivery(self, subscription: Subscription, delivery: Delivery) -> Subscription:
        """Change how alerts reach `subscription` (at once, digest, both); an email one gets
        the matching SNS policy. Digests restart from now. Raises InvalidRequest when SNS would
        refuse the email policy."""
        if subscription.channel == "email":
            if problem := email_policy_problem(subscription.filter, delivery):
                raise InvalidRequest(f"delivery: {problem}")
            self.email.set_policy(subscription, delivery)
        self.subscriptions.set_delivery(subscription, delivery, self.clock())
        return subscription.model_copy(update={"delivery": delivery})

    def send_test(self, subscription: Subscription) -> Alert:
        """Send a clearly marked test alert through the subscription's channel; raises
        SendFailed when the channel refuses it, InvalidRequest for email."""
        if subscription.channel == "email":
            raise InvalidRequest("channel: SNS sends email; its confirmation mail is the test")
        alert = test_alert(subscription, self.clock())
        try:
            self.notifier.notify(subscription, alert, test=True)
        except DeliveryError as error:
            raise SendFailed(error.reason) from None
        return alert

    def rotate_secret(self, subscription: Subscription) -> tuple[str, datetime]:
        """A new signing secret for a webhook subscription, and until when the old one still
        signs; raises InvalidRequest for other channels."""
        if subscription.channel != "webhook":
            raise InvalidRequest("channel: only webhook subscriptions have a signing secret")
        now = self.clock()
        return self.secrets.rotate(subscription.id, now, ROTATION_OVERLAP), now + ROTATION_OVERLAP

    def create_silence(self, body: SilenceIn) -> Silence:
        """Store a silence; it mutes matching alerts from `starts_at` to `ends_at`."""
        starts = body.starts_at or self.clock()
        if body.ends_at <= starts:
            raise InvalidRequest("ends_at: must be in the future")
        silence = Silence(id=f"sil_{uuid.uuid4().hex[:20]}", starts_at=starts,
                          **body.model_dump(exclude={"starts_at"}))  # fmt: skip
        self.silences.put(silence)
        return silence


def test_alert(subscription: Subscription, now: datetime) -> Alert:
    """A believable alert the subscription's own filter would pass, marked as a test."""
    spec = subscription.filter
    pair = spec.dyads[0] if spec.dyads else None
    if pair is None and spec.countries:
        other = "US" if spec.countries[0] != "US" else "CN"
        pair = dyad_of(spec.countries[0], other)
    dyad = pair or TEST_DYAD
    first, second = dyad.split("-")
    direction = spec.directions[0] if spec.directions else "thaw"
    url = "https://example.com/tension-watch-test"
    return Alert(
        id=f"test_{uuid.uuid4().hex[:20]}", dyad=dyad, countries=(first, second),
        kind=spec.kinds[0], direction=direction, state_before="steady",
        state_after="escalating" if direction == "escalation" else "thawing",
        severity=spec.accepted_severities[-1], score=0.0,
        rationale="Test notification from Tension Watch: this is how alerts will look.",
        window="24h", window_start=now - timedelta(hours=24), window_end=now, fired_at=now,
        article_count=1, story_count=1, outlet_count=1,
        evidence=(AlertEvidence(phrase="test", sentence="This is a test quote.",
                                category="TEST", weight=0.0, article_url=url,
                                outlet="Tension Watch"),),
        articles=(AlertArticle(title="Tension Watch test notification", url=url,
                               outlet="Tension Watch", published_at=now),),
    )  # fmt: skip
