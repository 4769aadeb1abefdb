"""Reads that run on the process's copy of the user while the session check is on its way, settled before the
response leaves (accounts/middleware.py): only reads without side effects take part, and every answer is the one
the check-first path gives."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from accounts import session_cache
from accounts.models import User, UserSession
from orders.api import views as order_views
from tests.accounts.factories import UserFactory
from tests.accounts.test_session_cache import ME, cached, session_queries
from tests.orders.factories import OrderFactory
from tests.organizations.factories import OrganizationFactory
from tests.support.proxy import Mode, TcpProxy

pytestmark = pytest.mark.django_db

#: every GET handler that may run before its session is settled, reviewed: each only reads (a read that leads to
#: a write settles the check first: OrderDetailView's first view by an executor, `confirm_session`)
READS_ON_TRUST = {
    "accounts.api.views.MeView.get",
    "accounts.api.views.SessionListView.get",
    "appraisals.api.views.AppraisalViewSet.list",
    "appraisals.api.views.AppraisalViewSet.retrieve",
    "appraisals.api.views.ParticipantViewSet.list",
    "appraisals.api.views.ParticipantViewSet.retrieve",
    "events.api.views.NotificationViewSet.list",
    "events.api.views.WebhookViewSet.deliveries",
    "events.api.views.WebhookViewSet.list",
    "events.api.views.WebhookViewSet.retrieve",
    "orders.api.views.OrderCreatorListView.get",
    "orders.api.views.OrderInOrganizationRetrieveView.get",
    "orders.api.views.OrderListView.get",
    "orders.api.views.OrderRetrieveView.get",
    "organizations.api.views.ClientViewSet.list",
    "organizations.api.views.ClientViewSet.retrieve",
    "organizations.api.views.MemberViewSet.list",
    "organizations.api.views.OrganizationDetailViewSet.retrieve",
    "organizations.api.views.OrganizationViewSet.list",
    "organizations.api.views.RoleViewSet.list",
    "organizations.api.views.ServiceViewSet.list",
    "organizations.api.views.ServiceViewSet.retrieve",
    "reviews.api.views.CustomerOrderListView.get",
    "reviews.api.views.OrderDetailView.get",
    "reviews.api.views.OrderFeedCreateView.get",
    "reviews.api.views.OrderReviewHistoryView.get",
    "reviews.api.views.PersonalAreaOrderListView.get",
    "reviews.api.views.ReviewsByOrderView.get",
}


def revoked_elsewhere(cache) -> None:  # type: ignore[no-untyped-def]
    """The one session revoked by another process: the database and the shared cache change, not this process's
    copy (which the next read runs on, until the check is settled)."""
    session = UserSession.objects.get()
    UserSession.objects.filter(pk=session.pk).update(revoked_at=timezone.now())
    cache.set(f"auth:session:{session.pk}", "revoked")


def _patterns(patterns):  # type: ignore[no-untyped-def]
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns)
        else:
            yield pattern


def test_only_reviewed_reads_run_before_their_session_is_settled() -> None:
    found = set()
    for pattern in _patterns(get_resolver().url_patterns):
        view = getattr(pattern.callback, "cls", None)
        if view is None or not getattr(view, "defers_session_check", False):
            continue
        actions = getattr(pattern.callback, "actions", None)
        handler = actions.get("get") if actions is not None else ("get" if hasattr(view, "get") else None)
        if handler:
            found.add(f"{view.__module__}.{view.__name__}.{handler}")

    # a GET handler new to an opted-in view is reviewed (does it only read?) and added, or its view opts out
    assert found == READS_ON_TRUST


def test_a_head_request_is_settled_like_a_get(shared_cache) -> None:  # type: ignore[no-untyped-def]
    client = cached(UserFactory())
    assert client.head(ME).status_code == 200

    revoked_elsewhere(shared_cache)

    assert client.head(ME).status_code == 403


def test_a_refused_copy_answers_the_data_of_the_second_run(shared_cache) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(first_name="Old")
    client = cached(user)

    user.first_name = "New"
    user.save()  # a new stamp: the copy no longer holds

    assert client.get(ME).json()["first_name"] == "New"


def test_a_refused_read_then_the_next_one_on_the_same_thread(shared_cache) -> None:  # type: ignore[no-untyped-def]
    client = cached(UserFactory())

    assert client.get("/api_v2/order/999999999/").status_code == 404  # not vouched by its statement: asked
    assert client.get(ME).status_code == 200
    assert session_queries(client) == 0


@pytest.mark.postgres
def test_a_dropped_streamed_list_releases_its_cursor_at_once(shared_cache, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    owner = UserFactory()
    organization = OrganizationFactory(creator=owner)
    for _ in range(5):
        OrderFactory(organization=organization, creator=owner)
    monkeypatch.setattr(order_views, "STREAM_BATCH", 2)
    client = cached(owner)
    url = f"/orders/order-l/{organization.pk}/"
    streamed = client.get(url)
    assert streamed.streaming
    b"".join(streamed.streaming_content)  # read to the end: the test client closes it then, as a server does
    open_cursors: list[int] = []

    def count_cursors(*args, **kwargs):  # type: ignore[no-untyped-def]
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors")
            open_cursors.append(cursor.fetchone()[0])
        return original(*args, **kwargs)

    # when the session is revoked, the streamed list's first run is dropped and the request runs again
    original = session_cache.lookup
    monkeypatch.setattr(session_cache, "lookup", count_cursors)
    revoked_elsewhere(shared_cache)

    assert client.get(url).status_code == 403
    assert open_cursors == [0]  # the dropped list's cursor was closed before the second run began


@pytest.mark.postgres
def test_a_cache_that_stops_answering_leaves_the_read_to_the_database(settings) -> None:  # type: ignore[no-untyped-def]
    with TcpProxy(("127.0.0.1", 6379)) as proxy:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://{proxy.address}/15",
            }
        }
        session_cache._local.clear()
        client = cached(UserFactory())
        assert session_queries(client) == 0

        proxy.mode = Mode.STALL
        started = time.monotonic()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(ME)
        took = time.monotonic() - started

        # the answer waited for the cache's deadline once, then the database vouched for the copy in one statement
        assert response.status_code == 200
        assert took < 1.0
        assert sum("accounts_usersession" in q["sql"] for q in captured) == 1
        # and for a moment the cache is not waited on at all
        started = time.monotonic()
        assert client.get(ME).status_code == 200
        assert time.monotonic() - started < 0.2

        User.objects.update(is_active=False)
        assert client.get(ME).status_code == 401
    session_cache._down_until = 0.0
    session_cache._local.clear()
