"""The SSRF guard's table: what it refuses and what it lets through (no DNS: a fake resolver)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tensionwatch.delivery.errors import UnsafeTarget
from tensionwatch.delivery.ssrf import check_target

DNS = {
    "hooks.example.com": ["93.184.216.34"],
    "hooks.slack.com": ["34.226.36.40"],
    "intranet.example.com": ["10.1.2.3"],
    "mixed.example.com": ["93.184.216.34", "192.168.1.5"],
    "v6.example.com": ["2606:4700::6810:84e5"],
    "v6-private.example.com": ["fd12:3456::1"],
    "mapped.example.com": ["::ffff:127.0.0.1"],
    "localhost": ["127.0.0.1", "::1"],
}


def resolve(host: str) -> Sequence[str]:
    return DNS.get(host, [])


REFUSED = [
    "http://hooks.example.com/x",  # plain http
    "ftp://hooks.example.com/x",
    "https://127.0.0.1/x",
    "https://10.0.0.8/x",
    "https://172.16.4.4/x",
    "https://192.168.0.1/x",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/x",
    "https://[fe80::1]/x",
    "https://[::ffff:10.0.0.1]/x",
    "https://[fd00:ec2::254]/x",
    "https://0.0.0.0/x",
    "https://224.0.0.1/x",
    "https://240.0.0.1/x",
    "https://100.64.0.1/x",  # carrier-grade NAT
    "https://intranet.example.com/x",  # a name resolving to a private address
    "https://mixed.example.com/x",  # any private answer is enough to refuse
    "https://v6-private.example.com/x",
    "https://mapped.example.com/x",
    "https://localhost/x",
    "https://metadata.google.internal/x",
    "https://unknown.example.com/x",  # does not resolve
    "https://user:pw@hooks.example.com/x",
    "https://hooks.example.com:8443/x",  # not 443, and TARGET_PORTS is empty
    "https://[2002:7f00:1::1]/x",  # 6to4 carrying 127.0.0.1
    "https://[2002:a00:1::1]/x",  # 6to4 carrying 10.0.0.1
    "https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/x",  # Teredo, client 10.0.0.1
    "https://[64:ff9b::7f00:1]/x",  # NAT64 of 127.0.0.1
]
# A URL another parser could read differently: refused before anything resolves, and marked
# malformed (a stored one disables its subscription: it can never be sent to).
MALFORMED = [
    "https://hooks.slack.com/services/T/B/TOKEN xyz",
    "https://hooks.slack.com/services/T/B/TOKEN\n",
    "https://hooks.slack.com/services/T/B/TOKEN\t",
    "https://hooks.example.com/x\x00",
    "https://hooks.example.com/x\x1b[2J",
    "https://hooks.example.com/\u202ex",  # bidi override
    "https://hooks.example.com/\u200bx",  # zero-width space
    "https://hooks.exa\u0430mple.com/x",  # Cyrillic a
    " https://hooks.example.com/x",
    "https://hooks.example.com\\@evil.example/x",
    "https://hooks.example.com/x#frag",
    "https://hooks.example.com/x?",  # does not read back as itself
    "https://hooks.example.com:99999/x",
    "https://hooks.example.com:port/x",
    "https://hooks%2eexample.com/x",
    pytest.param("https://hooks.example.com/" + "a" * 2048, id="longer-than-2048"),
]
ACCEPTED = [
    "https://hooks.example.com/x",
    "https://93.184.216.34/hook",
    "https://v6.example.com/x",
    "https://[2606:4700::6810:84e5]/x",
    "https://hooks.example.com:443/x?token=1",
    "https://[2002:5db8:d822::1]/x",  # 6to4 of a public IPv4 (93.184.216.34)
]


@pytest.mark.parametrize("url", REFUSED)
def test_refused_targets(url: str) -> None:
    with pytest.raises(UnsafeTarget) as caught:
        check_target(url, resolver=resolve)
    assert "example" not in str(caught.value)  # the reason never quotes the URL


@pytest.mark.parametrize("url", ACCEPTED)
def test_accepted_targets(url: str) -> None:
    check_target(url, resolver=resolve)


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_targets_are_refused_without_resolving(url: str) -> None:
    def no_dns(host: str) -> Sequence[str]:
        raise AssertionError(f"resolved {host!r}")

    with pytest.raises(UnsafeTarget) as caught:
        check_target(url, resolver=no_dns)
    assert caught.value.disable
    assert "TOKEN" not in str(caught.value) and "example" not in str(caught.value)


def test_the_checked_target_is_what_the_connection_uses() -> None:
    target = check_target("https://Hooks.Example.com/a/b?x=1&y=2", resolver=resolve)
    assert (target.scheme, target.host, target.port) == ("https", "hooks.example.com", 443)
    assert (target.path, target.addresses) == ("/a/b?x=1&y=2", ("93.184.216.34",))


def test_other_ports_only_from_the_allow_list() -> None:
    url = "https://hooks.example.com:8443/x"
    assert check_target(url, ports={8443}, resolver=resolve).port == 8443
    with pytest.raises(UnsafeTarget, match="port 8443"):
        check_target(url, ports={9443}, resolver=resolve)
    with pytest.raises(UnsafeTarget, match="port 8080"):  # local runs need the list too
        check_target("http://localhost:8080/hook", allow_local=True, resolver=resolve)


def test_slack_targets_must_be_slack_hooks() -> None:
    check_target("https://hooks.slack.com/services/T/B/X", slack=True, resolver=resolve)
    with pytest.raises(UnsafeTarget, match=r"hooks\.slack\.com"):
        check_target("https://hooks.example.com/services/T/B/X", slack=True, resolver=resolve)


def test_local_setting_allows_http_and_loopback_but_still_not_private_or_metadata() -> None:
    local = {"allow_local": True, "ports": {8080}, "resolver": resolve}
    check_target("http://localhost:8080/hook", **local)  # type: ignore[arg-type]
    check_target("http://127.0.0.1:8080/slack", slack=True, **local)  # type: ignore[arg-type]
    for url in ("http://10.0.0.8/x", "http://169.254.169.254/x", "https://[2002:7f00:1::1]/x"):
        with pytest.raises(UnsafeTarget):
            check_target(url, **local)  # type: ignore[arg-type]
