"""The address of the client behind the reverse proxies this site trusts.

Behind a TLS proxy every request's ``REMOTE_ADDR`` is the proxy's, so anything keyed on it (the
log-in lockout, rate limits, access logs) would treat all visitors as one. The proxy appends the
address it saw to ``X-Forwarded-For``; everything to the left of that was sent by the client and
can be anything. So the header is believed only when the request came from a trusted proxy
(``TRUSTED_PROXY_IPS``), and then read from the right: the first address that is not itself a
trusted proxy is the client. With no trusted proxies (the default) the header is ignored.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(text: str) -> Address | None:
    """``text`` as an IP address (an IPv4-mapped IPv6 address as IPv4), or None if it is not one."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def parse_network(text: str) -> Network | None:
    """``text`` (an address or a CIDR network such as ``10.0.0.0/8``) as a network, or None."""
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(network for entry in entries if (network := parse_network(entry)) is not None)


def trusted_proxy_networks() -> tuple[Network, ...]:
    # Settings refuse invalid entries at start-up (lib.env.env_networks); one set by a test or
    # local_settings.py that is not an address is skipped rather than trusted.
    return _networks(tuple(getattr(settings, "TRUSTED_PROXY_IPS", ())))


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's IP address as text, or None when ``REMOTE_ADDR`` is missing or not an address.

    ``REMOTE_ADDR`` unless it is a trusted proxy; then the right-most ``X-Forwarded-For`` entry
    that is not a trusted proxy (entries that are not addresses are skipped). Never the left-most
    entry for its own sake: the client writes that one. Django-axes calls this through
    ``AXES_CLIENT_IP_CALLABLE``.
    """
    remote = parse_address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    networks = trusted_proxy_networks()
    if not _is_trusted(remote, networks):
        return str(remote)
    client = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = parse_address(entry)
        if address is None:
            continue
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
