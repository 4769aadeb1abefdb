"""The session check on a shared cache (Redis): no database query while nothing changed, and still exact: a
revoked session, a deactivated user or a changed user is seen on the very next request; without the cache the
database answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts import session_cache
from accounts.models import User, UserSession
from tests.accounts.factories import UserFactory
from tests.conftest import login

pytestmark = pytest.mark.django_db

REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}}
UNREACHABLE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
}
ME = "/api/auth/me/"


@pytest.fixture
def shared_cache(settings):  # type: ignore[no-untyped-def]
    settings.CACHES = REDIS
    client = session_cache._redis()
    assert client is not None
    client.flushdb()
    session_cache._local.clear()
    yield client
    client.flushdb()
    session_cache._local.clear()


def session_queries(client: APIClient) -> int:
    """The queries of one request that read a session."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(ME).status_code == 200
    return sum('FROM "accounts_usersession"' in q["sql"] and "SELECT" in q["sql"] for q in captured)


def test_a_known_session_costs_no_query(shared_cache) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    login(client, UserFactory())

    assert session_queries(client) == 1  # the first request loads it
    assert session_queries(client) == 0
    assert session_queries(client) == 0


def test_a_revoked_session_is_refused_on_its_next_request(shared_cache) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    laptop, phone = APIClient(), APIClient()
    login(laptop, user)
    login(phone, user)
    assert session_queries(phone) == 1
    assert session_queries(phone) == 0  # cached
    phone_session = UserSession.objects.filter(user=user).order_by("-created_at").first()
    assert phone_session is not None

    assert laptop.delete(f"/api/auth/sessions/{phone_session.pk}/").status_code == 204

    assert phone.get(ME).status_code == 403
    assert laptop.get(ME).status_code == 200


def test_another_process_sees_the_revocation(shared_cache) -> None:  # type: ignore[no-untyped-def]
    # given a session cached by this process
    client = APIClient()
    login(client, UserFactory())
    client.get(ME)
    assert session_queries(client) == 0
    session = UserSession.objects.get()

    # when another process revokes it: only the database and the shared cache change, not this process's copy
    UserSession.objects.filter(pk=session.pk).update(revoked_at=session.created_at)
    session_cache._redis().set(f"auth:session:{session.pk}", "revoked")  # type: ignore[union-attr]

    # then
    assert client.get(ME).status_code == 403


def test_a_changed_user_is_reloaded(shared_cache) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    client = APIClient()
    login(client, user)
    client.get(ME)

    User.objects.filter(pk=user.pk).first().save()  # type: ignore[union-attr]
    assert session_queries(client) == 1

    user.is_active = False
    user.save()
    assert client.get(ME).status_code == 401


def test_a_cache_that_is_down_leaves_the_check_to_the_database(settings) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    login(client, UserFactory())
    settings.CACHES = UNREACHABLE
    session_cache._local.clear()

    assert session_queries(client) == 1
    assert session_queries(client) == 1
    UserSession.objects.update(revoked_at=UserSession.objects.get().created_at)
    assert client.get(ME).status_code == 403


def test_a_dropped_cache_connection_costs_one_database_check(shared_cache) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    login(client, UserFactory())
    client.get(ME)
    assert session_queries(client) == 0

    shared_cache.client_kill_filter(skipme=True)  # the session check's own connection among them

    assert session_queries(client) == 1  # the database decides while the connection is found dropped
    assert session_queries(client) == 0  # and the next request has a new one
