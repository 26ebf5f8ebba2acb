"""The client's network address behind the reverse proxies the install trusts.

Behind a proxy every request comes from the proxy's address, so limits per address (failed
sign-ins, reports on the public forms) would count the whole university as one client. Only when
the request comes from a configured trusted proxy (`HMS_TRUSTED_PROXIES`) is `X-Forwarded-For`
read: from its right end, skipping the trusted proxies, the first other address is the client's.
A header from anyone else is ignored, so an outsider cannot choose the address they are counted
under. The address is used for those limits only: HMS stores and logs it nowhere."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parsed(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(remote: str, forwarded_for: str, proxies: tuple[str, ...]) -> str:
    """The client's address, given the peer's address, the X-Forwarded-For header and the
    trusted proxies (addresses or networks). A hop that is no address ends the walk at the peer."""
    networks = _networks(proxies)

    def trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        return address is not None and any(address in network for network in networks)

    if not forwarded_for or not trusted(_parsed(remote)):
        return remote
    for hop in reversed(forwarded_for.split(",")):
        address = _parsed(hop)
        if not trusted(address):
            return str(address) if address is not None else remote
    return remote


class ClientAddressMiddleware:
    """Puts the client's address in `REMOTE_ADDR`, where Django, allauth's limits and ours read it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        proxies = tuple(settings.HMS_TRUSTED_PROXIES)
        if proxies:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""),
                proxies)
        return self.get_response(request)
