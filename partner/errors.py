"""What the partner services refuse or fail at, with the messages callers read.

The statuses are the errors' own; document 004 answers most of them at 200 in its `result` envelopes, and
`partner.api.errors` says so, one contract per API version.
"""

from enum import StrEnum
from http import HTTPStatus
from typing import Any

from common.errors import ApplicationError, NotFoundError

THEIR_ORDER_ID = "their_order_id"


class PartnerErrorCode(StrEnum):
    ORDER_NOT_FOUND = "partner_order_not_found"
    ORDER_ID_MISMATCH = "their_order_id_mismatch"
    ORDER_REJECTED = "order_rejected"  # the partner answered and refused the order
    PARTNER_ERROR = "partner_error"  # the partner gave no usable answer to a placing
    SERVICE_ERROR = "service_error"  # our own failure while placing
    STATUS_UNAVAILABLE = "status_unavailable"
    CANCEL_REJECTED = "order_cancel_rejected"
    CANCEL_UNAVAILABLE = "cancel_unavailable"


class PartnerErrorMessage(StrEnum):
    ORDER_NOT_FOUND = "No partner order matches the given order_id."
    ORDER_ID_MISMATCH = "Does not match the partner order id we have for this order."
    UNAVAILABLE = "The partner is unavailable, try again later."
    BAD_ANSWER = "The partner gave an unexpected answer."
    OUTCOME_UNKNOWN = "The partner has not confirmed the order yet; send it again later, it will not be placed twice."
    SERVICE_ERROR = "The service could not process the request."
    CANCEL_REFUSED = "The partner refused the cancellation."


class PartnerOrderNotFound(NotFoundError):
    """No order with this id was placed with the partner (unknown, or refused so far)."""

    def __init__(self) -> None:
        super().__init__(PartnerErrorCode.ORDER_NOT_FOUND, PartnerErrorMessage.ORDER_NOT_FOUND.value)


class TheirOrderIdMismatch(ApplicationError):
    """The caller's partner order id is not the one we have; `fields` names it by its domain name."""

    def __init__(self) -> None:
        message = PartnerErrorMessage.ORDER_ID_MISMATCH.value
        super().__init__(PartnerErrorCode.ORDER_ID_MISMATCH, message, fields={THEIR_ORDER_ID: [message]})


class PartnerOrderNotPlaced(ApplicationError):
    """The order was not placed: the partner refused it (`quantity_errors`, `price_errors`), gave no usable
    answer (`partner_error`), or we failed (`SERVICE_ERROR`). What the partner said is recorded on the order."""

    def __init__(
        self,
        code: PartnerErrorCode,
        message: str,
        *,
        partner_error: bool = False,
        quantity_errors: list[dict[str, Any]] | None = None,
        price_errors: list[dict[str, Any]] | None = None,
    ) -> None:
        status = {
            PartnerErrorCode.ORDER_REJECTED: HTTPStatus.CONFLICT,
            PartnerErrorCode.PARTNER_ERROR: HTTPStatus.BAD_GATEWAY,
        }.get(code, HTTPStatus.INTERNAL_SERVER_ERROR)
        extra = {"partner_error": partner_error, "quantity_errors": quantity_errors, "price_errors": price_errors}
        super().__init__(code, message, status=status, extra=extra)


class PartnerStatusUnavailable(ApplicationError):
    """The partner could not be asked for an order's status; nothing was changed."""

    status = HTTPStatus.BAD_GATEWAY

    def __init__(self, message: str) -> None:
        super().__init__(PartnerErrorCode.STATUS_UNAVAILABLE, message)


class PartnerOrderNotCancelled(ApplicationError):
    """The partner refused the cancel (`CANCEL_REJECTED`, with its reasons) or could not be asked
    (`CANCEL_UNAVAILABLE`); nothing was changed."""

    def __init__(self, code: PartnerErrorCode, message: str) -> None:
        status = HTTPStatus.CONFLICT if code == PartnerErrorCode.CANCEL_REJECTED else HTTPStatus.BAD_GATEWAY
        super().__init__(code, message, status=status)
