"""Document 002's error contract: `{"message": ...}` bodies with the document's texts, at the document's statuses.

- the app's own refusals (`assignments.errors`) answer `{"message"}`, invalid parameters also `errors`
  (every bad parameter with its messages); a refused cancel or complete is a 200 there, as the document says;
- any other error is the document's 500 `{"message": "Unknown error"}` (the traceback is logged);
- refusals of the HTTP layer (401, 403, 405...) are not in the document and keep document 001's `{"detail"}`.
"""

from http import HTTPStatus
from typing import Any

from assignments.errors import AssignmentErrorCode
from common.exceptions import DOCUMENT_001, ErrorContract, Problem

UNKNOWN_ERROR = "Unknown error"

# The status document 002 gives each of the app's refusals.
DOCUMENT_STATUS: dict[str, int] = {
    AssignmentErrorCode.MISSING_PARAMETERS: HTTPStatus.BAD_REQUEST,
    AssignmentErrorCode.INVALID_PARAMETERS: HTTPStatus.BAD_REQUEST,
    AssignmentErrorCode.ALREADY_EXISTS: HTTPStatus.BAD_REQUEST,
    AssignmentErrorCode.NOT_CANCELABLE: HTTPStatus.OK,
    AssignmentErrorCode.NOT_COMPLETABLE: HTTPStatus.OK,
}

_OWN_CODES = frozenset(AssignmentErrorCode)


class Document002Contract(ErrorContract):
    name = "document-002"

    def body(self, problem: Problem) -> Any:
        if problem.code not in _OWN_CODES:
            return DOCUMENT_001.body(problem)
        body: dict[str, Any] = {"message": problem.detail, **problem.extra}
        if problem.fields is not None:
            body["errors"] = problem.fields
        return body

    def server_error_body(self) -> Any:
        return {"message": UNKNOWN_ERROR}

    def status(self, problem: Problem) -> int:
        return DOCUMENT_STATUS.get(problem.code, problem.status)


DOCUMENT_002 = Document002Contract()
