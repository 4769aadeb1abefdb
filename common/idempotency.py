"""`Idempotency-Key` on unsafe operations: a retried request gets the first answer again instead of doing twice.

An operation opts in with one decorator on its handler (APIView method or viewset action):

    class OrderCreateView(OrderView):
        @idempotent
        def post(self, request): ...

A request without the header runs exactly as before. With it:

- the key is 1 to 255 printable ASCII characters (else 400 in the endpoint's error contract);
- the first answer (status, body bytes, content type, `Location` and `ETag`) is stored for 24 hours per user and
  key, in the transaction of the operation itself, and every retry with the same key gets it byte for byte with
  `Idempotent-Replayed: true`;
- the same key with another request (a SHA-256 of method, path and body, the body canonicalised as parsed) is
  422 `idempotency_key_reused`;
- concurrent requests with one key run once: the first holds the key's row lock while the operation runs, the
  others wait for it (up to `IDEMPOTENCY_LOCK_WAIT_MS`) and then replay its answer; one still waiting after that
  gets 409 `idempotency_key_in_use` and may retry;
- answers that are not final are not stored, so a retry runs again: 400 (fix the body and send it again with the
  same key) and every 5xx (the operation's transaction was rolled back).

Expired keys are deleted when their user next sends a key (one indexed DELETE), so the table holds at most a
day of keys per active user; the keys of users who never come back are pruned by a beat task
(`accounts.tasks.prune_idempotency_keys`, `idempotency_keys_prune`).
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum
from functools import wraps
from http import HTTPStatus
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import IdempotencyKey
from common.errors import ApplicationError, ConflictError

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
#: how long an answer is kept for its retries
TTL = timedelta(hours=24)
MAX_LENGTH = 255
#: answer headers stored and replayed with the body
REPLAYED_HEADERS = ("Location", "ETag")
#: marks a handler for the schema (common/schema.py)
MARK = "idempotent"


class IdempotencyErrorCode(StrEnum):
    KEY_INVALID = "idempotency_key_invalid"
    KEY_REUSED = "idempotency_key_reused"
    KEY_IN_USE = "idempotency_key_in_use"


KEY_INVALID_MESSAGE = "The Idempotency-Key header must be 1 to 255 printable ASCII characters."
KEY_REUSED_MESSAGE = "This Idempotency-Key was already used with a different request; send a new key for a new request."
#: PostgreSQL's SQLSTATE when lock_timeout expires
LOCK_NOT_AVAILABLE = "55P03"
KEY_IN_USE_MESSAGE = "A request with this Idempotency-Key is still being processed; retry shortly."


def _lock_wait_ms() -> int:
    return int(getattr(settings, "IDEMPOTENCY_LOCK_WAIT_MS", 20_000))


def key_is_valid(key: str) -> bool:
    return 0 < len(key) <= MAX_LENGTH and all(" " <= char <= "~" for char in key)


def request_fingerprint(request: Request) -> str:
    """SHA-256 of method, full path and the parsed body in a canonical form (key order and spacing ignored)."""
    data = request.data
    if isinstance(data, QueryDict):
        data = {key: data.getlist(key) for key in sorted(data)}
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    material = "\n".join((request.method or "", request.get_full_path(), body))
    return hashlib.sha256(material.encode()).hexdigest()


def _replay(row: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status_code, content_type=row.content_type or None)
    for name, value in row.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def _stored(response: HttpResponseBase) -> bool:
    """Final answers are kept; a 400 (the client fixes the body) and a 5xx (nothing was done) run again."""
    return response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR and response.status_code != HTTPStatus.BAD_REQUEST


#: rows one prune statement deletes: short statements, so no long lock or huge transaction on a big backlog
PRUNE_BATCH = 5000


def idempotency_keys_prune(*, batch_size: int = PRUNE_BATCH) -> int:
    """Delete every expired key, whoever it belongs to, in batches; returns how many.

    An expired key is never one a request is working under (a claim sets its expiry 24 hours ahead, and its user's
    next request deletes it first), so deleting it changes no answer: a retry after expiry runs again, as documented.
    """
    now = timezone.now()
    deleted = 0
    while True:
        batch = list(IdempotencyKey.objects.filter(expires_at__lte=now).values_list("pk", flat=True)[:batch_size])
        if not batch:
            return deleted
        deleted += IdempotencyKey.objects.filter(pk__in=batch, expires_at__lte=now).delete()[0]


def _set_lock_timeout(ms: int | None) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if ms is None:
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
        else:
            cursor.execute(f"SET LOCAL lock_timeout = {int(ms)}")


def _claim(*, user: Any, key: str, fingerprint: str) -> IdempotencyKey | None:
    """Inside the operation's transaction: the key's stored answer (locked), or None once this request holds the
    key (a placeholder row it fills in). Waits for a concurrent request with the key to finish first."""
    now = timezone.now()
    IdempotencyKey.objects.filter(user=user, expires_at__lte=now).delete()
    _set_lock_timeout(_lock_wait_ms())
    try:
        with transaction.atomic():  # a savepoint: a lock wait that times out undoes only this
            row = _claim_row(user=user, key=key, fingerprint=fingerprint, expires_at=now + TTL)
    except OperationalError as exc:
        if getattr(exc.__cause__, "pgcode", None) == LOCK_NOT_AVAILABLE:
            raise ConflictError(IdempotencyErrorCode.KEY_IN_USE, KEY_IN_USE_MESSAGE) from exc
        raise
    _set_lock_timeout(None)  # the operation's own locks wait as they always did
    return row


def _claim_row(*, user: Any, key: str, fingerprint: str, expires_at: Any) -> IdempotencyKey | None:
    for _ in range(3):
        row = IdempotencyKey.objects.select_for_update().filter(user=user, key=key).first()
        if row is not None:
            return row
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(
                    user=user, key=key, fingerprint=fingerprint, status_code=0, body=b"", expires_at=expires_at
                )
            return None
        except IntegrityError:
            continue  # a concurrent request with the key committed first: read its answer
    raise ConflictError(IdempotencyErrorCode.KEY_IN_USE, KEY_IN_USE_MESSAGE)


H = TypeVar("H", bound=Callable[..., HttpResponseBase])


def idempotent(handler: H) -> H:
    """Give the handler `Idempotency-Key` semantics (see the module's docstring)."""

    @wraps(handler)
    def wrapper(view: APIView, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not key_is_valid(key):
            raise ApplicationError(IdempotencyErrorCode.KEY_INVALID, KEY_INVALID_MESSAGE, status=HTTPStatus.BAD_REQUEST)
        fingerprint = request_fingerprint(request)
        with transaction.atomic():
            row = _claim(user=request.user, key=key, fingerprint=fingerprint)
            if row is not None:
                if row.fingerprint != fingerprint:
                    raise ApplicationError(
                        IdempotencyErrorCode.KEY_REUSED, KEY_REUSED_MESSAGE, status=HTTPStatus.UNPROCESSABLE_ENTITY
                    )
                return _replay(row)
            try:
                with transaction.atomic():  # the operation's own work, undone if it refuses
                    response = handler(view, request, *args, **kwargs)
            except Exception as exc:
                response = view.handle_exception(exc)  # re-raises a bug: the key is released with the rollback
            response = view.finalize_response(request, cast(Response, response), *args, **kwargs)
            rendered = cast(Any, response).render() if hasattr(response, "render") else response
            query = IdempotencyKey.objects.filter(user=cast(Any, request.user), key=key)
            if _stored(rendered):
                query.update(
                    status_code=rendered.status_code,
                    content_type=rendered.get("Content-Type", ""),
                    headers={name: rendered[name] for name in REPLAYED_HEADERS if rendered.has_header(name)},
                    body=rendered.content,
                )
            else:
                query.delete()
            return rendered

    setattr(wrapper, MARK, True)
    return cast(H, wrapper)
