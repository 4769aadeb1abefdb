"""Dependency checks for `/health/`, each bounded by a total deadline so a dependency that hangs makes the answer
"unavailable" within about a second instead of holding the caller (a load balancer) for as long as it hangs."""

import select
import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection

#: seconds each check may take in all (connect, handshake, query)
DEADLINE = 1.5
#: the broker answers an AMQP handshake in milliseconds when it is up: a second is plenty
BROKER_DEADLINE = 1.0


def database_answers(deadline: float = DEADLINE) -> bool:
    """True when the database answers `SELECT 1` on a new connection within `deadline` seconds.

    On PostgreSQL the check opens its own connection in psycopg2's asynchronous mode and waits on the socket
    with the deadline, so neither a stalled connect nor a stalled query can outlast it; a new connection also
    tells the truth after a partition, when this worker's own pooled connection may still look alive.
    """
    if connection.vendor != "postgresql":
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                return cursor.fetchone() == (1,)
        except DatabaseError:
            return False
    import psycopg2
    import psycopg2.extensions

    until = time.monotonic() + deadline
    params: dict[str, Any] = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params["connect_timeout"] = max(1, int(deadline))
    raw = None
    try:
        raw = psycopg2.connect(**params, async_=True)
        _wait(raw, until)
        cursor = raw.cursor()
        cursor.execute("SELECT 1")
        _wait(raw, until)
        return cursor.fetchone() == (1,)
    except (psycopg2.Error, OSError, TimeoutError):
        return False
    finally:
        if raw is not None:
            raw.close()


def _wait(raw: Any, until: float) -> None:
    import psycopg2.extensions

    while True:
        state = raw.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        remaining = until - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("database check past its deadline")
        if state == psycopg2.extensions.POLL_READ:
            select.select([raw.fileno()], [], [], remaining)
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [raw.fileno()], [], remaining)
        else:
            raise psycopg2.OperationalError(f"unexpected poll state {state}")


def broker_state(deadline: float = BROKER_DEADLINE) -> str:
    """ "ok" when the task broker completes an AMQP handshake within `deadline`, "unavailable" otherwise, "inline"
    when tasks run in-process (`CELERY_TASK_ALWAYS_EAGER`) and no broker is used."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "inline"
    from kombu import Connection

    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=deadline,
            transport_options={"read_timeout": deadline, "write_timeout": deadline},
        ) as broker:
            broker.ensure_connection(max_retries=0, timeout=deadline)  # one attempt, no retry
    except Exception:  # kombu and amqp raise their own and socket errors alike: all mean "not reachable now"
        return "unavailable"
    return "ok"
