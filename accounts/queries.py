"""Hand-written SQL of the accounts' hot read (common/rawsql.py says why), next to `selectors.py`: my sessions,
as SessionOutputSerializer shows `selectors.session_list` (tests/accounts/test_queries.py holds them equal)."""

from typing import Any
from uuid import UUID

from common.rawsql import PagedRows
from common.representation import iso_datetime_formatter

SESSIONS_COUNT_SQL = "SELECT count(*) FROM accounts_usersession WHERE user_id = %s"
_SESSIONS_PAGE = """
    SELECT id, user_agent, ip_address, created_at, last_seen_at, revoked_at{count} FROM accounts_usersession
    WHERE user_id = %s ORDER BY created_at DESC LIMIT %s OFFSET %s"""  # UserSession.Meta.ordering
SESSIONS_PAGE_SQL = _SESSIONS_PAGE.format(count="")
# a user has a handful of sessions: counting them in the page's statement saves a round trip
SESSIONS_COUNTED_PAGE_SQL = _SESSIONS_PAGE.format(count=", count(*) OVER ()")


def session_page(*, user_id: int, current_session_id: UUID | None) -> PagedRows:
    """The user's sessions, newest first, for the paginator; `current` marks the one of the request's token."""
    iso_datetime = iso_datetime_formatter()

    def to_data(row: tuple[Any, ...]) -> dict[str, Any]:
        return {
            "id": str(row[0]),
            "user_agent": row[1],
            "ip_address": row[2],
            "created_at": iso_datetime(row[3]),
            "last_seen_at": iso_datetime(row[4]),
            "revoked_at": iso_datetime(row[5]),
            "active": row[5] is None,
            "current": row[0] == current_session_id,
        }

    return PagedRows(
        count_sql=SESSIONS_COUNT_SQL,
        page_sql=SESSIONS_PAGE_SQL,
        counted_page_sql=SESSIONS_COUNTED_PAGE_SQL,
        params=[user_id],
        to_data=to_data,
    )


# The session check folded into a hot read's own statement (SessionJWTAuthentication, accounts/session_cache.py).
# A process's cached user is the row as loaded, nothing more (Django's ModelBackend reads groups and permissions
# per request, onto the request's copy), so the row's digest vouches for the copy.
USER_DIGEST_SQL = "md5({u}::text)"
#: the digest of the session's user while the session is open, else NULL (params: session id, user id)
SESSION_PROBE_SQL = f"""(SELECT {USER_DIGEST_SQL.format(u="pu")} FROM accounts_usersession ps
    JOIN accounts_user pu ON pu.id = ps.user_id
    WHERE ps.id = %s AND ps.user_id = %s AND ps.revoked_at IS NULL)"""
#: the digest of the session's user, beside the session as the session check loads it (UserSession queryset)
LOADED_USER_DIGEST_SQL = (
    f"(SELECT {USER_DIGEST_SQL.format(u='lu')} FROM accounts_user lu WHERE lu.id = accounts_usersession.user_id)"
)
