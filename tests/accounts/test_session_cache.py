"""The session check on a shared cache (Redis): no database query while nothing changed, and still exact: a
revoked session, a deactivated user or a changed user is seen on the very next request; without the cache the
database answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import session_cache
from accounts.models import User, UserSession
from reviews.models import MarketplaceOrder, OrderReview
from tests.accounts.factories import UserFactory
from tests.conftest import login
from tests.reviews.factories import MarketplaceOrderFactory, OrderReviewFactory

pytestmark = pytest.mark.django_db

UNREACHABLE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
}
ME = "/api/auth/me/"


def session_queries(client: APIClient) -> int:
    """The queries of one request that read a session."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(ME).status_code == 200
    return sum("accounts_usersession" in q["sql"] and q["sql"].lstrip().startswith("SELECT") for q in captured)


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


def test_a_dropped_cache_connection_costs_one_database_check(shared_cache, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(session_cache, "BACKOFF_SECONDS", 0)  # the next request may ask the cache again at once
    client = APIClient()
    login(client, UserFactory())
    client.get(ME)
    assert session_queries(client) == 0

    shared_cache.client_kill_filter(skipme=True)  # the session check's own connection among them

    assert session_queries(client) == 1  # the database decides while the connection is found dropped
    assert session_queries(client) == 0  # and the next request has a new one


def test_a_cache_found_down_is_left_alone_for_a_moment(shared_cache) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    login(client, UserFactory())
    client.get(ME)
    shared_cache.client_kill_filter(skipme=True)
    assert session_queries(client) == 1
    mgets = mget_calls(shared_cache)

    assert session_queries(client) == 1  # the database decides, without asking the cache

    assert mget_calls(shared_cache) == mgets


# --- reads on trust (accounts/middleware.py): the check is settled before the response leaves ----------------


def mget_calls(client) -> int:  # type: ignore[no-untyped-def]
    """The MGETs the cache server has answered (the session check's question)."""
    return int(client.info("commandstats").get("cmdstat_mget", {}).get("calls", 0))


def cached(user: User) -> APIClient:
    """A client logged in as `user` whose session this process has copied (a first read loads it)."""
    client = APIClient()
    login(client, user)
    assert client.get(ME).status_code == 200
    return client


def order_url(order: MarketplaceOrder) -> str:
    return f"/api_v2/order/{order.pk}/"


#: the reads that fold the check into their first statement, and their statements per request
FOLDING_READS = [("/api_v2/order/{}/", 2), ("/api_v2/order/reviews_by_order_id/{}/", 3)]


def test_a_read_asks_the_cache_once_and_the_database_never(shared_cache) -> None:  # type: ignore[no-untyped-def]
    client = cached(UserFactory())
    mgets = mget_calls(shared_cache)

    assert session_queries(client) == 0

    assert mget_calls(shared_cache) == mgets + 1


@pytest.mark.parametrize(("path", "statements"), FOLDING_READS)
def test_a_hot_read_checks_the_session_in_its_own_statement(shared_cache, path, statements) -> None:  # type: ignore[no-untyped-def]
    customer = UserFactory()
    order = MarketplaceOrderFactory(creator=customer)
    OrderReviewFactory(order=order)
    client = cached(customer)
    mgets = mget_calls(shared_cache)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path.format(order.pk))

    assert response.status_code == 200
    assert len(captured) == statements  # none added: the order's statement carries the session's probe
    assert "accounts_usersession" in captured[0]["sql"]
    assert mget_calls(shared_cache) == mgets  # and no question to the cache
    assert client.get(ME).status_code == 200  # the copy still holds


@pytest.mark.parametrize(("path", "statements"), FOLDING_READS)
@pytest.mark.parametrize(("change", "status"), [("revoked", 403), ("deactivated", 401)])
def test_a_hot_read_sees_what_the_cache_was_not_told(shared_cache, path, statements, change, status) -> None:  # type: ignore[no-untyped-def]
    # given a session this process has copied
    customer = UserFactory()
    order = MarketplaceOrderFactory(creator=customer)
    client = cached(customer)

    # when the database changes behind the cache's back (no signal, no stamp)
    if change == "revoked":
        UserSession.objects.filter(user=customer).update(revoked_at=timezone.now())
    else:
        User.objects.filter(pk=customer.pk).update(is_active=False)

    # then the order's own statement sees it, and the read is refused as the database says
    assert client.get(path.format(order.pk)).status_code == status


def test_a_revoked_session_opens_no_response_on_an_executors_first_view(shared_cache) -> None:  # type: ignore[no-untyped-def]
    executor = UserFactory()
    order = MarketplaceOrderFactory()
    revoked, live = cached(executor), cached(executor)
    UserSession.objects.filter(pk=UserSession.objects.filter(user=executor).earliest("created_at").pk).update(
        revoked_at=timezone.now()
    )

    # the first view would open a response: the session is settled before that write, and the read refused
    assert revoked.get(order_url(order)).status_code == 403
    assert not OrderReview.objects.filter(order=order).exists()

    # on a live session the same view opens it
    assert live.get(order_url(order)).status_code == 200
    assert OrderReview.objects.filter(order=order, executor=executor).count() == 1
