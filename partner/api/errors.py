"""Document 004's error contracts: v2's `result` envelopes and the deprecated v1's PascalCase `Result`/`Message`.

- the partner's refusals and failures (`partner.errors`) are answers there, given at 200, except v2's own failure
  while placing (`service_error`), a 500;
- anything else (validation, 401, 403, 404, 405, an order id that is not the partner's) keeps document 001's
  `{"detail"}` and `{field: [messages]}`, as it always has; an order id that does not match is named as the
  view's input names it.
"""

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from common.errors import ApplicationError
from common.exceptions import Document001Contract, Problem
from partner.api.serializers import Result
from partner.errors import THEIR_ORDER_ID, PartnerErrorCode

_PLACING = frozenset({PartnerErrorCode.ORDER_REJECTED, PartnerErrorCode.PARTNER_ERROR, PartnerErrorCode.SERVICE_ERROR})

# The `result` of each of the partner's refusals and failures, per version.
V2_RESULT: dict[str, Result] = {
    PartnerErrorCode.STATUS_UNAVAILABLE: Result.ERROR,
    PartnerErrorCode.CANCEL_REJECTED: Result.CANCEL_REJECTED,
    PartnerErrorCode.CANCEL_UNAVAILABLE: Result.TRANSIENT_ERROR,
}
V1_RESULT: dict[str, Result] = {
    PartnerErrorCode.ORDER_REJECTED: Result.ORDER_REJECTED,
    PartnerErrorCode.PARTNER_ERROR: Result.TRANSIENT_ERROR,
    PartnerErrorCode.SERVICE_ERROR: Result.TRANSIENT_ERROR,
    PartnerErrorCode.STATUS_UNAVAILABLE: Result.TRANSIENT_ERROR,
    PartnerErrorCode.CANCEL_REJECTED: Result.CANCEL_REJECTED,
    PartnerErrorCode.CANCEL_UNAVAILABLE: Result.TRANSIENT_ERROR,
}


class _PartnerContract(Document001Contract):
    """Document 001's bodies, with the field names of the view's input."""

    def __init__(self, *, their_order_id: str = THEIR_ORDER_ID) -> None:
        self.field_names: Mapping[str, str] = {THEIR_ORDER_ID: their_order_id}

    def body(self, problem: Problem) -> Any:
        if isinstance(problem.exc, ApplicationError) and problem.fields is not None:
            return {self.field_names.get(name, name): messages for name, messages in problem.fields.items()}
        return super().body(problem)


class PartnerV2Contract(_PartnerContract):
    name = "document-004"

    def body(self, problem: Problem) -> Any:
        if problem.code in _PLACING:
            return {
                "result": Result.ERROR.value,
                "data": {
                    "partner_error": True if problem.extra["partner_error"] else None,
                    "service_error": True if problem.code == PartnerErrorCode.SERVICE_ERROR else None,
                    "quantity_errors": problem.extra["quantity_errors"],
                    "price_errors": problem.extra["price_errors"],
                },
            }
        if problem.code in V2_RESULT:
            return {"result": V2_RESULT[problem.code].value, "message": problem.detail}
        return super().body(problem)

    def status(self, problem: Problem) -> int:
        if problem.code == PartnerErrorCode.SERVICE_ERROR:
            return HTTPStatus.INTERNAL_SERVER_ERROR
        if problem.code in _PLACING or problem.code in V2_RESULT:
            return HTTPStatus.OK
        return problem.status


class PartnerV1Contract(_PartnerContract):
    name = "document-004-v1"

    def body(self, problem: Problem) -> Any:
        if problem.code in V1_RESULT:
            return {"Result": V1_RESULT[problem.code].value, "Message": problem.detail}
        return super().body(problem)

    def status(self, problem: Problem) -> int:
        return HTTPStatus.OK if problem.code in V1_RESULT else problem.status


DOCUMENT_004 = PartnerV2Contract()
V1 = PartnerV1Contract()
V1_GET_ORDER_STATUS = PartnerV1Contract(their_order_id="TheirOrderId")
V1_CANCEL_ORDER = PartnerV1Contract(their_order_id="their_order_ID")
