"""One exception handler for the whole API; one adapter per error contract.

Every refusal, whether a domain error raised by a service (`common.errors.ApplicationError`) or one of the
HTTP layer's own (DRF's validation, authentication, permission, throttling, method and parser errors; Django's
Http404 and PermissionDenied), is first reduced to a `Problem`: status, stable code, message, field errors and
headers. The view's `error_contract` then renders the body:

- `PRODUCT` (the default): `{"detail", "code"}`, plus `fields` for field errors. Every endpoint of our own.
- `DOCUMENT_001`: document 001's shapes, which documents 000 and 003 follow too: `{"detail"}`, and
  `{field: [messages]}` for validation.
- document 002's `{"message"}` and document 004's `result` envelopes are adapters in their apps
  (`assignments/api/errors.py`, `partner/api/errors.py`), registered the same way.

An unexpected exception is logged with its traceback and answered with the contract's 500 body, never with
internals.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404, UnreadablePostError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from common.errors import ApplicationError, CommonErrorCode

logger = logging.getLogger("api.errors")

SERVER_ERROR_MESSAGE = "A server error occurred."
SERVER_ERROR_BODY = {"detail": SERVER_ERROR_MESSAGE}
VALIDATION_MESSAGE = "Invalid input."
BODY_TOO_LARGE = "The request body is too large."
TOO_MANY_FIELDS = "The request body has too many fields."
MALFORMED_REQUEST = "The request is malformed."
UNREADABLE_BODY = "The request body could not be read."
DATABASE_UNAVAILABLE = "The service is briefly unavailable; please retry."
#: seconds a client should wait before retrying after the database failed to answer
DATABASE_RETRY_AFTER = 5


@dataclass
class Problem:
    """A refusal, independent of how a contract writes it down."""

    status: int
    code: str
    detail: Any
    fields: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    exc: Exception | None = None

    @property
    def is_validation(self) -> bool:
        return self.fields is not None


def _first_code(codes: Any) -> str:
    """DRF keeps a code per message; the first one names the whole refusal."""
    while isinstance(codes, list | dict):
        if not codes:
            return CommonErrorCode.INVALID
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return str(codes)


def _headers(exc: exceptions.APIException) -> dict[str, str]:
    headers: dict[str, str] = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait:
        headers["Retry-After"] = str(int(wait))
    return headers


def problem_from(exc: Exception) -> Problem | None:
    """The refusal `exc` stands for, or None when it is a bug (a 500)."""
    if isinstance(exc, ApplicationError):
        return Problem(exc.status, exc.code, exc.message, fields=exc.fields, extra=exc.extra, exc=exc)
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is unreachable, timed out (statement_timeout) or dropped the connection: the transaction was
        # rolled back, so nothing is half-written, and the truthful answer is "retry", not a bug.
        logger.warning("Database unavailable: %s", exc)
        return Problem(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            CommonErrorCode.DATABASE_UNAVAILABLE,
            DATABASE_UNAVAILABLE,
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
            exc=exc,
        )
    if isinstance(exc, RequestDataTooBig):  # raised by Django while DRF reads the body: the client's fault
        return Problem(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, CommonErrorCode.REQUEST_TOO_LARGE, BODY_TOO_LARGE)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):  # DATA_UPLOAD_MAX_NUMBER_FIELDS / _FILES
        return Problem(status.HTTP_400_BAD_REQUEST, CommonErrorCode.TOO_MANY_FIELDS, TOO_MANY_FIELDS)
    if isinstance(exc, SuspiciousOperation):  # Django's other refusals of a malformed request (its own 400)
        logger.warning("Suspicious request refused: %s", exc)
        return Problem(status.HTTP_400_BAD_REQUEST, CommonErrorCode.BAD_REQUEST, MALFORMED_REQUEST)
    if isinstance(exc, UnreadablePostError):  # the client went away or broke the body off
        return Problem(status.HTTP_400_BAD_REQUEST, CommonErrorCode.BAD_REQUEST, UNREADABLE_BODY)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = _headers(exc)
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return Problem(exc.status_code, _first_code(exc.get_codes()), VALIDATION_MESSAGE, fields, headers, exc=exc)
    detail = exc.detail
    if isinstance(detail, dict) and "detail" in detail:
        # simplejwt's token errors: {"detail", "code", "messages"}, already a complete body
        return Problem(exc.status_code, str(detail.get("code", exc.default_code)), detail, headers=headers, exc=exc)
    return Problem(exc.status_code, _first_code(exc.get_codes()), detail, headers=headers, exc=exc)


class ErrorContract:
    """How one API contract writes a refusal. Subclasses override `body` and `server_error_body`."""

    name: ClassVar[str] = "product"

    def body(self, problem: Problem) -> Any:
        if isinstance(problem.detail, dict):
            return problem.detail
        body: dict[str, Any] = {"detail": problem.detail, "code": problem.code}
        if problem.is_validation:
            body["fields"] = problem.fields
        return body

    def server_error_body(self) -> Any:
        return {"detail": SERVER_ERROR_MESSAGE, "code": CommonErrorCode.SERVER_ERROR}

    def status(self, problem: Problem) -> int:
        return problem.status


class Document001Contract(ErrorContract):
    """Document 001's bodies, verbatim: `{"detail": message}`, validation as `{field: [messages]}`."""

    name = "document-001"

    def body(self, problem: Problem) -> Any:
        if problem.is_validation:
            return problem.fields
        if isinstance(problem.detail, dict):
            return problem.detail
        return {"detail": problem.detail}

    def server_error_body(self) -> Any:
        return SERVER_ERROR_BODY


PRODUCT = ErrorContract()
DOCUMENT_001 = Document001Contract()


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    view = context.get("view")
    # Views name their contract; until every product view has moved to PRODUCT, the default stays document 001's.
    contract: ErrorContract = getattr(view, "error_contract", None) or DOCUMENT_001
    problem = problem_from(exc)
    set_rollback()
    if problem is None:
        logger.exception("Unhandled error in %s", type(view).__name__ if view else "view", exc_info=exc)
        return Response(contract.server_error_body(), status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    return Response(contract.body(problem), status=contract.status(problem), headers=problem.headers)
