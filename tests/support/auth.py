"""Credentials for tests: a logged-in API client, or a bearer token of a new session."""

from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import session_start
from accounts.tokens import session_refresh_token


def login(client: APIClient, user: User, password: str = "pass-Word-123") -> dict[str, str]:
    """Log in through the real token endpoint; sets the bearer header and returns the token pair."""
    response = client.post("/api/auth/token/", {"username": user.username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    tokens = response.json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return tokens


def client_for(user: User) -> APIClient:
    """An API client logged in as `user` through the real token endpoint."""
    client = APIClient()
    login(client, user)
    return client


def bearer(user: User, *, user_agent: str = "tests") -> str:
    """An `Authorization` value for a new session of `user`, started by the service: no login request, so no
    password and no login throttle."""
    session = session_start(user=user, user_agent=user_agent, ip_address="127.0.0.1")
    return f"Bearer {session_refresh_token(session=session).access_token}"


def bearer_headers(user: User, *, user_agent: str = "tests") -> dict[str, str]:
    """`bearer` as request headers (httpx, schemathesis)."""
    return {"Authorization": bearer(user, user_agent=user_agent)}
