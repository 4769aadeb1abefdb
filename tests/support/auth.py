"""Credentials for tests."""

from accounts.models import User
from accounts.services import session_start
from accounts.tokens import session_refresh_token


def bearer(user: User, *, user_agent: str = "tests") -> str:
    """An `Authorization` value for a new session of `user`, started by the service: no login request, so no
    password and no login throttle."""
    session = session_start(user=user, user_agent=user_agent, ip_address="127.0.0.1")
    return f"Bearer {session_refresh_token(session=session).access_token}"


def bearer_headers(user: User, *, user_agent: str = "tests") -> dict[str, str]:
    """`bearer` as request headers (httpx, schemathesis)."""
    return {"Authorization": bearer(user, user_agent=user_agent)}
