"""Fault injection: the app reaches PostgreSQL through the project's own TCP proxy, which the tests drive."""

from collections.abc import Iterator

import pytest
from django.db import connections

from tests.support.proxy import Mode, TcpProxy


@pytest.fixture
def database_proxy(transactional_db) -> Iterator[TcpProxy]:  # type: ignore[no-untyped-def]
    """Every new connection of the app to the test database goes through a TcpProxy until the test ends."""
    connection = connections["default"]
    settings_dict = connection.settings_dict
    saved = {key: settings_dict.get(key) for key in ("HOST", "PORT", "OPTIONS")}
    upstream = (settings_dict.get("HOST") or "127.0.0.1", int(settings_dict.get("PORT") or 5432))
    with TcpProxy(upstream) as proxy:
        connection.close()
        settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(proxy.port)
        settings_dict["OPTIONS"] = dict(settings_dict.get("OPTIONS") or {})
        try:
            yield proxy
        finally:
            proxy.mode = Mode.PASS
            connection.close()
            settings_dict.update(saved)


@pytest.fixture
def app_server(database_proxy: TcpProxy) -> Iterator[str]:
    """The app behind a real HTTP server thread with a persistent database connection (CONN_MAX_AGE, health checks)
    as in production, so a request sees what a worker sees after a fault; returns its base URL."""
    import threading
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.core.handlers.wsgi import WSGIHandler

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    settings_dict = connections["default"].settings_dict
    saved_max_age = settings_dict.get("CONN_MAX_AGE")
    settings_dict["CONN_MAX_AGE"] = 60
    server: WSGIServer = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        settings_dict["CONN_MAX_AGE"] = saved_max_age
