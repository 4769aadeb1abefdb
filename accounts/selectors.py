"""Every read of accounts: my sessions, and whether a token's session is still open."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet

from accounts.errors import SessionNotFoundError
from accounts.models import User, UserSession


def session_list(*, user: User) -> QuerySet[UserSession]:
    return UserSession.objects.filter(user=user)


def session_get_for_user(*, user: User, session_id: UUID) -> UserSession:
    """One of the user's sessions; another user's is as unknown as a missing one."""
    session = UserSession.objects.filter(user=user, pk=session_id).first()
    if session is None:
        raise SessionNotFoundError()
    return session


def session_is_active(*, session_id: str | None, user_id: Any) -> bool:
    """True while the session a token names (its `sid` claim) is open and the user's; a malformed id is not."""
    if not session_id:
        return False
    try:
        return UserSession.objects.filter(pk=session_id, user_id=user_id, revoked_at__isnull=True).exists()
    except (DjangoValidationError, ValueError):
        return False
