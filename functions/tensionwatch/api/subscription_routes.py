"""/subscriptions: create, read, delete, rotate a webhook secret, send a test notification."""

from __future__ import annotations

from typing import cast

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import (
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    ServiceError,
)
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from tensionwatch.api.access import Caller, NoPrincipal
from tensionwatch.api.models import (
    SecretRotated,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
    TestSent,
)
from tensionwatch.api.service import ApiServices, InvalidRequest, SendFailed
from tensionwatch.subscriptions import Delivery, Subscription

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # untyped __init__


def services() -> ApiServices:
    return cast(ApiServices, router.context["services"])


def caller() -> Caller:
    """The IAM principal that signed this request; 403 when there is none."""
    try:
        return services().caller(router.current_event.request_context.authorizer.iam.user_arn)
    except NoPrincipal as error:
        raise ForbiddenError(str(error)) from None


def _found(subscription_id: str) -> Subscription:
    found = services().get_subscription(subscription_id, caller())
    if found is None:
        raise NotFoundError(f"no subscription with id {subscription_id!r}")
    return found


@router.post("/subscriptions", summary="Subscribe by email, Slack or signed webhook")
def create_subscription(body: SubscriptionIn) -> Response[SubscriptionCreated]:
    try:
        created, secret = services().create_subscription(body, caller())
    except InvalidRequest as error:
        raise BadRequestError(str(error)) from None
    out = SubscriptionCreated(**SubscriptionOut.of(created).model_dump(), secret=secret)
    return Response(status_code=201, body=out, content_type="application/json")


@router.get("/subscriptions", summary="The caller's subscriptions (an admin's: every one)")
def list_subscriptions() -> list[SubscriptionOut]:
    return [SubscriptionOut.of(s) for s in services().list_subscriptions(caller())]


@router.get("/subscriptions/<subscription_id>", summary="One subscription and its status")
def get_subscription(subscription_id: str) -> SubscriptionOut:
    return SubscriptionOut.of(_found(subscription_id))


@router.delete("/subscriptions/<subscription_id>", summary="Unsubscribe")
def delete_subscription(subscription_id: str) -> Response[None]:
    if not services().delete_subscription(subscription_id, caller()):
        raise NotFoundError(f"no subscription with id {subscription_id!r}")
    return Response(status_code=204)


@router.post("/subscriptions/<subscription_id>/enable", summary="Re-enable after a fix")
def enable_subscription(subscription_id: str) -> SubscriptionOut:
    try:
        return SubscriptionOut.of(services().enable(_found(subscription_id)))
    except InvalidRequest as error:
        raise BadRequestError(str(error)) from None


@router.post("/subscriptions/<subscription_id>/test", summary="Send a test notification")
def send_test(subscription_id: str) -> TestSent:
    subscription = _found(subscription_id)
    try:
        alert = services().send_test(subscription)
    except InvalidRequest as error:
        raise BadRequestError(str(error)) from None
    except SendFailed as error:  # the receiver's answer, which is what the user asked for
        raise ServiceError(502, f"test delivery failed: {error}") from None
    return TestSent(delivered=True, alert_id=alert.id, detail="delivered; marked as a test")


@router.post("/subscriptions/<subscription_id>/secret", summary="Rotate a webhook secret")
def rotate_secret(subscription_id: str) -> SecretRotated:
    try:
        secret, until = services().rotate_secret(_found(subscription_id))
    except InvalidRequest as error:
        raise BadRequestError(str(error)) from None
    return SecretRotated(secret=secret, previous_valid_until=until)


@router.put("/subscriptions/<subscription_id>/delivery",
            summary="Each alert at once, a daily or weekly digest, or both")  # fmt: skip
def set_delivery(subscription_id: str, body: Delivery) -> SubscriptionOut:
    try:
        return SubscriptionOut.of(services().set_delivery(_found(subscription_id), body))
    except InvalidRequest as error:
        raise BadRequestError(str(error)) from None
