"""Domain errors: what services and selectors raise when a business rule refuses a request.

They know nothing of HTTP frameworks. `common.exceptions.api_exception_handler` turns them into a response,
shaped by the error contract of the view that called the service (see `common.exceptions`).

Every app lists its codes in a `StrEnum` (`<app>/errors.py`), so a code is stable and greppable:

    class ReviewErrorCode(StrEnum):
        RESPONSE_LOCKED = "response_locked"

    raise ConflictError(ReviewErrorCode.RESPONSE_LOCKED, "This response is locked: ...")
"""

from collections.abc import Mapping
from enum import StrEnum
from http import HTTPStatus
from typing import Any


class CommonErrorCode(StrEnum):
    """Codes shared by every app: the HTTP layer's own refusals and the generic domain ones."""

    INVALID = "invalid"
    PARSE_ERROR = "parse_error"
    NOT_AUTHENTICATED = "not_authenticated"
    AUTHENTICATION_FAILED = "authentication_failed"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    CONFLICT = "conflict"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"
    REQUEST_TOO_LARGE = "request_too_large"
    TOO_MANY_FIELDS = "too_many_fields"
    LENGTH_REQUIRED = "length_required"
    BAD_REQUEST = "bad_request"
    SERVER_ERROR = "server_error"
    DATABASE_UNAVAILABLE = "database_unavailable"
    INVALID_TRANSITION = "invalid_transition"
    ORDER_CODE_UNAVAILABLE = "order_code_unavailable"


class ApplicationError(Exception):
    """A business rule refused the request.

    `code` is stable (a member of the app's StrEnum), `message` is for people, `fields` maps input fields to
    their messages when the refusal is about specific input, `extra` carries data a contract adapter may add to
    the body (document 002's `message` bodies, document 004's `errors`).
    """

    status: int = HTTPStatus.BAD_REQUEST

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int | None = None,
        fields: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = str(code)
        self.message = message
        if status is not None:
            self.status = status
        self.fields = dict(fields) if fields else None
        self.extra = dict(extra) if extra else {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r})"


class NotFoundError(ApplicationError):
    status = HTTPStatus.NOT_FOUND


class PermissionDeniedError(ApplicationError):
    status = HTTPStatus.FORBIDDEN

    def __init__(
        self,
        code: str = CommonErrorCode.PERMISSION_DENIED,
        message: str = "You do not have permission to perform this action.",
        **kwargs: Any,
    ) -> None:
        super().__init__(code, message, **kwargs)


class ConflictError(ApplicationError):
    status = HTTPStatus.CONFLICT


class TransitionNotAllowedError(ConflictError):
    """A state machine refused a move (see `common.state_machine`)."""

    def __init__(self, code: str, message: str, *, from_state: str, to_state: str, **kwargs: Any) -> None:
        super().__init__(code, message, **kwargs)
        self.from_state = from_state
        self.to_state = to_state
