"""SSRF guard: a delivery target must be a public https endpoint.

The URL's host is resolved and every address it resolves to must be globally routable: no
private, loopback, link-local (cloud metadata lives there), multicast, reserved or unspecified
addresses, in IPv4, IPv6 or IPv4-mapped IPv6. The HTTP client never follows redirects, so a
checked target cannot bounce the request somewhere else. Limitation: the check and the
connection resolve separately (a DNS-rebinding window); the short TTL games that need are out
of reach of a subscription created through the IAM-protected API.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from tensionwatch.delivery.errors import UnsafeTarget

Resolver = Callable[[str], Sequence[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

SLACK_HOSTS = frozenset({"hooks.slack.com"})  # Slack incoming webhooks are served only here
# Instance metadata endpoints that are not caught by the link-local rule (AWS IPv6 IMDS, GCP).
METADATA = frozenset(
    {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("169.254.169.254")}
)
METADATA_NAMES = frozenset({"metadata.google.internal", "metadata"})


def system_resolver(host: str) -> list[str]:
    """Every address `host` resolves to; raises UnsafeTarget when it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget("host does not resolve") from exc
    return sorted({str(info[4][0]) for info in infos})


def check_target(
    url: str,
    *,
    slack: bool = False,
    allow_local: bool = False,
    resolver: Resolver = system_resolver,
) -> None:
    """Raise UnsafeTarget unless `url` is a safe delivery target.

    `slack`: the host must be Slack's webhook host. `allow_local` (local/test only): http and
    loopback targets are allowed too, so the offline stack can deliver to local receivers."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme != "https" and not (allow_local and parts.scheme == "http"):
        raise UnsafeTarget("the URL must use https")
    if not host or parts.username or parts.password:
        raise UnsafeTarget("the URL needs a host and no user info")
    if host in METADATA_NAMES:
        raise UnsafeTarget("metadata endpoint")
    if slack and host not in SLACK_HOSTS and not allow_local:
        raise UnsafeTarget("Slack targets must be https://hooks.slack.com/...")
    addresses = _literal(host) or [_parse(a) for a in resolver(host)]
    if not addresses:
        raise UnsafeTarget("host does not resolve")
    for address in addresses:
        _check_address(address, allow_local=allow_local)


def _literal(host: str) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        return []


def _parse(address: str) -> IPAddress:
    # getaddrinfo reports scoped IPv6 as 'fe80::1%eth0'
    return ipaddress.ip_address(address.split("%", 1)[0])


def _check_address(address: IPAddress, *, allow_local: bool) -> None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in METADATA:
        raise UnsafeTarget("metadata address")
    if allow_local and address.is_loopback:
        return
    if not address.is_global or address.is_multicast or address.is_reserved:
        raise UnsafeTarget(f"non-public address ({_kind(address)})")


def _kind(address: IPAddress) -> str:
    for name in ("loopback", "link_local", "private", "multicast", "unspecified", "reserved"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    return "not global"
