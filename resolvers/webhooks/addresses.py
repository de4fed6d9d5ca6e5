"""Where a webhook may be sent: http(s) URLs of hosts that resolve to public addresses only.

A URL the server calls on someone's behalf could name the server's own network (the
database, a metadata service, an admin page on loopback): server-side request forgery.
Every address a host resolves to must be public, checked at registration and again at
each delivery, when the request then goes to the very address checked, so a name that
resolves to a public address once and to 127.0.0.1 later (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass

import httpx

MAX_URL_LENGTH = 2000
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """A URL the server will not call; the message says why."""


def parse_url(url: str) -> httpx.URL:
    """The URL, if it is an absolute http(s) URL with a host and no credentials in it."""
    try:
        parsed = httpx.URL(url)
        # Reading the host decodes an internationalized name, which may be malformed (ValueError).
        host = parsed.host
    except (httpx.InvalidURL, TypeError, ValueError):
        raise AddressRefused("not a valid URL") from None
    if parsed.scheme not in ("http", "https"):
        raise AddressRefused("only http and https URLs are allowed")
    if not host:
        raise AddressRefused("the URL names no host")
    if parsed.userinfo:
        raise AddressRefused("the URL must not carry a user name or password")
    return parsed


def is_public(address: IPAddress) -> bool:
    # An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it is.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class Target:
    """A URL and the address its host resolved to, which the request connects to."""

    url: httpx.URL
    address: IPAddress


async def resolve(url: str, *, allow_private: bool) -> Target:
    """Resolves the URL's host; refused when any of its addresses is not public (unless allowed)."""
    parsed = parse_url(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        found = await asyncio.get_running_loop().getaddrinfo(parsed.host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise AddressRefused(f"the host {parsed.host} does not resolve: {error}") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    if not addresses:
        raise AddressRefused(f"the host {parsed.host} does not resolve")
    if not allow_private:
        # All of them, not the first: a client library may connect to any of them.
        private = [str(address) for address in addresses if not is_public(address)]
        if private:
            raise AddressRefused(
                f"the host {parsed.host} resolves to a loopback, private or reserved address ({private[0]})"
            )
    return Target(url=parsed, address=addresses[0])
