"""SSRF guard: a delivery target must be a well-formed, public https endpoint on an allowed port.

The URL is read strictly (printable ASCII only, it must read back as itself) by the one parser
whose view the connection then uses: `check_target` returns the host, port and request path
the transport sends to, and the addresses it checked. Every address must be globally routable:
no private, loopback, link-local (cloud metadata lives there), multicast, reserved or
unspecified addresses, in IPv4, IPv6, IPv4-mapped IPv6, or IPv4 carried inside 6to4, Teredo or
NAT64 addresses. The transport connects to a checked address, never to a second resolution of
the name (DNS rebinding), and never follows redirects.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit, urlunsplit

from tensionwatch.delivery.errors import UnsafeTarget

Resolver = Callable[[str], Sequence[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

HTTPS_PORT = 443  # any other port needs the TARGET_PORTS allow-list
MAX_TARGET_URL = 2048  # as the API's limit: longest URL browsers and API Gateway handle well
SLACK_HOSTS = frozenset({"hooks.slack.com"})  # Slack incoming webhooks are served only here
# Instance metadata endpoints that are not caught by the link-local rule (AWS IPv6 IMDS, GCP).
METADATA = frozenset(
    {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("169.254.169.254")}
)
METADATA_NAMES = frozenset({"metadata.google.internal", "metadata"})
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the last 32 bits are an IPv4 address
# A DNS name (letters, digits, hyphens, dots) or an IP literal (urllib drops an IPv6 literal's
# brackets): nothing a second parser could read differently ('%', '_', '@', non-ASCII).
_HOST = re.compile(r"^[a-z0-9.:-]+$")


@dataclass(frozen=True)
class Target:
    """A checked target: what the transport connects to and sends, and nothing else."""

    scheme: str
    host: str  # the name for the Host header, SNI and the certificate check
    port: int
    path: str  # the request target: path and query
    addresses: tuple[str, ...]  # every address the host resolved to, each checked


def system_resolver(host: str) -> list[str]:
    """Every address `host` resolves to; raises UnsafeTarget when it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise UnsafeTarget("host does not resolve") from None
    return sorted({str(info[4][0]) for info in infos})


def check_target(
    url: str,
    *,
    slack: bool = False,
    allow_local: bool = False,
    ports: Collection[int] = (),
    resolver: Resolver = system_resolver,
) -> Target:
    """The target `url` names, checked; raises UnsafeTarget (never quoting the URL).

    `slack`: the host must be Slack's webhook host. `ports`: ports allowed besides 443 (the
    TARGET_PORTS setting). `allow_local` (local/test only): http and loopback targets are
    allowed too, so the offline stack can deliver to local receivers."""
    parts = _strict_split(url)
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme != "https" and not (allow_local and parts.scheme == "http"):
        raise UnsafeTarget("the URL must use https")
    if not host or parts.username is not None or parts.password is not None:
        raise UnsafeTarget("the URL needs a host and no user info")
    if host in METADATA_NAMES:
        raise UnsafeTarget("metadata endpoint")
    if slack and host not in SLACK_HOSTS and not allow_local:
        raise UnsafeTarget("Slack targets must be https://hooks.slack.com/...")
    port = _port(parts, ports)
    addresses = _literal(host) or [_parse(a) for a in resolver(host)]
    if not addresses:
        raise UnsafeTarget("host does not resolve")
    for address in addresses:
        _check_address(address, allow_local=allow_local)
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return Target(parts.scheme, host.strip("[]"), port, path, tuple(str(a) for a in addresses))


def _strict_split(url: str) -> SplitResult:
    """`url` split by urllib (the view the transport uses), refusing anything another parser
    could read differently: whitespace, control, non-ASCII and bidi characters, a backslash, a
    fragment, or a URL that does not read back as itself."""
    if len(url) > MAX_TARGET_URL:
        raise UnsafeTarget(f"the URL is longer than {MAX_TARGET_URL} characters", malformed=True)
    if not all("!" <= char <= "~" for char in url) or "\\" in url:
        raise UnsafeTarget("the URL holds whitespace, control or non-ASCII characters",
                           malformed=True)  # fmt: skip
    parts = urlsplit(url)
    if parts.fragment or urlunsplit(parts) != url:
        raise UnsafeTarget("the URL does not read back as itself", malformed=True)
    if parts.hostname and not _HOST.match(parts.hostname):
        raise UnsafeTarget("the URL's host is not a DNS name or an IP address", malformed=True)
    return parts


def _port(parts: SplitResult, allowed: Collection[int]) -> int:
    try:
        port = parts.port or (HTTPS_PORT if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeTarget("the URL's port is not a number", malformed=True) from None
    if port != HTTPS_PORT and port not in allowed:
        raise UnsafeTarget(f"port {port} is not allowed (443, or TARGET_PORTS)")
    return port


def _literal(host: str) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        return []


def _parse(address: str) -> IPAddress:
    # getaddrinfo reports scoped IPv6 as 'fe80::1%eth0'
    return ipaddress.ip_address(address.split("%", 1)[0])


def _check_address(address: IPAddress, *, allow_local: bool) -> None:
    for inner in _embedded(address):
        _check_address(inner, allow_local=False)  # a tunnel to loopback is never local
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in METADATA:
        raise UnsafeTarget("metadata address")
    if allow_local and address.is_loopback:
        return
    if not address.is_global or address.is_multicast or address.is_reserved:
        raise UnsafeTarget(f"non-public address ({_kind(address)})")


def _embedded(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address routes to: 6to4 (2002::/16, which Python counts as
    global whatever it embeds), Teredo (2001::/32: server and client) and NAT64."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    inner = [address.sixtofour] if address.sixtofour else []
    inner += list(address.teredo or ())
    if address in NAT64:
        inner.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [a for a in inner if a is not None]


def _kind(address: IPAddress) -> str:
    for name in ("loopback", "link_local", "private", "multicast", "unspecified", "reserved"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    return "not global"
