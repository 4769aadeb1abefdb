"""Stable error codes and messages of the marketplace endpoints."""

from enum import StrEnum

from common.errors import ConflictError, NotFoundError, PermissionDeniedError

ORDER_NOT_FOUND = "No Order matches the given query."
REVIEW_NOT_FOUND = "No OrderReview matches the given query."


class ReviewErrorCode(StrEnum):
    ORDER_NOT_FOUND = "order_not_found"
    REVIEW_NOT_FOUND = "review_not_found"
    RESPONSE_LOCKED = "response_locked"
    ORDER_TAKEN = "order_taken"
    ORDER_DONE = "order_done"
    INVALID_TRANSITION = "invalid_transition"
    NOT_ORDER_CUSTOMER = "not_order_customer"
    NOT_ACCEPTED = "response_not_accepted"
    ORDER_CANCELLED = "order_cancelled"
    WORK_STARTED = "work_started"


def response_locked(status: str) -> ConflictError:
    return ConflictError(
        ReviewErrorCode.RESPONSE_LOCKED,
        f"This response is locked: its status is '{status}', so its executor can no longer change it.",
    )


def order_taken() -> ConflictError:
    return ConflictError(ReviewErrorCode.ORDER_TAKEN, "This order already has an accepted executor.")


def order_done() -> ConflictError:
    return ConflictError(ReviewErrorCode.ORDER_DONE, "This order is already done.")


def order_cancelled() -> ConflictError:
    return ConflictError(ReviewErrorCode.ORDER_CANCELLED, "This order is cancelled.")


def work_started() -> ConflictError:
    return ConflictError(
        ReviewErrorCode.WORK_STARTED, "The work on this order has started: it can no longer be cancelled."
    )


def not_accepted(status: str) -> ConflictError:
    return ConflictError(
        ReviewErrorCode.NOT_ACCEPTED,
        f"Only an accepted response can be withdrawn, before the work starts; its status is '{status}'.",
    )


def not_order_customer() -> PermissionDeniedError:
    return PermissionDeniedError(ReviewErrorCode.NOT_ORDER_CUSTOMER, "Only the customer of this order may do this.")


def order_not_found() -> NotFoundError:
    return NotFoundError(ReviewErrorCode.ORDER_NOT_FOUND, ORDER_NOT_FOUND)


def review_not_found() -> NotFoundError:
    return NotFoundError(ReviewErrorCode.REVIEW_NOT_FOUND, REVIEW_NOT_FOUND)
