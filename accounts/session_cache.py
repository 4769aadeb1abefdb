"""The session check without a database query, when the cache is shared (Redis): exact, and one cache round trip
(`MGET` of two stamps on a connection of the thread's own, parsed by hiredis). A read may overlap that round trip
with its own queries (`begin` before the view, `settle` before its response leaves: see accounts/middleware.py).

Each process keeps the users it authenticated (with their sessions) in memory. Such a copy is used only while
two stamps in the shared cache still hold the values they had when the copy was loaded from the database:

- `auth:session:<id>`: set when a live session is first cached; a revocation overwrites it with a tombstone, so
  every process refuses the session on its very next request (it reloads it from the database);
- `auth:user:<id>`: replaced whenever the user row, their groups or permissions change.

Stamps are read *before* the database load they vouch for and only ever created with add (SET NX), so a
revocation or a change racing with a load leaves the copy unused rather than stale. Without a shared cache
(tests, a single process on the local-memory cache) or when it does not answer, the database is asked as before.
"""

import logging
import os
import secrets
import socket
import ssl
import struct
import threading
import time
from typing import Any, TypeVar

import hiredis
import redis
from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.base import ModelState

from accounts.models import User, UserSession

logger = logging.getLogger(__name__)

#: a cache that does not answer within this is treated as down (the database decides)
TIMEOUT_SECONDS = 0.25
_TIMEVAL = struct.pack("ll", 0, int(TIMEOUT_SECONDS * 1_000_000))  # a struct timeval, for SO_*TIMEO
#: how long a process trusts its copy (and a stamp lives) without seeing the database; a tombstone outlives it
CACHE_SECONDS = 300
_TOMBSTONE = "revoked"
_LOCAL_MAX = 10_000


class _Entry:
    __slots__ = ("command", "digest", "expires", "session", "session_stamp", "touch_at", "user", "user_stamp")

    def __init__(
        self, session: UserSession, user: User, session_stamp: str, user_stamp: str, digest: str | None
    ) -> None:
        self.session, self.user = session, user
        self.session_stamp, self.user_stamp = session_stamp, user_stamp
        self.digest = digest  # the user row's, as loaded (accounts/queries.py); None where it is not computed
        self.expires = time.monotonic() + CACHE_SECONDS
        self.command = _mget_command((_session_key(session.pk), _user_key(user.pk)))  # the stamps that vouch for it
        self.seen(session.last_seen_at)

    def seen(self, when: Any) -> None:
        self.session.last_seen_at = when
        #: when the session's last-seen stamp is due again (a float: the per-request test is one comparison)
        self.touch_at = when.timestamp() + settings.SESSION_LAST_SEEN_RESOLUTION

    def holds(self, stamps: list[str | None]) -> bool:
        return stamps[0] == self.session_stamp and stamps[1] == self.user_stamp


_local: dict[Any, _Entry] = {}


_M = TypeVar("_M", bound=Model)


def _copy(instance: _M) -> _M:
    """A copy of a loaded row, as Model.__reduce__ makes one (its own state and cache of related rows), at a tenth
    of copy.copy's cost."""
    clone = object.__new__(type(instance))
    clone.__dict__.update(instance.__dict__)
    state = clone._state = object.__new__(ModelState)
    state.__dict__.update(instance._state.__dict__)
    state.fields_cache = dict(instance._state.fields_cache)
    return clone


def _session_key(session_id: Any) -> str:
    return f"auth:session:{session_id}"


def _user_key(user_id: Any) -> str:
    return f"auth:user:{user_id}"


_clients: dict[str, redis.Redis] = {}
#: the CACHES setting last read and the client it gave: settings are read again only when they are replaced
_configured: tuple[Any, redis.Redis | None] = (None, None)


def _redis() -> redis.Redis | None:
    """A client of the default cache's Redis (CACHE_URL), or None when the cache is not Redis. redis-py directly:
    Django's cache API builds a client per call and pickles, four times the cost of the round trip itself."""
    global _configured
    caches = settings.CACHES
    if _configured[0] is caches:
        return _configured[1]
    client = _client_of(caches["default"])
    _configured = (caches, client)
    return client


