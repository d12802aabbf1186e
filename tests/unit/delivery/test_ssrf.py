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
]
ACCEPTED = [
    "https://hooks.example.com/x",
    "https://93.184.216.34/hook",
    "https://v6.example.com/x",
    "https://[2606:4700::6810:84e5]:8443/x",
]


@pytest.mark.parametrize("url", REFUSED)
def test_refused_targets(url: str) -> None:
    with pytest.raises(UnsafeTarget) as caught:
        check_target(url, resolver=resolve)
    assert "example" not in str(caught.value)  # the reason never quotes the URL


@pytest.mark.parametrize("url", ACCEPTED)
def test_accepted_targets(url: str) -> None:
    check_target(url, resolver=resolve)


def test_slack_targets_must_be_slack_hooks() -> None:
    check_target("https://hooks.slack.com/services/T/B/X", slack=True, resolver=resolve)
    with pytest.raises(UnsafeTarget, match=r"hooks\.slack\.com"):
        check_target("https://hooks.example.com/services/T/B/X", slack=True, resolver=resolve)


def test_local_setting_allows_http_and_loopback_but_still_not_private_or_metadata() -> None:
    check_target("http://localhost:8080/hook", allow_local=True, resolver=resolve)
    check_target("http://127.0.0.1:8080/slack", slack=True, allow_local=True, resolver=resolve)
    for url in ("http://10.0.0.8/x", "http://169.254.169.254/x"):
        with pytest.raises(UnsafeTarget):
            check_target(url, allow_local=True, resolver=resolve)
