"""Webhook signatures: `Webhook-Signature: v1=<hex HMAC-SHA256 of "{timestamp}.{body}" with the secret>`.

`signature_verify` is what a receiver runs (the README shows it as a standalone snippet); the tests run it against
what the server sends.
"""

import hashlib
import hmac
import secrets
import time

SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE = 300  # seconds


def secret_generate() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SIGNATURE_VERSION}={mac.hexdigest()}"


def signature_verify(
    *,
    secret: str,
    body: bytes,
    timestamp: str,
    header: str,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """True when `header` signs `body` at `timestamp` with `secret`, and `timestamp` is within `tolerance` seconds."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        return False
    expected = signature(secret=secret, timestamp=sent_at, body=body)
    # several signatures may be sent (space-separated) while a secret is being rolled
    return any(hmac.compare_digest(expected, candidate) for candidate in header.split())