def _client_of(config: dict[str, Any]) -> redis.Redis | None:
    if config["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        return None
    location = config["LOCATION"]
    location = location[0] if isinstance(location, list | tuple) else location.split(",")[0]
    client = _clients.get(location)
    if client is None:
        client = redis.Redis.from_url(
            location, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS, decode_responses=True
        )
        _clients[location] = client
    return client


class _StampReader(threading.local):
    """This thread's own connection for the per-request read of the stamps, outside the client's pool (whose
    checkout, retry and event machinery cost twice the round trip itself): redis-py opens it (address, AUTH,
    SELECT, TLS), then the question is written to its socket and the answer parsed by hiredis. On a plain socket
    the kernel keeps the deadline (SO_SNDTIMEO, SO_RCVTIMEO), so each is one system call, without Python's poll
    before it. The question (`send`) and the answer (`receive`) may be apart, with other work between them."""

    connection: redis.Connection | None = None
    sock: socket.socket | None = None
    reader: Any = None
    pool: redis.ConnectionPool | None = None
    pid = 0
    #: an MGET was sent and its answer not read yet
    awaiting = False

    def send(self, client: redis.Redis, command: bytes) -> None:
        sock, pool = self.sock, client.connection_pool
        # first use, another cache (settings changed), inherited across a fork, or an answer left unread by a
        # request that ended early (it would answer this question): a connection of our own, new
        if sock is None or self.pool is not pool or self.pid != os.getpid() or self.awaiting:
            sock = self._open(pool)
        try:
            sock.sendall(command)
        except BaseException:
            self.drop()
            raise
        self.awaiting = True

    def _open(self, pool: redis.ConnectionPool) -> socket.socket:
        self.drop()
        connection = pool.connection_class(**pool.connection_kwargs)
        connection.connect()
        sock: socket.socket = connection._sock  # redis-py's, once connected
        if not isinstance(sock, ssl.SSLSocket):
            sock.settimeout(None)  # blocking, with the deadline in the kernel
            for option in (socket.SO_SNDTIMEO, socket.SO_RCVTIMEO):
                sock.setsockopt(socket.SOL_SOCKET, option, _TIMEVAL)
        self.connection, self.sock, self.reader = connection, sock, hiredis.Reader(encoding="utf-8")
        self.pool, self.pid = pool, os.getpid()
        return sock

    def receive(self) -> list[str | None]:
        sock, reader = self.sock, self.reader
        if sock is None or not self.awaiting:
            raise redis.ConnectionError("no stamps were asked for on this thread's connection")
        try:
            reply = reader.gets()
            while reply is False:
                data = sock.recv(4096)
                if not data:
                    raise redis.ConnectionError("the cache closed the connection")
                reader.feed(data)
                reply = reader.gets()
            if not isinstance(reply, list) or len(reply) != 2:  # an error reply (NOAUTH, LOADING, ...)
                raise redis.ResponseError(f"MGET answered {reply!r}")
        except BaseException:
            self.drop()  # whatever was under way: the next request starts on a fresh connection
            raise
        self.awaiting = False
        return reply

    def drop(self) -> None:
        if self.connection is not None:
            self.connection.disconnect()
        self.connection = self.sock = self.reader = None
        self.awaiting = False

    def mget(self, client: redis.Redis, *keys: str) -> list[str | None]:
        self.send(client, _mget_command(keys))
        return self.receive()


def _mget_command(keys: tuple[str, ...]) -> bytes:
    """`MGET keys...` in RESP."""
    encoded = [key.encode() for key in keys]
    return b"*%d\r\n$4\r\nMGET\r\n" % (len(encoded) + 1) + b"".join(
        b"$%d\r\n%b\r\n" % (len(key), key) for key in encoded
    )


_stamp_reader = _StampReader()


def shared() -> bool:
    """True when the default cache is Redis, which every process sees."""
    return _redis() is not None


class Ticket:
    """The stamps read before a database load, to vouch for what it loads."""

    __slots__ = ("session_stamp", "user_stamp")

    def __init__(self, session_stamp: str | None, user_stamp: str | None) -> None:
        self.session_stamp, self.user_stamp = session_stamp, user_stamp


def lookup(session_id: Any, user_id: int) -> tuple[User, UserSession] | Ticket | None:
    """The cached (user, session) while both stamps hold; else the stamps as read (a Ticket) for `remember` after
    the database load; None when there is no shared cache or it did not answer."""
    client = _available()
    if client is None:
        return None
    try:
        session_stamp, user_stamp = _stamp_reader.mget(client, _session_key(session_id), _user_key(user_id))
    except (redis.RedisError, OSError):  # the cache is down: the database decides
        _unavailable()
        return None
    entry = _local.get(session_id)
    if entry is not None:
        if _fresh(entry, user_id) and entry.holds([session_stamp, user_stamp]):
            # copies: what a request sets on its user or session stays in that request
            return _copies(entry)
        _drop(entry)
    return Ticket(session_stamp, user_stamp)


def _fresh(entry: _Entry, user_id: int) -> bool:
    return entry.expires > time.monotonic() and entry.user.pk == user_id


def _copies(entry: _Entry) -> tuple[User, UserSession]:
    """The request's own copies of the cached user and session: what a request sets on either stays in that
    request (and its thread)."""
    return _linked_copies(entry.user, entry.session)


def _linked_copies(user: User, session: UserSession) -> tuple[User, UserSession]:
    """Copies of `user` and `session`, the session's `user` being the user's copy."""
    user, session = _copy(user), _copy(session)
    session._state.fields_cache["user"] = user
    return user, session


def _drop(entry: _Entry) -> None:
    """Forget `entry` (the next check loads the rows), unless another request has already replaced it."""
    if _local.get(entry.session.pk) is entry:
        _local.pop(entry.session.pk, None)  # two requests may drop it at once


class Pending:
    """A check begun and not settled: the copies handed out hold until the stamps answer (asked for by `begin`,
    or by `settle` when nothing was asked), or until a read's own statement vouches for them (`vouch`)."""

    __slots__ = ("asked", "entry", "session", "vouched")

    def __init__(self, entry: _Entry, session: UserSession, asked: bool) -> None:
        self.entry, self.session, self.asked = entry, session, asked
        self.vouched: bool | None = None  # what a read's statement said, when one carried the probe

    @property
    def probe(self) -> tuple[Any, int] | None:
        """The parameters of accounts.queries.SESSION_PROBE_SQL for a read to fold into its statement, when the
        copy's digest is known and no question is under way."""
        entry = self.entry
        return None if self.asked or entry.digest is None else (entry.session.pk, entry.user.pk)

    def vouch(self, digest: str | None) -> None:
        """What SESSION_PROBE_SQL answered in the read's statement: the user row's digest while the session is
        open (the database's word, as of that statement), else None."""
        self.vouched = self.vouched is not False and digest is not None and digest == self.entry.digest


#: after the cache failed to answer, the database decides until then (time.monotonic()), without waiting on it
_down_until = 0.0
#: how long a cache that did not answer is left alone
BACKOFF_SECONDS = 1.0


def _unavailable() -> None:
    global _down_until
    logger.warning("session cache unavailable; checking sessions in the database", exc_info=True)
    _down_until = time.monotonic() + BACKOFF_SECONDS


def _available() -> redis.Redis | None:
    """The shared cache's client, unless there is none or it failed to answer a moment ago."""
    return _redis() if time.monotonic() >= _down_until else None


def begin(session_id: Any, user_id: int, *, ask: bool = True) -> tuple[User, Pending] | None:
    """The cached user (its session as `Pending.session`), on trust until `settle`; with `ask`, the stamps are
    asked for now, to be read by `settle` (the round trip overlaps the view's queries); without, the view's
    statement may vouch for the copy instead (`Pending.vouch`). None when this process has no copy or the shared
    cache does not take the question."""
    entry = _local.get(session_id)
    if entry is None or not _fresh(entry, user_id):
        return None
    client = _available()
    if client is None:
        return None
    if ask:
        try:
            _stamp_reader.send(client, entry.command)
        except (redis.RedisError, OSError):
            _unavailable()
            return None
    user, session = _copies(entry)
    return user, Pending(entry, session, ask)


def settle(pending: Pending) -> bool | None:
    """True when the copies `begin` handed out still hold: the read's statement vouched for them, or else the
    stamps (asked for by `begin`, or now) still do. False when they do not (the copy is dropped: the next check
    loads the rows); None when the cache did not answer (the database is to decide)."""
    entry = pending.entry
    if pending.vouched:
        return True
    if pending.vouched is None:  # no statement carried the probe: the stamps decide
        try:
            if not pending.asked:
                client = _available()
                if client is None:
                    return None
                _stamp_reader.send(client, entry.command)
            stamps = _stamp_reader.receive()
        except (redis.RedisError, OSError):
            _unavailable()
            return None
        if entry.holds(stamps):
            return True
    _drop(entry)
    return False


def _stamp(client: redis.Redis, key: str, read: str | None) -> str | None:
    """The stamp to vouch with: the one read before the load, or a new one when none was there (None when
    another process set one in between: its value may vouch for a newer row than the one loaded)."""
    if read is not None:
        return None if read == _TOMBSTONE else read
    new = secrets.token_hex(8)
    return new if client.set(key, new, ex=CACHE_SECONDS, nx=True) else None


def remember(ticket: Ticket, session: UserSession, user: User, digest: str | None = None) -> None:
    """Keep the live session and its active user, loaded from the database after `ticket` was read (`digest`:
    the user row's, read in the same statement)."""
    client = _redis()
    if client is None:
        return
    try:
        session_stamp = _stamp(client, _session_key(session.pk), ticket.session_stamp)
        user_stamp = _stamp(client, _user_key(user.pk), ticket.user_stamp)
    except redis.RedisError:
        logger.warning("session cache unavailable; not caching the session", exc_info=True)
        return
    if session_stamp is None or user_stamp is None:
        return
    if len(_local) >= _LOCAL_MAX:
        _local.clear()
    user, session = _linked_copies(user, session)  # not the loading request's objects
    _local[session.pk] = _Entry(session, user, session_stamp, user_stamp, digest)


def session_revoked(session_id: Any) -> None:
    """Every process refuses the session from its next request on (the database already says it is revoked)."""
    _local.pop(session_id, None)
    client = _redis()
    if client is not None:
        try:
            client.set(_session_key(session_id), _TOMBSTONE, ex=2 * CACHE_SECONDS)
        except redis.RedisError:
            logger.exception(
                "session cache unavailable: processes may accept session %s for %ss", session_id, CACHE_SECONDS
            )


def user_changed(user_id: Any) -> None:
    """Copies of the user cached by any process are reloaded from the database: from now on, and again once the
    change is committed (a request between the two may have loaded and kept the row as it was before)."""
    _new_user_stamp(user_id)
    transaction.on_commit(lambda: _new_user_stamp(user_id))


def _new_user_stamp(user_id: Any) -> None:
    client = _redis()
    if client is not None:
        try:
            client.set(_user_key(user_id), secrets.token_hex(8), ex=2 * CACHE_SECONDS)
        except redis.RedisError:
            logger.exception(
                "session cache unavailable: processes may use a copy of user %s for %ss", user_id, CACHE_SECONDS
            )


def _on_user_saved(sender: Any, instance: User, **kwargs: Any) -> None:
    user_changed(instance.pk)


def _on_session_saved(sender: Any, instance: UserSession, **kwargs: Any) -> None:
    """A session deleted, or saved revoked (the admin's forms), is refused everywhere from now on."""
    if instance.revoked_at is not None or "created" not in kwargs:  # saved revoked, or deleted
        session_revoked(instance.pk)


def _on_user_relations_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:  # user.groups.add(...)
        user_changed(instance.pk)
    else:  # group.user_set.add(...): the users named (every user of the group when it is cleared)
        for user_id in pk_set or ():
            user_changed(user_id)
        if action == "post_clear":
            for user_id in instance.user_set.values_list("pk", flat=True):
                user_changed(user_id)


def connect() -> None:
    """Watch the user rows and their groups and permissions (AccountsConfig.ready)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_on_user_saved, sender=User, dispatch_uid="session_cache_user_saved")
    post_save.connect(_on_session_saved, sender=UserSession, dispatch_uid="session_cache_session_saved")
    post_delete.connect(_on_session_saved, sender=UserSession, dispatch_uid="session_cache_session_deleted")
    post_delete.connect(_on_user_saved, sender=User, dispatch_uid="session_cache_user_deleted")
    for relation in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(_on_user_relations_changed, sender=relation, dispatch_uid=f"session_cache_{relation}")


def seen(session_id: Any, when: Any) -> None:
    """The session's last-seen stamp was written: the cached copy carries it (so the next write waits as long)."""
    entry = _local.get(session_id)
    if entry is not None:
        entry.seen(when)
