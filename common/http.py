"""Facts about the client behind a request, as seen through the proxies the deployment declares."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.settings import api_settings


def client_ip(request: HttpRequest | Request) -> str | None:
    """The client's IP address, by DRF's `NUM_PROXIES` rule (the one its throttles use to tell clients apart).

    With `NUM_PROXIES` 0 (or unset) it is `REMOTE_ADDR` and `X-Forwarded-For` is ignored, since any client can
    send one. With N proxies in front of the app it is the Nth entry from the end of `X-Forwarded-For`: the last
    N entries were written by our proxies, anything before them by whoever connected first, so that is the
    farthest hop we can trust. An entry that is not an IP address falls back to `REMOTE_ADDR`, and a
    `REMOTE_ADDR` that is not one either gives None: the value is stored in a `GenericIPAddressField`, where
    garbage would be a database error.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR")
    num_proxies = api_settings.NUM_PROXIES or 0
    if num_proxies > 0 and forwarded_for is not None:
        entries = forwarded_for.split(",")
        forwarded = _ip_or_none(entries[-min(num_proxies, len(entries))].strip())
        if forwarded is not None:
            return forwarded
    return _ip_or_none(remote_addr)


def _ip_or_none(value: str | None) -> str | None:
    """The address itself; some balancers write `1.2.3.4:5123` or `[2001:db8::1]:443`, with the client's port."""
    if not value:
        return None
    if value.startswith("["):  # [IPv6]:port
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # IPv4:port (a bare IPv6 address has several colons)
        value = value.split(":", 1)[0]
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    return value
