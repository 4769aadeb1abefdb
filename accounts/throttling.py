"""Rate limits of the auth endpoints, counted per client as `common.http.client_ip` sees it."""

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

from common.http import client_ip


class ClientScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, keyed by the validated client address that sessions record.

    DRF's own key is the raw `X-Forwarded-For` entry, unchecked: behind a proxy that passes garbage through, every
    distinct string would open a fresh bucket (and a key memcached refuses). A request without a usable address
    shares one bucket with the others like it.
    """

    def get_ident(self, request: Request) -> str:
        return client_ip(request) or "unknown"
