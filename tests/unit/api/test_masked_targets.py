"""A subscription's URL target as the API shows it: scheme, host and port, nothing that could
carry a credential (user info, path, query, fragment)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tensionwatch.api.models import masked
from tensionwatch.subscriptions import Subscription
from tests.factories import T0


def _webhook(target: str) -> Subscription:
    return Subscription(id="sub_1", channel="webhook", target=target, created_at=T0)


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("https://hooks.example.com?token=s3cr3t", "https://hooks.example.com/…"),
        ("https://hooks.example.com#token=s3cr3t", "https://hooks.example.com/…"),
        ("https://hooks.example.com/in/path?token=s3cr3t#s3cr3t", "https://hooks.example.com/…"),
        ("https://hooks.example.com:8443?token=s3cr3t", "https://hooks.example.com:8443/…"),
        ("https://user:s3cr3t@hooks.example.com/x", "https://hooks.example.com/…"),
        ("https://hooks.example.com?a=1@s3cr3t/x", "https://hooks.example.com/…"),
        ("https://[2001:db8::1]:8443/x?token=s3cr3t", "https://[2001:db8::1]:8443/…"),
        ("https://[2001:db8::1?token=s3cr3t", "https://…"),  # unparseable: nothing shown
        ("https://hooks.example.com:99999?token=s3cr3t", "https://…"),
        ("HTTPS://Hooks.Example.COM/services/T/B/s3cr3t", "https://hooks.example.com/…"),
        ("hooks.example.com/s3cr3t", "://…"),  # no scheme: stored before validation, say
    ],
)
def test_a_url_target_shows_only_scheme_host_and_port(target: str, shown: str) -> None:
    assert masked(_webhook(target)) == shown


@given(st.sampled_from("?#"), st.text(min_size=8))
def test_no_query_or_fragment_is_ever_shown(separator: str, secret: str) -> None:
    shown = masked(_webhook(f"https://hooks.example.com{separator}{secret}"))
    assert shown == "https://hooks.example.com/…"


def test_an_email_target_is_the_address_its_owner_gave() -> None:
    email = Subscription(id="sub_2", channel="email", target="desk@example.org", created_at=T0)
    assert masked(email) == "desk@example.org"
