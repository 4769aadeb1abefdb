"""Stable error codes and messages of the marketplace endpoints."""

from enum import StrEnum

from rest_framework import exceptions

from common.exceptions import ConflictError


class ReviewErrorCode(StrEnum):
    RESPONSE_LOCKED = "response_locked"
    ORDER_TAKEN = "order_taken"
    ORDER_DONE = "order_done"
    INVALID_TRANSITION = "invalid_transition"
    NOT_ORDER_CUSTOMER = "not_order_customer"


def response_locked(status: str) -> ConflictError:
    return ConflictError(
        f"This response is locked: its status is '{status}', so its executor can no longer change it.",
        code=ReviewErrorCode.RESPONSE_LOCKED,
    )


def order_taken() -> ConflictError:
    return ConflictError("This order already has an accepted executor.", code=ReviewErrorCode.ORDER_TAKEN)


def order_done() -> ConflictError:
    return ConflictError("This order is already done.", code=ReviewErrorCode.ORDER_DONE)


def invalid_transition(from_status: str, to_status: str) -> ConflictError:
    return ConflictError(
        f"A response cannot move from '{from_status}' to '{to_status}'.", code=ReviewErrorCode.INVALID_TRANSITION
    )


def not_order_customer() -> exceptions.PermissionDenied:
    return exceptions.PermissionDenied(
        "Only the customer of this order may do this.", code=ReviewErrorCode.NOT_ORDER_CUSTOMER
    )
