"""What the assignment services and the document 002 parameters refuse, with the document's exact messages.

The statuses are the errors' own (a duplicate or a refused move is a conflict); document 002 answers some of
them differently (400, even 200) and `assignments.api.errors.Document002Contract` says so in one table.
"""

from enum import StrEnum
from typing import Any

from common.errors import ApplicationError, ConflictError


class AssignmentErrorCode(StrEnum):
    MISSING_PARAMETERS = "missing_parameters"
    INVALID_PARAMETERS = "invalid_parameters"
    ALREADY_EXISTS = "assigned_order_exists"
    NOT_CANCELABLE = "assigned_order_not_cancelable"
    NOT_COMPLETABLE = "assigned_order_not_completable"
    INVALID_TRANSITION = "assigned_order_invalid_transition"


class AssignmentErrorMessage(StrEnum):
    """Document 002's texts, verbatim ({order_id} is filled in)."""

    MISSING_ASSIGN = "Missing parameters, please provide order_id, executor_id and zone_id"
    MISSING_EXECUTOR = "Missing parameters, please provide executor_id"
    MISSING_ORDER = "Missing parameters, please provide order_id"
    INVALID = "Invalid parameters"
    ALREADY_EXISTS = "AssignedOrder with provided orderId already exists"
    NOT_CANCELABLE = "AssignedOrder with OrderId {order_id} does not exist or has already been canceled"
    NOT_COMPLETABLE = "AssignedOrder with OrderId {order_id} does not exist or has not been acquired"


class MissingParametersError(ApplicationError):
    def __init__(self, message: str) -> None:
        super().__init__(AssignmentErrorCode.MISSING_PARAMETERS, message)


class InvalidParametersError(ApplicationError):
    """Parameters present but not acceptable (too long, NUL characters); `fields` names each with its messages."""

    def __init__(self, fields: dict[str, Any]) -> None:
        super().__init__(AssignmentErrorCode.INVALID_PARAMETERS, AssignmentErrorMessage.INVALID, fields=fields)


class AssignedOrderAlreadyExists(ConflictError):
    """The order_id is already known; nothing was changed."""

    def __init__(self, order_id: str) -> None:
        super().__init__(AssignmentErrorCode.ALREADY_EXISTS, AssignmentErrorMessage.ALREADY_EXISTS)
        self.order_id = order_id


class AssignedOrderNotMovable(ConflictError):
    """No such order, or its status does not allow the action; nothing was changed."""

    def __init__(self, code: AssignmentErrorCode, message: AssignmentErrorMessage, *, order_id: str) -> None:
        super().__init__(code, message.format(order_id=order_id))
        self.order_id = order_id
