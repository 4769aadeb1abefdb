"""One outbound webhook request with a total deadline.

httpx's timeouts apply to each socket operation, so a receiver dripping a byte at a time could hold a worker for
minutes. Here every connect, read and write is cut to what is left of the request's deadline; redirects are not
followed (the target was checked, a redirect's target was not) and at most 4 KB of the answer is read.
"""

import threading
import time
from dataclasses import dataclass

import httpx

from common.deadline_http import DeadlineTransport, call_deadline

_client: httpx.Client | None = None
_client_lock = threading.Lock()


def _http() -> httpx.Client:
    global _client
    with _client_lock:
        if _client is None:
            limits = httpx.Limits(max_connections=50, max_keepalive_connections=10)
            _client = httpx.Client(
                transport=DeadlineTransport(limits, unix_sockets=False), limits=limits, follow_redirects=False
            )
        return _client


@dataclass(frozen=True)
class PostResult:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float, deadline: float) -> PostResult:
    """POST `body`; never raises for the network's or the receiver's failures, never lasts past `deadline` s."""
    started = time.monotonic()
    status_code: int | None = None
    error = ""
    try:
        with (
            call_deadline(deadline),
            _http().stream("POST", url, content=body, headers=headers, timeout=timeout) as response,
        ):
            status_code = response.status_code
            read = 0
            for chunk in response.iter_raw():
                read += len(chunk)
                if read >= 4096:
                    break
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except httpx.TimeoutException as exc:
        error = f"timeout: {exc}" if str(exc) else "timeout"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"
    return PostResult(status_code, error[:500], int((time.monotonic() - started) * 1000))
