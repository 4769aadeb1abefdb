import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from tests.accounts.factories import UserFactory
from tests.support import openapi

pytestmark = pytest.mark.django_db


def test_health_answers_ok(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_schema_and_docs_are_served(client: Client) -> None:
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/auth/token/" in paths
    for url in ("/api/docs/", "/api/redoc/"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"drf_spectacular_sidecar" in response.content


def test_schema_validates_without_warnings() -> None:
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_unknown_url_is_json_404(client: Client) -> None:
    response = client.get("/no-such-thing/")
    assert response.status_code == 404


def test_seed_demo_is_idempotent() -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    count = User.objects.count()
    call_command("seed_demo", stdout=out)
    assert User.objects.count() == count
    assert "demo-pass-2024" in out.getvalue()
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/user/",
        "/admin/accounts/usersession/",
        "/admin/accounts/emailconfirmation/",
    ],
)
def test_admin_changelists_render(client: Client, url: str) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(url, {"q": "a"})
    assert response.status_code == 200


def test_admin_user_change_page_renders_with_sessions_inline(client: Client) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(f"/admin/accounts/user/{admin.pk}/change/")
    assert response.status_code == 200
    assert b"Sessions" in response.content or b"sessions" in response.content


# --- pagination -----------------------------------------------------------------------------------


def test_deferred_join_pages_match_plain_offsets_and_cost_one_query_each(django_assert_num_queries) -> None:
    from common.pagination import DeferredJoinPaginator

    UserFactory.create_batch(23)
    ordered = User.objects.order_by("-username", "id")
    expected = list(ordered.values_list("pk", flat=True))
    paginator = DeferredJoinPaginator(ordered, 10)
    assert paginator.count == 23

    seen = []
    for number in paginator.page_range:
        with django_assert_num_queries(1) as captured:
            seen += [user.pk for user in paginator.page(number)]
        # the offset runs over bare keys inside the page query
        assert "IN (SELECT" in captured.captured_queries[0]["sql"].upper()

    assert seen == expected
    assert [len(paginator.page(n)) for n in paginator.page_range] == [10, 10, 3]


def test_deferred_join_leaves_lists_and_distinct_querysets_to_plain_offsets() -> None:
    from common.pagination import DeferredJoinPaginator

    users = UserFactory.create_batch(3)
    assert list(DeferredJoinPaginator(users, 2).page(2)) == users[2:]
    distinct = User.objects.order_by("pk").distinct()
    assert [u.pk for u in DeferredJoinPaginator(distinct, 2).page(2)] == [users[2].pk]


def test_deferred_join_leaves_window_functions_their_whole_list() -> None:
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    from common.pagination import DeferredJoinPaginator

    UserFactory.create_batch(5)
    numbered = User.objects.annotate(row=Window(RowNumber(), order_by=F("pk").asc())).order_by("pk")

    assert [user.row for user in DeferredJoinPaginator(numbered, 2).page(2)] == [3, 4]


# --- representation helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None,
        "2030-01-18T20:33:23.903000",  # naive: taken to be in the current time zone
        "2030-01-18T20:33:23.903000+00:00",
        "2030-01-18T20:33:23+03:00",
        "2030-06-01T00:00:00-07:30",
    ],
)
@pytest.mark.parametrize("zone", ["UTC", "Europe/Moscow"])
def test_iso_datetime_renders_as_drf_does(value, zone) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from django.utils import timezone
    from rest_framework import serializers

    from common.representation import iso_datetime

    parsed = datetime.fromisoformat(value) if value else None
    with timezone.override(zone):
        drf = serializers.DateTimeField().to_representation(parsed) if parsed else None
        assert iso_datetime(parsed) == drf


@pytest.mark.parametrize("url", ["/media/a b.png", "/static/x.svg", "https://cdn.example.com/a.png", "//cdn/x.png"])
def test_absolute_url_matches_build_absolute_uri(rf, settings, url: str) -> None:  # type: ignore[no-untyped-def]
    from common.representation import absolute_url

    settings.ALLOWED_HOSTS = ["api.example.com"]
    request = rf.get("/api/", secure=True, HTTP_HOST="api.example.com")
    assert absolute_url(request, url) == request.build_absolute_uri(url)
    assert absolute_url(request, url) == request.build_absolute_uri(url)  # the memoized base too
    assert absolute_url(None, url) == url


# --- OpenAPI examples of paginated lists ------------------------------------------------------------


def test_list_examples_show_one_envelope_with_rows_not_envelopes() -> None:
    schema = openapi.schema()
    pages = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for media in operation.get("responses", {}).get("200", {}).get("content", {}).values():
                for name, example in (media.get("examples") or {}).items():
                    value = example.get("value")
                    if isinstance(value, dict) and "results" in value:
                        pages.append((method, path, name, value))

    assert len(pages) >= 10  # every paginated list of the product carries an example
    for method, path, name, page in pages:
        # the notifications feed adds its unread count to the envelope (README: events)
        extra = {"unread"} if path == "/api/notifications/" else set()
        assert set(page) == {"count", "next", "previous", "results"} | extra, (method, path, name)
        assert page["next"] is None, (method, path, name)
        assert page["previous"] is None, (method, path, name)
        assert page["results"], (method, path, name)
        assert all(isinstance(row, dict) for row in page["results"]), (method, path, name)
        assert all("results" not in row for row in page["results"]), (method, path, name)


# --- the image's server: gunicorn with config/gunicorn.py ------------------------------------------


@pytest.mark.postgres  # the server is a separate process: it needs a database it can reach, not SQLite's test one
def test_gunicorn_config_serves_json_logs_and_merged_metrics(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import os
    import secrets
    import socket
    import subprocess
    import sys
    import time

    import httpx
    from django.db import connection

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = connection.settings_dict
    credentials = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else db["USER"]
    database_url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer"
            time.sleep(0.2)
        # another process (a second worker, say) counts five orders: the served /metrics must include them
        subprocess.run(
            [sys.executable, "-c", "from partner import metrics; metrics.ORDERS_CREATED.inc(5)"],
            env=env,
            check=True,
            timeout=60,
        )
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)

    assert "partnerapi_orders_created_total 5.0" in metrics.splitlines()
    access = [json.loads(line) for line in out.splitlines() if line.strip()]
    errors = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(entry["logger"] == "gunicorn.access" and "GET /health/" in entry["message"] for entry in access)
    assert any(entry["logger"] == "gunicorn.error" and "Listening at" in entry["message"] for entry in errors)


# --- ordering -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "applied"),
    [("done", ["done", "pk"]), ("-done", ["-done", "-pk"]), ("done,-id", ["done", "-id"]), ("", None)],
)
def test_client_ordering_ends_with_the_primary_key(rf, asked: str, applied: list[str] | None) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.request import Request

    from common.filters import StableOrderingFilter
    from orders.api.views import OrderListView
    from orders.models import Order

    request = Request(rf.get("/", {"ordering": asked} if asked else {}))
    ordering = StableOrderingFilter().get_ordering(request, Order.objects.all(), OrderListView())
    assert ordering == (applied if applied is not None else None)


def test_lists_that_declare_no_ordering_fields_ignore_ordering(rf) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.request import Request

    from assignments.api.views import AssignedOrderListView
    from assignments.models import AssignedOrder
    from common.filters import StableOrderingFilter

    request = Request(rf.get("/", {"ordering": "zone_id"}))
    view = AssignedOrderListView()
    assert StableOrderingFilter().get_valid_fields(AssignedOrder.objects.all(), view, {"request": request}) == []
    assert StableOrderingFilter().get_schema_operation_parameters(view) == []
