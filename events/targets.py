"""Which URLs a webhook may call: http(s) only, and (unless WEBHOOKS_ALLOW_PRIVATE_TARGETS) only hosts that resolve
to public addresses, so an endpoint cannot point the server at itself or its network (SSRF).

Checked when an endpoint is registered or changed, and again before every attempt (a name may resolve elsewhere
later).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from events.conf import webhook_settings


class TargetNotAllowed(Exception):
    pass


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def target_check(url: str) -> None:
    """Raise TargetNotAllowed (with a reason for people) when the server must not call `url`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetNotAllowed("The URL must be http:// or https:// with a host.")
    if parts.username or parts.password:
        raise TargetNotAllowed("The URL must not carry credentials.")
    if webhook_settings().allow_private_targets:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as exc:
        raise TargetNotAllowed("The URL's host does not resolve.") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not _public(address):
            raise TargetNotAllowed("The URL's host resolves to a loopback, private or link-local address.")
