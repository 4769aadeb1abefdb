"""Logging in over the API: the credentials are checked, a session is opened and its JWTs are signed.

Token issuing belongs to the HTTP layer (simplejwt), not to the services: `services.session_start` opens the
session, this module signs the refresh token whose `sid` claim names it (the access token derives from it).
A failed login is an HTTP authentication failure, a 401 with the view's challenge, so it is DRF's
`AuthenticationFailed` raised here rather than a domain error.
"""

from django.contrib.auth import authenticate
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import services
from accounts.authentication import SESSION_CLAIM
from accounts.models import User, UserSession
from common.http import client_ip

NO_ACTIVE_ACCOUNT = ("no_active_account", "No active account found with the given credentials")


def session_refresh_token(*, session: UserSession) -> RefreshToken:
    """The refresh token of a session; `str(token.access_token)` is an access token of the same session."""
    refresh = RefreshToken.for_user(session.user)
    refresh[SESSION_CLAIM] = str(session.pk)
    return refresh


def login(*, request: Request, username: str, password: str) -> dict[str, str]:
    """Open a session for these credentials and answer its token pair `{"access", "refresh"}`."""
    user = authenticate(request._request, username=username, password=password)
    if not isinstance(user, User) or not user.is_active:
        code, message = NO_ACTIVE_ACCOUNT
        raise AuthenticationFailed(message, code=code)
    session = services.session_start(
        user=user,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ip_address=client_ip(request),
    )
    refresh = session_refresh_token(session=session)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}
