"""Who is calling, and which subscriptions that caller may see. Pure: values in, values out.

Every request through the deployed API is signed (IAM auth), and API Gateway names the signer in
the request context (`requestContext.authorizer.iam.userArn`). A subscription records the
principal that created it as its `owner`; a caller sees and changes only its own, and a principal
on the admin list sees every one. A subscription with no recorded owner (created before owners
were recorded) is seen by admins only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tensionwatch.subscriptions import Subscription

# arn:aws:sts::123456789012:assumed-role/RoleName/session-name (partition aws, aws-cn, …)
_SESSION = re.compile(r"^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role/([^/]+)/[^/]+$")
# arn:aws:iam::123456789012:role/optional/path/RoleName
_ROLE = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/(?:[^/]+/)*([^/]+)$")


class NoPrincipal(ValueError):
    """The request carries no IAM principal (it did not come through the IAM-authorised API)."""


def principal(arn: str) -> str:
    """The IAM principal an ARN stands for: an assumed-role session as its role
    (`arn:aws:iam::<account>:role/<name>`, without a path), any other ARN as it is.

    A role owns what any of its sessions created: the session name is chosen by whoever assumes
    the role, so it identifies no one. A role's name is unique in its account whatever its path,
    and the session ARN carries no path, so the path is dropped from both spellings."""
    found = _SESSION.match(arn) or _ROLE.match(arn)
    if found is None:
        return arn
    partition, account, name = found.groups()
    return f"arn:{partition}:iam::{account}:role/{name}"


@dataclass(frozen=True)
class Caller:
    """The principal making a request, and whether it is on the admin list."""

    principal: str
    admin: bool = False

    def may_see(self, subscription: Subscription) -> bool:
        """Whether this caller may read or change `subscription`."""
        return self.admin or subscription.owner == self.principal


def caller(user_arn: str | None, admins: Iterable[str]) -> Caller:
    """The caller named by the request context's IAM ARN; raises NoPrincipal when there is
    none. `admins` are ARNs of users or roles (any spelling `principal()` accepts)."""
    if not user_arn:
        raise NoPrincipal("no IAM principal in the request")
    who = principal(user_arn)
    return Caller(who, admin=who in {principal(arn) for arn in admins})
