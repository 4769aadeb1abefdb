"""The auth operations and /health/ document every answer they give, each with an example the real API matches."""

import uuid
from typing import Any

import pytest
from django.urls import resolve
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import User, UserSession
from tests.accounts.factories import UserFactory
from tests.support import openapi

# Operations that check credentials or a token sent in the body: a bad one is a 401 though they take no bearer token.
CHECK_CREDENTIALS_IN_BODY = {
    ("POST", "/api/auth/token/"),
    ("POST", "/api/auth/token/refresh/"),
    ("POST", "/api/auth/token/verify/"),
}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return openapi.operations("/api/auth/", "/health/")


def _view_class(path: str) -> type:
    return resolve(path.replace("{session_id}", str(uuid.uuid4()))).func.view_class  # type: ignore[attr-defined]


def _examples(response: dict[str, Any]) -> list[Any]:
    media = response.get("content", {}).get("application/json", {})
    return [example["value"] for example in (media.get("examples") or {}).values()]


def _assert_matches_shape(value: Any, schema: dict[str, Any], where: str) -> None:
    """Output serializers render every field, so an example has exactly the documented properties, all the way down."""
    schema = openapi.resolve(schema)
    if "properties" in schema:
        assert isinstance(value, dict), where
        assert set(value) == set(schema["properties"]), where
        for name, field in schema["properties"].items():
            if value[name] is not None:
                _assert_matches_shape(value[name], field, f"{where}.{name}")
    elif schema.get("type") == "array":
        assert isinstance(value, list), where
        assert value, where
        for row in value:
            _assert_matches_shape(row, schema["items"], f"{where}[]")


def test_the_auth_and_health_operations_are_all_checked() -> None:
    assert len(_operations()) == 13


@pytest.mark.parametrize(
    ("method", "path", "operation"), [pytest.param(*op, id=f"{op[0]} {op[1]}") for op in _operations()]
)
def test_operation_documents_its_answers_with_examples(method: str, path: str, operation: dict[str, Any]) -> None:
    responses = operation["responses"]
    view = _view_class(path)

    # every success answer shows a body that has the documented shape; only a 204 has none
    successes = {code: response for code, response in responses.items() if code.startswith("2")}
    assert successes
    for code, response in successes.items():
        if code == "204":
            assert "content" not in response
            assert response["description"]
            continue
        examples = _examples(response)
        assert examples, f"{method} {path} {code} has no example"
        for value in examples:
            _assert_matches_shape(value, response["content"]["application/json"]["schema"], f"{method} {path} {code}")

    # a body the client sends has an example too
    if "requestBody" in operation:
        assert operation["requestBody"]["content"]["application/json"].get("examples"), f"{method} {path} request"

    # the errors this view can give are listed, and listed only when it can give them
    expected = set()
    if "requestBody" in operation:
        expected.add("400")
    if any(parameter["name"] == "page_size" for parameter in operation.get("parameters", [])):
        expected.add("400")  # a page_size that is not a whole number of at least 1
    if view.throttle_classes:
        expected.add("429")
    if view.authentication_classes:
        expected |= {"401", "403"}  # no or a bad token; a revoked session
    if (method, path) in CHECK_CREDENTIALS_IN_BODY:
        expected.add("401")
    errors = {code for code in responses if code[0] in "45"}
    assert expected <= errors, f"{method} {path} does not list {sorted(expected - errors)}"
    assert not errors & {"400", "401", "403", "429"} - expected, f"{method} {path} lists answers it never gives"

    # and every error answer shows its body
    for code in errors:
        assert _examples(responses[code]), f"{method} {path} {code} has no example"


# --- the examples are what the API answers ---------------------------------------------------------------------------


def _documented(method: str, path: str, code: int) -> list[Any]:
    return _examples(openapi.schema()["paths"][path][method.lower()]["responses"][str(code)])


@pytest.mark.django_db
def test_the_real_answers_are_among_the_documented_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    UserFactory(username="anna", email="anna@example.com")
    api = APIClient()

    def check(method: str, path: str, body: Any, expected_status: int, url: str | None = None) -> Any:
        response = getattr(api, method.lower())(url or path, body)
        assert response.status_code == expected_status, response.content
        documented = _documented(method, path, expected_status)
        if expected_status == 204:
            assert not response.content
            assert not documented
            return None
        answer = response.json()
        # the same body, or for values that vary (ids, tokens, times) the same fields
        assert answer in documented or any(set(answer) == set(example) for example in documented), (path, answer)
        return answer

    check("POST", "/api/auth/register/", {"username": "anna", "email": "new@example.com", "password": "x9!"}, 400)
    check("POST", "/api/auth/register/", {"username": "bob", "email": "bob@example.com", "password": "s3cure-Pw"}, 201)
    check("POST", "/api/auth/confirm-email/", {"email": "bob@example.com", "code": "12"}, 400)
    check("POST", "/api/auth/confirm-email/resend/", {"email": "bob@example.com"}, 202)
    check("POST", "/api/auth/token/", {"username": "anna", "password": "wrong"}, 401)
    tokens = check("POST", "/api/auth/token/", {"username": "anna", "password": "pass-Word-123"}, 200)
    check("POST", "/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, 200)
    check("POST", "/api/auth/token/verify/", {"token": tokens["access"]}, 200)

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    check("GET", "/api/auth/me/", None, 200)
    check("PATCH", "/api/auth/me/", {"phone": "1" * 33}, 400)
    check("GET", "/api/auth/sessions/", None, 200)
    check("GET", "/api/auth/sessions/", None, 404, url="/api/auth/sessions/?page=9")
    check("GET", "/api/auth/sessions/", None, 400, url="/api/auth/sessions/?page_size=0")
    stranger = UserSession.objects.create(user=UserFactory())
    check("DELETE", "/api/auth/sessions/{session_id}/", None, 404, url=f"/api/auth/sessions/{stranger.pk}/")
    check("POST", "/api/auth/logout/", None, 204)

    # once revoked, the session's tokens get exactly the documented messages
    api.credentials()
    assert check("POST", "/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, 401) == {
        "detail": "Token's session has been revoked",
        "code": "token_not_valid",
    }
    check("POST", "/api/auth/token/verify/", {"token": tokens["access"]}, 401)
    check("POST", "/api/auth/token/verify/", {"token": "not-a-token"}, 401)
    check("GET", "/health/", None, 200)
    check("GET", "/health/dependencies/", None, 200)

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "auth": "1/min"})
    api.post("/api/auth/token/verify/", {"token": "x"})
    check("POST", "/api/auth/token/verify/", {"token": "x"}, 429)
    assert User.objects.filter(username="bob", confirmed_email=False).exists()
