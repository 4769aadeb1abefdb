"""ETag / If-Match: a write made against a stale read is refused (412) instead of overwriting someone else's change.

A resource's ETag is a strong tag over its representation: the SHA-256 of the canonical JSON of the body its GET
answers, so it changes exactly when what a client can see changes. A view declares how to lock its row and how
to read its representation (`ConditionalResource`), then marks its handlers:

    class ParticipantViewSet(ConditionalResource, ...):
        def etag_lock(self) -> bool: ...            # lock the row the write locks; False when there is none
        def etag_representation(self) -> Any: ...   # the GET body, read now

        @with_etag
        def retrieve(self, request, **kwargs): ...  # 200 carries `ETag`

        @if_match
        def partial_update(self, request, **kwargs): ...  # honours `If-Match`; 2xx carries the new `ETag`

A write with `If-Match` runs in one transaction: the row is locked, its current ETag compared (strong comparison;
`*` matches any existing row; a weak tag never matches), and only then does the handler's service run (its own
`select_for_update` of the row is the same lock, already held). Two writes sent with one ETag therefore run one
after the other and the second gets 412 `precondition_failed`; nothing it sent is applied. Without `If-Match` the
write runs as it always did. A row that does not exist is left to the handler (its usual 404).
"""

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from typing import Any, TypeVar, cast

from django.db import transaction
from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from rest_framework.request import Request
from rest_framework.response import Response

from common.errors import ApplicationError

IF_MATCH = "If-Match"
ETAG = "ETag"
PRECONDITION_FAILED = "precondition_failed"
PRECONDITION_FAILED_MESSAGE = (
    "The resource has changed since you read it: If-Match does not match its current ETag. Read it again and retry."
)
#: handler marks for the schema (common/schema.py)
MARK_GET = "etag_on_get"
MARK_IF_MATCH = "honours_if_match"


class PreconditionFailedError(ApplicationError):
    status = HTTPStatus.PRECONDITION_FAILED

    def __init__(self) -> None:
        super().__init__(PRECONDITION_FAILED, PRECONDITION_FAILED_MESSAGE)


def etag_of(representation: Any) -> str:
    """A strong ETag over a representation (the data a GET answers)."""
    canonical = json.dumps(representation, sort_keys=True, separators=(",", ":"), default=str)
    return f'"{hashlib.sha256(canonical.encode()).hexdigest()[:40]}"'


def if_match_allows(header: str, current: str) -> bool:
    """RFC 9110 If-Match with strong comparison: `*`, or one of the listed tags equal to the current one."""
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or current in tags


def lock_row(queryset: QuerySet[Any]) -> bool:
    """Lock the one row `queryset` selects (`SELECT ... FOR UPDATE`); False when there is none."""
    return queryset.select_for_update().values_list("pk", flat=True).first() is not None


class ConditionalResource:
    """What a view knows about its resource's ETag. `etag_body_is_representation` is False when a write answers
    with another shape than the GET (then the new ETag is read after the write, in its transaction)."""

    etag_body_is_representation: bool = True

    def etag_lock(self) -> bool:
        raise NotImplementedError

    def etag_representation(self) -> Any:
        raise NotImplementedError


H = TypeVar("H", bound=Callable[..., HttpResponseBase])


def _is_success(response: HttpResponseBase) -> bool:
    return 200 <= response.status_code < 300


def with_etag(handler: H) -> H:
    """A GET whose 200 carries the representation's ETag."""

    @wraps(handler)
    def wrapper(view: ConditionalResource, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = handler(view, request, *args, **kwargs)
        if isinstance(response, Response) and _is_success(response):
            response[ETAG] = etag_of(response.data)
        return response

    setattr(wrapper, MARK_GET, True)
    return cast(H, wrapper)


def if_match(handler: H) -> H:
    """A write that honours If-Match under the row lock and answers with the new ETag."""

    @wraps(handler)
    def wrapper(view: ConditionalResource, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        expected = request.headers.get(IF_MATCH)
        with transaction.atomic():
            if expected is not None and view.etag_lock():
                if not if_match_allows(expected, etag_of(view.etag_representation())):
                    raise PreconditionFailedError()
            response = handler(view, request, *args, **kwargs)
            if isinstance(response, Response) and _is_success(response):
                body_is_representation = view.etag_body_is_representation
                response[ETAG] = etag_of(response.data if body_is_representation else view.etag_representation())
        return response

    setattr(wrapper, MARK_IF_MATCH, True)
    return cast(H, wrapper)
