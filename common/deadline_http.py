"""Outbound HTTP with a total deadline (httpx on httpcore), shared by the partner client and webhook deliveries.

httpx's timeouts apply to each socket operation, so a peer that drips a byte at a time can hold a call for as long
as it likes. Inside `call_deadline(seconds)`, every connect, read and write of a client built on
`DeadlineTransport` is cut to what is left of the deadline, and fails with httpx's own timeout errors past it.
"""

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

#: the monotonic time by which the current call must end (per thread and task)
_deadline: ContextVar[float | None] = ContextVar("http_call_deadline", default=None)


def bounded(timeout: float | None, timeout_error: type[Exception]) -> float | None:
    """A socket operation's timeout, cut to what is left of the current call's deadline."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise timeout_error("the call's total deadline has passed")
    return remaining if timeout is None else min(timeout, remaining)


@contextmanager
def call_deadline(seconds: float) -> Iterator[float]:
    """Set the current call's deadline (never later than an enclosing call's); yields it."""
    deadline = time.monotonic() + seconds
    enclosing = _deadline.get()
    if enclosing is not None:
        deadline = min(deadline, enclosing)
    token = _deadline.set(deadline)
    try:
        yield deadline
    finally:
        _deadline.reset(token)


class DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        tls = self._stream.start_tls(ssl_context, server_hostname, bounded(timeout, httpcore.ConnectTimeout))
        return DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, *, unix_sockets: bool = True) -> None:
        self._backend = httpcore.SyncBackend()
        self._unix_sockets = unix_sockets

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        connect = bounded(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._backend.connect_tcp(host, port, connect, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        if not self._unix_sockets:
            raise httpcore.ConnectError("unix sockets are not allowed here")
        connect = bounded(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._backend.connect_unix_socket(path, connect, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport on a connection pool whose sockets honour the current call's deadline."""

    def __init__(self, limits: httpx.Limits, *, unix_sockets: bool = True) -> None:
        super().__init__(limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=DeadlineBackend(unix_sockets=unix_sockets),
        )
