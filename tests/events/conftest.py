"""A webhook receiver of the tests' own (an HTTP server on loopback, in a thread) and a Celery worker on the real
RabbitMQ consuming a queue of these tests only."""

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records every request; answers 500 while `refusing()` is true (until `refuse_until`), 200 otherwise."""

    port: int = 0
    received: list[Received] = field(default_factory=list)
    refused: list[Received] = field(default_factory=list)
    refuse_until: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/hook/{name}"

    def refusing(self) -> bool:
        return time.monotonic() < self.refuse_until

    def accepted(self, name: str | None = None) -> list[Received]:
        with self.lock:
            return [r for r in self.received if name is None or r.path == f"/hook/{name}"]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            entry = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic())
            refuse = receiver.refusing()
            with receiver.lock:
                (receiver.refused if refuse else receiver.received).append(entry)
            self.send_response(500 if refuse else 200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def events_worker(celery_worker):  # type: ignore[no-untyped-def]
    """A real worker on RabbitMQ on a queue of this test process only (tests/conftest.py `celery_worker`)."""
    return celery_worker
