"""Every read of accounts: my sessions, and whether a token's session is still open."""

from typing import Any
from uuid import UUID

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


#: the largest primary key of a user (a bigint)
_MAX_USER_ID = 2**63 - 1
#: the longest text `uuid.UUID` reads (`urn:uuid:{...}`); anything longer is not a session id
_MAX_SESSION_ID_LENGTH = 45


def session_token_ids(*, session_id: Any, user_id: Any) -> tuple[UUID, int] | None:
    """The session and the user a token's claims (`sid`, `user_id`) name, or None unless both are well-formed:
    a session id is a UUID in a string, a user id a positive integer (or a string of digits) within a bigint.
    A signed token carries whatever its signer put there, so its claims are input like any other."""
    if not isinstance(session_id, str) or len(session_id) > _MAX_SESSION_ID_LENGTH:
        return None
    try:
        session_uuid = UUID(session_id)
    except ValueError:
        return None
    if isinstance(user_id, str) and user_id.isascii() and user_id.isdigit() and len(user_id) <= 19:
        user_id = int(user_id)
    if type(user_id) is not int or not 0 < user_id <= _MAX_USER_ID:  # bool is an int, but no user id
        return None
    return session_uuid, user_id


def session_is_active(*, session_id: Any, user_id: Any) -> bool:
    """True while the session a token names (its `sid` claim) is open and the user's; a malformed id is not."""
    ids = session_token_ids(session_id=session_id, user_id=user_id)
    if ids is None:
        return False
    session_uuid, user_pk = ids
    return UserSession.objects.filter(pk=session_uuid, user_id=user_pk, revoked_at__isnull=True).exists()
