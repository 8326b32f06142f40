"""The real client address of a request, for the failed-login lockout (django-axes).

Behind a reverse proxy every request arrives from the proxy's address, so keying the lockout on
REMOTE_ADDR would put every user behind one address and let five bad passwords lock any account.
X-Forwarded-For is read from the right (the hops our proxies appended) and trusted only as far as
the hops are ``TRUSTED_PROXIES``: anything further left was written by the client and may be forged.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str | None:
    """The first address, from the right, that is not one of our trusted proxies."""
    address = request.META.get("REMOTE_ADDR")
    if not address or not _is_trusted(address):
        return address  # a direct connection: its own address, whatever headers it sends
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _is_address(hop):
            break  # garbage the client wrote: keep the last address a trusted proxy vouched for
        address = hop
        if not _is_trusted(hop):
            break
    return address
