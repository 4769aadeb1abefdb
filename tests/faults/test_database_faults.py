"""PostgreSQL cut, refused or stalled: no request waits longer than its deadline, the answer says so (503), nothing
is half-written, and everything recovers without a restart. Faults come from a TCP proxy between app and database."""

import threading
import time

import httpx
import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from accounts.models import OutgoingEmail, User
from tests.accounts.factories import UserFactory
from tests.support.auth import client_for, login
from tests.support.proxy import Mode, TcpProxy
from tests.support.smtp import wait_until

pytestmark = pytest.mark.postgres

PASSWORD = "s3cure-Passw0rd"


def _timed_get(client: APIClient, path: str) -> tuple[int, float, dict]:
    started = time.monotonic()
    response = client.get(path)
    return response.status_code, time.monotonic() - started, response.json()


def test_health_is_503_within_2_s_while_the_database_is_cut_or_stalled_and_200_once_it_is_back(
    database_proxy: TcpProxy,
) -> None:
    client = APIClient()
    assert client.get("/health/").status_code == 200

    for mode in (Mode.REFUSE, Mode.STALL):
        database_proxy.mode = mode
        database_proxy.cut()
        status, elapsed, body = _timed_get(client, "/health/")
        assert (status, body) == (503, {"status": "unavailable"}), mode
        assert elapsed < 2.0, (mode, elapsed)

    database_proxy.mode = Mode.PASS
    assert client.get("/health/").json() == {"status": "ok"}


def _me(app_server: str, access: str) -> tuple[int, float, dict]:
    started = time.monotonic()
    response = httpx.get(f"{app_server}/api/auth/me/", headers={"Authorization": f"Bearer {access}"}, timeout=30)
    return response.status_code, time.monotonic() - started, response.json()


def test_requests_during_a_cut_answer_503_at_once_and_work_again_without_a_restart(
    app_server: str, database_proxy: TcpProxy
) -> None:
    proxy = database_proxy
    access = login(APIClient(), UserFactory())["access"]
    assert _me(app_server, access)[0] == 200  # the server's worker now holds a persistent connection

    # the database goes away: open connections are reset, new ones refused
    proxy.mode = Mode.RESET
    proxy.cut()
    status, elapsed, body = _me(app_server, access)
    assert status == 503
    assert body == {"detail": "The service is briefly unavailable; please retry.", "code": "database_unavailable"}
    assert elapsed < 1.0

    # it comes back: the same worker reconnects on its next request
    proxy.mode = Mode.PASS
    assert _me(app_server, access)[0] == 200


def test_a_database_that_accepts_but_never_answers_costs_a_request_its_connect_timeout(
    app_server: str, database_proxy: TcpProxy
) -> None:
    proxy = database_proxy
    access = login(APIClient(), UserFactory())["access"]
    timeout = connection.settings_dict["OPTIONS"]["connect_timeout"]
    proxy.mode = Mode.STALL
    proxy.cut()

    # the worker's connection was dropped, and every new one stalls in its handshake
    answers = [_me(app_server, access) for _ in range(2)]

    assert [status for status, _, _ in answers] == [503, 503]
    assert all(elapsed < timeout + 1.0 for _, elapsed, _ in answers), answers
    proxy.mode = Mode.PASS
    assert _me(app_server, access)[0] == 200


def test_a_statement_past_its_timeout_is_cancelled_and_answered_503(database_proxy: TcpProxy) -> None:
    client = client_for(UserFactory())
    connection.close()
    connection.settings_dict["OPTIONS"]["options"] = "-c statement_timeout=500"
    blocker = connections.create_connection("default")  # a second, direct connection holds a lock the request needs
    blocker.settings_dict = {**blocker.settings_dict, "PORT": str(database_proxy.upstream[1])}
    try:
        with blocker.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(f"LOCK TABLE {User._meta.db_table} IN ACCESS EXCLUSIVE MODE")
            status, elapsed, body = _timed_get(client, "/api/auth/me/")
            cursor.execute("ROLLBACK")
    finally:
        blocker.close()

    assert (status, body["code"]) == (503, "database_unavailable")
    assert elapsed < 2.0


def test_a_registration_cut_mid_transaction_leaves_nothing_behind(database_proxy: TcpProxy) -> None:
    blocker = connections.create_connection("default")
    blocker.settings_dict = {**blocker.settings_dict, "PORT": str(database_proxy.upstream[1])}
    answers: list[int] = []
    with blocker.cursor() as cursor:
        # the registration writes the user, then waits on the mail outbox's table, which another session locks
        cursor.execute("BEGIN")
        cursor.execute(f"LOCK TABLE {OutgoingEmail._meta.db_table} IN ACCESS EXCLUSIVE MODE")

        def register() -> None:
            body = {"username": "cut", "email": "cut@example.com", "password": PASSWORD}
            answers.append(APIClient().post("/api/auth/register/", body).status_code)
            connections.close_all()

        request = threading.Thread(target=register)
        request.start()

        def waiting_on_the_lock() -> bool:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # the view is a snapshot per transaction otherwise
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            return cursor.fetchone()[0] > 0

        wait_until(waiting_on_the_lock)
        database_proxy.mode = Mode.RESET
        database_proxy.cut()  # the link drops mid-transaction
        request.join(10)
        cursor.execute("ROLLBACK")
    blocker.close()

    assert answers == [503]
    database_proxy.mode = Mode.PASS
    assert not User.objects.filter(username="cut").exists()
    assert not OutgoingEmail.objects.filter(to="cut@example.com").exists()
