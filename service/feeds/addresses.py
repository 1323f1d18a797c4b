"""Which network addresses a fetch made for a user may reach.

Fetching a feed or page is the first place the service reaches out on a caller's behalf: without
this check a write-key holder could add `http://169.254.169.254/` or `http://10.0.0.5:6379/` as a
feed and read the internal network through the service. The host is resolved here, every address
it resolves to is checked, and the connection goes to the checked address itself, so a name that
resolves differently a moment later (DNS rebinding) cannot slip past.
"""

from __future__ import annotations

import ipaddress
import socket
import typing

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The URL's host is, or resolves to, an address fetches may not reach."""


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (::ffff:10.0.0.1, 6to4, Teredo, NAT64), if any.

    Each can route to the IPv4 address inside it, so that is the address to judge.
    """
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)


def refusal_reason(address: IPAddress, allow_private: bool) -> str | None:
    """What kind of address this is when it may not be fetched, or None when it may."""
    address = _embedded_ipv4(address) or address
    # Never useful for news, whatever the setting: 0.0.0.0 reaches this machine, multicast is not HTTP.
    if address.is_unspecified or address.is_multicast:
        return "a multicast or unspecified address"
    if allow_private:
        return None
    for kind, flag in (("loopback", address.is_loopback), ("link-local", address.is_link_local),
                       ("private", address.is_private), ("reserved", address.is_reserved),
                       ("non-public", not address.is_global)):
        if flag:
            return f"a {kind} address (NEWSDESK_FEEDS__ALLOW_PRIVATE_ADDRESSES=true allows it)"
    return None


def checked_addresses(host: str, port: int, allow_private: bool) -> list[str]:
    """Every address the host resolves to, once each is allowed; AddressRefused names the first that is not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as exc:  # unknown name, no DNS, a NUL or bad label in it
        raise AddressRefused(f"cannot resolve {host!r}: {exc}") from None
    addresses: list[str] = []
    for *_, sockaddr in infos:
        text = str(sockaddr[0]).split("%")[0]  # a scoped IPv6 address carries %interface
        reason = refusal_reason(ipaddress.ip_address(text), allow_private)
        if reason:
            # One bad address refuses the host: a name pointing both outside and inside is a probe.
            # The address itself is not named: that would tell the caller how internal names resolve.
            raise AddressRefused(f"refused to fetch from {host}: it is or resolves to {reason}")
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise AddressRefused(f"{host!r} resolves to no address")
    return addresses


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses `checked_addresses` allows.

    TLS still verifies the certificate against the URL's host name: httpcore takes the server name
    for the handshake from the request, not from the address connected to.
    """

    def __init__(self, allow_private: bool) -> None:
        self._allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        last_error: Exception | None = None
        for address in checked_addresses(host, port, self._allow_private):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last_error = exc
        raise last_error or httpcore.ConnectError(f"cannot connect to {host}")
