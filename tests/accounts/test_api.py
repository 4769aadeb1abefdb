import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import include, path
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import User, UserSession
from common.exceptions import PRODUCT
from tests.accounts.factories import UserFactory
from tests.conftest import login

pytestmark = pytest.mark.django_db

# /api/auth/* is the product's own API: every refusal names its code
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}
FORBIDDEN = {"detail": "You do not have permission to perform this action.", "code": "permission_denied"}


class BusinessProbeView(APIView):
    """A view with the project's default permissions, as every business endpoint has."""

    error_contract = PRODUCT

    def get(self, request):  # type: ignore[no-untyped-def]
        return Response({"ok": True})


urlpatterns = [path("probe/", BusinessProbeView.as_view()), path("", include("config.urls"))]


INVALID_CODE = {
    "detail": "The code is invalid or has expired.",
    "code": "invalid_code",
    "fields": {"code": ["The code is invalid or has expired."]},
}

# Mail goes out after commit, so tests that read the mailbox commit for real.
commits = pytest.mark.django_db(transaction=True)


def _code_from_outbox() -> str:
    match = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@commits
def test_register_confirm_login_me_flow(api_client: APIClient) -> None:
    # given a new account
    response = api_client.post(
        "/api/auth/register/",
        {"username": "anna", "email": "Anna@Example.com", "password": "s3cure-Passw0rd", "patronymic": "Ivanovna"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["confirmed_email"] is False
    assert body["email"] == "anna@example.com"
    assert body["patronymic"] == "Ivanovna"
    assert body["balls"] == 100
    assert "password" not in body
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.com"]

    # when the emailed code is sent back
    response = api_client.post("/api/auth/confirm-email/", {"email": "anna@example.com", "code": _code_from_outbox()})
    assert response.status_code == 200, response.content

    # then the account logs in and reads its profile
    tokens = login(api_client, User.objects.get(username="anna"), password="s3cure-Passw0rd")
    assert set(tokens) == {"access", "refresh"}
    me = api_client.get("/api/auth/me/")
    assert me.status_code == 200
    assert me.json()["confirmed_email"] is True
    assert me.json()["avatar"].startswith("http://testserver/static/")

    response = api_client.patch("/api/auth/me/", {"first_name": "Anna", "phone": "+79990001122"})
    assert response.status_code == 200
    assert response.json()["first_name"] == "Anna"
    assert User.objects.get(username="anna").phone == "+79990001122"


def test_register_rejects_weak_password_and_duplicates(api_client: APIClient) -> None:
    UserFactory(username="taken", email="taken@example.com")
    response = api_client.post("/api/auth/register/", {"username": "x", "email": "x@example.com", "password": "123"})
    assert response.status_code == 400
    body = response.json()
    assert (body["detail"], body["code"]) == ("The password is too weak.", "weak_password")
    assert "This password is too short. It must contain at least 8 characters." in body["fields"]["password"]

    response = api_client.post(
        "/api/auth/register/", {"username": "other", "email": "TAKEN@example.com", "password": "s3cure-Passw0rd"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "A user with that email already exists.",
        "code": "email_taken",
        "fields": {"email": ["A user with that email already exists."]},
    }

    response = api_client.post(
        "/api/auth/register/", {"username": "taken", "email": "new@example.com", "password": "s3cure-Passw0rd"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "A user with that username already exists.",
        "code": "username_taken",
        "fields": {"username": ["A user with that username already exists."]},
    }

    response = api_client.post("/api/auth/register/", {})
    assert response.status_code == 400
    body = response.json()
    assert (body["detail"], body["code"]) == ("Invalid input.", "required")
    assert set(body["fields"]) == {"username", "email", "password"}


@commits
def test_wrong_code_is_refused_and_attempts_are_limited(api_client: APIClient) -> None:
    api_client.post(
        "/api/auth/register/", {"username": "bob", "email": "bob@example.com", "password": "s3cure-Passw0rd"}
    )
    code = _code_from_outbox()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = api_client.post("/api/auth/confirm-email/", {"email": "bob@example.com", "code": wrong})
        assert response.status_code == 400
        assert response.json() == INVALID_CODE
    # the right code no longer works once the attempts are spent
    response = api_client.post("/api/auth/confirm-email/", {"email": "bob@example.com", "code": code})
    assert response.status_code == 400
    assert response.json() == INVALID_CODE
    assert User.objects.get(username="bob").confirmed_email is False


@commits
def test_resend_issues_a_new_code_and_is_throttled(api_client: APIClient) -> None:
    api_client.post(
        "/api/auth/register/", {"username": "eve", "email": "eve@example.com", "password": "s3cure-Passw0rd"}
    )
    first_code = _code_from_outbox()
    statuses = [
        api_client.post("/api/auth/confirm-email/resend/", {"email": "eve@example.com"}).status_code for _ in range(4)
    ]
    assert statuses == [202, 202, 202, 429]
    throttled = api_client.post("/api/auth/confirm-email/resend/", {"email": "eve@example.com"}).json()
    assert throttled["code"] == "throttled"
    assert throttled["detail"].startswith("Request was throttled. Expected available in ")
    assert len(mail.outbox) == 4
    new_code = _code_from_outbox()
    if new_code != first_code:
        response = api_client.post("/api/auth/confirm-email/", {"email": "eve@example.com", "code": first_code})
        assert response.status_code == 400
        assert response.json() == INVALID_CODE
    response = api_client.post("/api/auth/confirm-email/", {"email": "eve@example.com", "code": new_code})
    assert response.status_code == 200


@override_settings(ROOT_URLCONF=__name__)
def test_unconfirmed_account_is_forbidden_on_business_endpoints(api_client: APIClient) -> None:
    unconfirmed = UserFactory(confirmed_email=False)
    login(api_client, unconfirmed)
    response = api_client.get("/probe/")
    assert response.status_code == 403
    assert response.json() == FORBIDDEN


@override_settings(ROOT_URLCONF=__name__)
def test_confirmed_account_passes_business_permission(auth_client: APIClient) -> None:
    assert auth_client.get("/probe/").status_code == 200


def test_unconfirmed_account_still_reads_its_profile(api_client: APIClient) -> None:
    login(api_client, UserFactory(confirmed_email=False))
    assert api_client.get("/api/auth/me/").status_code == 200


def test_no_token_garbage_token_and_expired_token_get_401(api_client: APIClient, user: User) -> None:
    response = api_client.get("/api/auth/me/")
    assert response.status_code == 401
    assert response.json() == NO_CREDENTIALS

    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = api_client.get("/api/auth/me/")
    assert response.status_code == 401
    assert (response.json()["detail"], response.json()["code"]) == (
        "Given token not valid for any token type",
        "token_not_valid",
    )

    tokens = login(APIClient(), user)
    expired = AccessToken(tokens["access"])
    expired.set_exp(from_time=timezone.now() - timedelta(hours=1), lifetime=timedelta(minutes=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {expired}")
    response = api_client.get("/api/auth/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_login_with_wrong_password_is_401(api_client: APIClient, user: User) -> None:
    response = api_client.post("/api/auth/token/", {"username": user.username, "password": "nope"})
    assert response.status_code == 401
    assert response.json() == {
        "detail": "No active account found with the given credentials",
        "code": "no_active_account",
    }
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_malformed_json_is_a_parse_error(api_client: APIClient) -> None:
    response = api_client.post("/api/auth/token/", "{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["detail"].startswith("JSON parse error - ")


def test_each_login_creates_a_session_with_client_details(user: User) -> None:
    client = APIClient(HTTP_USER_AGENT="pytest-agent/1.0")
    login(client, user)
    login(APIClient(), user)
    response = client.get("/api/auth/sessions/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    current = [s for s in body["results"] if s["current"]]
    assert len(current) == 1
    assert current[0]["user_agent"] == "pytest-agent/1.0"
    assert current[0]["ip_address"] == "127.0.0.1"
    assert current[0]["active"] is True


def test_revoked_session_gets_403_and_its_refresh_fails(user: User) -> None:
    # given two sessions of one user
    phone, laptop = APIClient(), APIClient()
    phone_tokens = login(phone, user)
    login(laptop, user)
    phone_session = UserSession.objects.get(pk=AccessToken(phone_tokens["access"])["sid"])

    # when the laptop revokes the phone's session
    response = laptop.delete(f"/api/auth/sessions/{phone_session.pk}/")
    assert response.status_code == 204

    # then the phone's access token is forbidden and its refresh token dead
    response = phone.get("/api/auth/me/")
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    revoked = {"detail": "Token's session has been revoked", "code": "token_not_valid"}
    response = APIClient().post("/api/auth/token/refresh/", {"refresh": phone_tokens["refresh"]})
    assert response.status_code == 401
    assert response.json() == revoked
    response = APIClient().post("/api/auth/token/verify/", {"token": phone_tokens["access"]})
    assert response.status_code == 401
    assert response.json() == revoked
    # and the laptop still works
    assert laptop.get("/api/auth/me/").status_code == 200


def test_refresh_and_verify_work_for_an_active_session(api_client: APIClient, user: User) -> None:
    tokens = login(api_client, user)
    response = APIClient().post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]})
    assert response.status_code == 200
    new_access = response.json()["access"]
    assert AccessToken(new_access)["sid"] == AccessToken(tokens["access"])["sid"]
    assert APIClient().post("/api/auth/token/verify/", {"token": new_access}).status_code == 200


def test_logout_revokes_the_current_session_only(user: User) -> None:
    first, second = APIClient(), APIClient()
    login(first, user)
    login(second, user)
    assert first.post("/api/auth/logout/").status_code == 204
    response = first.get("/api/auth/me/")
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert second.get("/api/auth/me/").status_code == 200


def test_another_users_session_is_not_found(auth_client: APIClient) -> None:
    stranger = UserFactory()
    stranger_tokens = login(APIClient(), stranger)
    stranger_sid = AccessToken(stranger_tokens["access"])["sid"]
    response = auth_client.delete(f"/api/auth/sessions/{stranger_sid}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
    assert UserSession.objects.get(pk=stranger_sid).revoked_at is None
    listed = auth_client.get("/api/auth/sessions/").json()["results"]
    assert stranger_sid not in {s["id"] for s in listed}


def test_session_list_query_count_is_constant(user: User, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    login(client, user)
    # auth (session + user in one query) + the page with its count
    with django_assert_num_queries(2):
        assert client.get("/api/auth/sessions/").json()["count"] == 1
    for _ in range(29):
        login(APIClient(), user)
    with django_assert_num_queries(2):
        assert client.get("/api/auth/sessions/").json()["count"] == 30
    with django_assert_num_queries(2):  # a later page the same
        assert len(client.get("/api/auth/sessions/", {"page": 2}).json()["results"]) == 10
    with django_assert_num_queries(3):  # past the end no row carries the count: it is asked for, then 404
        assert client.get("/api/auth/sessions/", {"page": 3}).status_code == 404


def test_login_is_throttled(api_client: APIClient, user: User, settings) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.throttling import ScopedRateThrottle

    original = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = {**original, "auth": "3/min"}
    try:
        statuses = [
            api_client.post("/api/auth/token/", {"username": user.username, "password": "wrong"}).status_code
            for _ in range(4)
        ]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = original
    assert statuses == [401, 401, 401, 429]


def test_profile_update_writes_only_what_changed(auth_client: APIClient, user: User) -> None:
    before = User.objects.get(pk=user.pk).updated_at
    response = auth_client.patch("/api/auth/me/", {"first_name": user.first_name})
    assert response.status_code == 200
    assert User.objects.get(pk=user.pk).updated_at == before
    response = auth_client.patch("/api/auth/me/", {"about": "Designer."})
    assert response.json()["about"] == "Designer."
    assert User.objects.get(pk=user.pk).updated_at > before


def test_me_shows_the_marketplace_standing_in_two_queries(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from reviews.models import ExecutorProfile

    # given a user without an executor profile, and one with
    newcomer, executor = UserFactory(), UserFactory()
    ExecutorProfile.objects.create(user=executor, level=3, balls=140, rating=4.5)
    keys = ["id", "username", "email", "first_name", "last_name", "patronymic", "phone", "address", "avatar"]
    keys += ["about", "level", "balls", "rating", "confirmed_email", "confirmed_phone", "created_at", "updated_at"]

    for user, standing in ((newcomer, (None, 100, 0.0)), (executor, (3, 140, 4.5))):
        client = APIClient()
        login(client, user)
        # when they read their profile
        with django_assert_num_queries(2):  # session + user, the executor profile
            body = client.get("/api/auth/me/").json()
        # then the marketplace's level, balls and rating sit after `about`, typed as before
        assert list(body) == keys
        assert (body["level"], body["balls"], body["rating"]) == standing
        assert type(body["balls"]) is int
        assert type(body["rating"]) is float
