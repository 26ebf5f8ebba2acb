"""Limits per person, not per proxy (issue 13): behind a trusted proxy each client is counted by
its own address; a forwarding header from anyone else changes nothing.

The addresses are from the documentation ranges (RFC 5737); no traffic leaves the test client."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from hms.core import ratelimit
from hms.core.clientaddress import ClientAddressMiddleware, client_address

PROXY, CLIENT_A, CLIENT_B, STRANGER = "192.0.2.10", "198.51.100.1", "198.51.100.2", "203.0.113.7"
BLOCKED = "Too many failed login attempts"


@pytest.fixture
def behind_proxy(settings):
    settings.HMS_TRUSTED_PROXIES = ["192.0.2.0/28"]


def failed_logins(count, *, remote, forwarded=lambda i: ""):
    """`count` failed sign-ins, each with another login name (so only the address limit counts);
    the last page."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=remote)
    page = ""
    for i in range(count):
        page = client.post("/accounts/login/", {"login": f"nobody{i}", "password": "x"},
                           HTTP_X_FORWARDED_FOR=forwarded(i)).content.decode()
    return page


def test_two_people_behind_one_trusted_proxy_are_limited_separately(cast, behind_proxy):
    assert BLOCKED in failed_logins(11, remote=PROXY, forwarded=lambda i: CLIENT_A)
    assert BLOCKED not in failed_logins(1, remote=PROXY, forwarded=lambda i: CLIENT_B)


def test_a_forged_forwarding_header_from_an_untrusted_address_changes_nothing(cast, behind_proxy):
    page = failed_logins(11, remote=STRANGER, forwarded=lambda i: f"198.51.100.{i + 10}")
    assert BLOCKED in page
    assert BLOCKED not in failed_logins(1, remote=PROXY, forwarded=lambda i: CLIENT_A)


def test_without_trusted_proxies_the_header_is_ignored(cast, settings):
    settings.HMS_TRUSTED_PROXIES = []
    assert BLOCKED in failed_logins(11, remote=PROXY, forwarded=lambda i: f"198.51.100.{i + 10}")


@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    (PROXY, CLIENT_A, CLIENT_A),
    (PROXY, f"{STRANGER}, {CLIENT_A}, 192.0.2.11", CLIENT_A),  # the client's own claim is left of it
    (PROXY, "192.0.2.11", PROXY),                              # only proxies: the peer
    (PROXY, "not-an-address", PROXY),
    (PROXY, "", PROXY),
    (STRANGER, CLIENT_A, STRANGER),
    ("2001:db8::1", CLIENT_A, "2001:db8::1"),
])
def test_the_client_is_the_first_address_right_of_the_trusted_proxies(remote, forwarded, expected):
    assert client_address(remote, forwarded, ("192.0.2.0/28",)) == expected


def test_the_public_forms_limit_counts_each_client_behind_the_proxy(db, behind_proxy):
    def allowed(forwarded):
        request = RequestFactory().post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        return ClientAddressMiddleware(lambda r: ratelimit.allow(r, "test", "2/h"))(request)

    assert [allowed(CLIENT_A) for _ in range(3)] == [True, True, False]
    assert allowed(CLIENT_B) is True
