import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.test import Client

from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_health_answers_ok(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_is_503_when_the_database_fails(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.backends.utils import CursorWrapper

    def broken_execute(self, sql, params=None):  # type: ignore[no-untyped-def]
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken_execute)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


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
