"""JWT authentication bound to revocable sessions: one query per request loads session and user."""

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from accounts import session_cache
from accounts.models import User, UserSession
from accounts.selectors import session_token_ids

SESSION_CLAIM = "sid"
# the session a request's token belongs to rides on its user (loaded with it in one query)
_CURRENT_SESSION = "current_session"


def current_session(user: User) -> UserSession | None:
    """The session of the token that authenticated `user` (None for a user not loaded by a token)."""
    return getattr(user, _CURRENT_SESSION, None)


#: tokens whose signature and claims were checked in this process, by their text: (expiry, validated token)
_validated_tokens: dict[bytes, tuple[float, Any]] = {}
_VALIDATED_TOKENS_MAX = 10_000
#: the same by the Authorization header that carried them: a known header skips simplejwt's parsing of it
_validated_headers: dict[str, tuple[float, Any]] = {}
#: a validated token kept in `_validated_tokens` carries the ids its claims name, read once
_TOKEN_IDS = "_session_token_ids"


def _token_ids(validated_token: Any) -> tuple[Any, int] | None:
    ids = getattr(validated_token, _TOKEN_IDS, None)
    if ids is None:
        ids = session_token_ids(
            session_id=validated_token.get(SESSION_CLAIM), user_id=validated_token.get(jwt_settings.USER_ID_CLAIM)
        )
    return ids


class SessionJWTAuthentication(JWTAuthentication):
    def authenticate(self, request: Any) -> Any:  # simplejwt's TypeVar again (see get_user)
        header = request.META.get(jwt_settings.AUTH_HEADER_NAME)
        cached = _validated_headers.get(header) if isinstance(header, str) else None
        if cached is not None and cached[0] > time.time():
            return self.get_user(cached[1]), cached[1]
        authenticated = super().authenticate(request)
        if authenticated is not None and isinstance(header, str):
            token = authenticated[1]
            known = _validated_tokens.get(self.get_raw_token(self.get_header(request)) or b"")
            if known is not None and known[1] is token:  # a token kept by get_validated_token: keep its header too
                if len(_validated_headers) >= _VALIDATED_TOKENS_MAX:
                    _validated_headers.clear()
                _validated_headers[header] = known
        return authenticated

    def get_validated_token(self, raw_token: bytes) -> Any:
        """simplejwt's validation once per token and process: a signed token's claims never change, and its
        expiry is checked on every use (without simplejwt's leeway, so a cached token expires no later)."""
        cached = _validated_tokens.get(raw_token)
        if cached is not None and cached[0] > time.time():
            return cached[1]
        token = super().get_validated_token(raw_token)
        expires = token.get("exp")
        if isinstance(expires, int | float):
            if len(_validated_tokens) >= _VALIDATED_TOKENS_MAX:
                _validated_tokens.clear()
            setattr(token, _TOKEN_IDS, _token_ids(token))
            _validated_tokens[raw_token] = (expires, token)
        return token

    # simplejwt annotates the return with a TypeVar bound to nothing in the signature: no override can match it
    def get_user(self, validated_token: Any) -> User:  # type: ignore[override]
        ids = _token_ids(validated_token)
        if ids is None:  # missing, or not ids at all (a list, an object, a huge or non-UUID string)
            raise InvalidToken("Token contained no recognizable user identification")
        session_id, user_id = ids
        cached = session_cache.lookup(session_id, user_id)  # exact: see accounts/session_cache.py
        if isinstance(cached, tuple):
            user, session = cached
            self._touch(session)
            setattr(user, _CURRENT_SESSION, session)
            return user
        try:
            session = UserSession.objects.select_related("user").get(pk=session_id, user_id=user_id)
        except UserSession.DoesNotExist as exc:
            raise AuthenticationFailed("User not found", code="user_not_found") from exc
        if session.revoked_at is not None:
            raise exceptions.PermissionDenied()
        user = session.user
        if not user.is_active:
            raise AuthenticationFailed("User is inactive", code="user_inactive")
        if cached is not None:
            session_cache.remember(cached, session, user)
        self._touch(session)
        setattr(user, _CURRENT_SESSION, session)
        return user

    @staticmethod
    def _touch(session: UserSession) -> None:
        now = timezone.now()
        if now - session.last_seen_at >= timedelta(seconds=settings.SESSION_LAST_SEEN_RESOLUTION):
            UserSession.objects.filter(pk=session.pk).update(last_seen_at=now)
            session.last_seen_at = now
            session_cache.seen(session.pk, now)
