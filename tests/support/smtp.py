"""A real SMTP server on loopback (aiosmtpd) that records what it receives: the outside world's mail server."""

import socket
import threading
import time
from collections.abc import Callable
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A loopback port nobody listens on (until someone starts listening on it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Recorder:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class FakeMailServer:
    """Start and stop it at will on one port: stopped, the port refuses connections like a mail server that is down."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self._recorder = _Recorder()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Message]:
        with self._recorder.lock:
            return list(self._recorder.messages)

    def to(self, address: str) -> list[Message]:
        return [message for message in self.messages if message["To"] == address]

    def start(self) -> "FakeMailServer":
        self._controller = Controller(self._recorder, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def wait_until(condition: Callable[[], Any], *, timeout: float = 20.0, interval: float = 0.05) -> Any:
    """Poll `condition` until it returns something truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)
