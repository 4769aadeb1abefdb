"""A TCP proxy of the project's own, between the app and a real service (PostgreSQL, RabbitMQ, a partner), to
inject faults from a test: pass traffic, refuse new connections, reset them, stall them (accept and forward
nothing, like a network partition), or drip the service's answers a few bytes at a time.

    with TcpProxy(("127.0.0.1", 5432)) as proxy:
        settings.DATABASES[...]["PORT"] = proxy.port
        proxy.mode = Mode.STALL      # from now on nothing moves, on new and open connections alike
        proxy.cut()                  # close every open connection
"""

import contextlib
import enum
import selectors
import socket
import threading
import time
from typing import Self


class Mode(enum.StrEnum):
    PASS = "pass"
    REFUSE = "refuse"  # new connections are closed at once (an RST), open ones keep working
    RESET = "reset"  # every connection, open or new, is reset
    STALL = "stall"  # nothing is forwarded either way; connections stay open
    DRIP = "drip"  # the service's answers arrive a byte at a time, `drip_interval` apart


class TcpProxy:
    def __init__(self, upstream: tuple[str, int], *, drip_interval: float = 0.1) -> None:
        self.upstream = upstream
        self.mode = Mode.PASS
        self.drip_interval = drip_interval
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self.accepted = 0

    def __enter__(self) -> Self:
        threading.Thread(target=self._accept_loop, daemon=True, name=f"proxy-{self.port}").start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopped.set()
        self._listener.close()
        self.cut()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def cut(self) -> None:
        """Reset every open connection (new ones follow the mode)."""
        with self._lock:
            pairs, self._pairs = self._pairs, set()
        for client, server in pairs:
            for sock in (client, server):
                _reset(sock)

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            if self.mode in (Mode.REFUSE, Mode.RESET):
                _reset(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _reset(client)
                continue
            server.settimeout(None)
            with self._lock:
                self._pairs.add((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, server)
        selector.register(server, selectors.EVENT_READ, client)
        try:
            while not self._stopped.is_set():
                if self.mode == Mode.RESET:
                    break
                if self.mode == Mode.STALL:
                    time.sleep(0.02)
                    continue
                for key, _ in selector.select(timeout=0.05):
                    source: socket.socket = key.fileobj  # type: ignore[assignment]
                    data = source.recv(65536)
                    if not data:
                        return
                    self._send(key.data, data, from_server=source is server)
        except OSError:
            return
        finally:
            selector.close()
            with self._lock:
                self._pairs.discard((client, server))
            _reset(client)
            _reset(server)

    def _send(self, target: socket.socket, data: bytes, *, from_server: bool) -> None:
        if self.mode == Mode.DRIP and from_server:
            for index in range(len(data)):
                target.sendall(data[index : index + 1])
                time.sleep(self.drip_interval)
            return
        target.sendall(data)


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    with contextlib.suppress(OSError):
        sock.close()
