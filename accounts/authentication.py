"""JWT authentication bound to revocable sessions, checked exactly on every request: one query loads session and
user; with a shared cache, a copy vouched for by the cache's stamps or by a read's own statement
(accounts/session_cache.py), which a read may settle after its queries (accounts/middleware.py)."""

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone
from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from accounts import session_cache
from accounts.models import User, UserSession
from accounts.queries import LOADED_USER_DIGEST_SQL, SESSION_PROBE_SQL
from accounts.selectors import session_token_ids
from common.rawsql import fetch_one

SESSION_CLAIM = "sid"
# the session a request's token belongs to rides on its user (loaded with it in one query)
_CURRENT_SESSION = "current_session"


#: set by DeferredSessionCheckMiddleware on a GET or HEAD it will settle: such a request may run on trust
DEFERRABLE = "session_check_deferrable"
#: the check a request ran on trust (a session_cache.Pending), for the middleware to settle
PENDING = "session_check_pending"
#: a check run on trust that failed mid-view (confirm_session): the request runs again, checked first
RECHECK = "session_check_failed"


_vendor: list[str] = []


def _on_postgresql() -> bool:
    """True when the database is PostgreSQL (where a read may fold the check into its statement); read once."""
    if not _vendor:
        _vendor.append(connection.vendor)
    return _vendor[0] == "postgresql"


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
            token = cached[1]
            return self._user_on_trust(request, token) or self.get_user(token), token
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
        sessions = UserSession.objects.select_related("user")
        if cached is not None and _on_postgresql():  # a copy to keep: with its row's digest
            sessions = sessions.annotate(user_digest=RawSQL(LOADED_USER_DIGEST_SQL, ()))
        try:
            session = sessions.get(pk=session_id, user_id=user_id)
        except UserSession.DoesNotExist as exc:
            raise AuthenticationFailed("User not found", code="user_not_found") from exc
        if session.revoked_at is not None:
            raise exceptions.PermissionDenied()
        user = session.user
        if not user.is_active:
            raise AuthenticationFailed("User is inactive", code="user_inactive")
        if cached is not None:
            session_cache.remember(cached, session, user, getattr(session, "user_digest", None))
        self._touch(session)
        setattr(user, _CURRENT_SESSION, session)
        return user

    @staticmethod
    def _user_on_trust(request: Any, validated_token: Any) -> User | None:
        """The cached user, before the check answers, for a read whose view says it has no side effects
        (`defers_session_check`) on a request the middleware will settle. The cache's round trip then overlaps the
        view's own queries instead of adding to them; a view that folds the check into its statement
        (`folds_session_check`, see `fetch_one_checked`) needs no round trip at all. None when the check is to be
        made first."""
        django_request = request._request
        if not getattr(django_request, DEFERRABLE, False):
            return None
        view = request.parser_context.get("view")
        if not getattr(view, "defers_session_check", False):
            return None
        ids = _token_ids(validated_token)
        folds = getattr(view, "folds_session_check", False) and _on_postgresql()
        begun = session_cache.begin(*ids, ask=not folds) if ids is not None else None
        if begun is None:
            return None
        user, pending = begun
        setattr(user, _CURRENT_SESSION, pending.session)
        setattr(django_request, PENDING, pending)
        return user

    @staticmethod
    def _touch(session: UserSession) -> None:
        now = timezone.now()
        if now - session.last_seen_at >= timedelta(seconds=settings.SESSION_LAST_SEEN_RESOLUTION):
            UserSession.objects.filter(pk=session.pk).update(last_seen_at=now)
            session.last_seen_at = now
            session_cache.seen(session.pk, now)


def settle(request: Any) -> bool:
    """Settle the check `request` (a Django request) ran on trust, if any: True when there was none, or the read's
    statement or the cache's stamps vouch for the user and session it ran with; False when the request must run
    again, checked first."""
    if request.__dict__.pop(RECHECK, False):
        return False
    pending = request.__dict__.pop(PENDING, None)
    if pending is None:
        return True
    settled = session_cache.settle(pending)
    if settled is None:  # the cache did not answer: the database's word, where it can be asked in one statement
        settled = _vouched_by_database(pending)
    if not settled:
        return False
    if time.time() >= pending.entry.touch_at:
        SessionJWTAuthentication._touch(pending.session)
    return True


def _vouched_by_database(pending: session_cache.Pending) -> bool:
    """SESSION_PROBE_SQL alone: the session open and the user row as the copy has it (else the read runs again)."""
    entry = pending.entry
    if entry.digest is None or not _on_postgresql():
        return False
    row = fetch_one(f"SELECT {SESSION_PROBE_SQL}", [entry.session.pk, entry.user.pk])
    pending.vouch(row[0] if row is not None else None)
    return bool(pending.vouched)


class _Recheck(exceptions.NotAuthenticated):
    """A check run on trust failed when a read's view settled it before a write: the response this makes is
    dropped, and the request runs again, checked first (accounts/middleware.py)."""


def confirm_session(request: Any) -> None:
    """Settle now the check `request` (DRF's) runs on trust, if it does: a view whose read may lead to a write
    calls this before the write."""
    django_request = request._request
    if PENDING in django_request.__dict__ and not settle(django_request):
        setattr(django_request, RECHECK, True)
        raise _Recheck()


def fetch_one_checked(sql: str, probed_sql: str, params: list[Any], request: Any) -> tuple[Any, ...] | None:
    """One row of `sql`; when the check `request` (DRF's, or Django's) runs on trust may fold into it, of
    `probed_sql` instead: the same statement with accounts.queries.SESSION_PROBE_SQL as its last column, whose
    parameters come first. The probe's answer vouches for the request's user (or not) and is taken off the row."""
    pending: session_cache.Pending | None = getattr(getattr(request, "_request", request), PENDING, None)
    probe = pending.probe if pending is not None else None
    if pending is None or probe is None:
        return fetch_one(sql, params)
    row = fetch_one(probed_sql, [*probe, *params])
    if row is None:
        return None  # nothing vouched: the middleware asks the cache
    pending.vouch(row[-1])
    return row[:-1]
