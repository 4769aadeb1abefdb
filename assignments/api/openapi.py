"""OpenAPI pieces of document 002 and of the dispatchers' list: parameters, answers and their examples.

The error examples are the bodies the API really sends (tests compare the list's with live answers).
Document 002's operations answer `{"message"}` (see `assignments.api.errors`); the list is ours and answers the
product's `{"detail", "code"}`.
"""

from typing import Any

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers

from assignments.api.serializers import (
    AssignedOrderProfileOutputSerializer,
    AssignmentAcquireOutputSerializer,
    AssignmentMessage,
    AssignmentMessageOutputSerializer,
)
from assignments.errors import AssignmentErrorMessage
from assignments.models import ID_MAX_LENGTH
from common.errors import CommonErrorCode
from common.exceptions import SERVER_ERROR_MESSAGE, VALIDATION_MESSAGE
from common.openapi import ERROR_401, ERROR_403, PRODUCT_401, PRODUCT_403, ProductErrorSerializer
from common.schema import NOT_BLANK_NO_NUL

TAG = "assignments"
#: the docs show everything under /orders/ in one place, this path of document 002 included
ORDERS_TAG = "orders"


#: a parameter as document 002's calls validate it: present, not only whitespace (else "Missing parameters", one
#: message for all), then 1 to 64 characters without NUL (else "Invalid parameters"); every parameter is required,
#: so the call's parameters are required together
ID_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": ID_MAX_LENGTH,
    "pattern": NOT_BLANK_NO_NUL,
}


def _query(name: str, description: str, example: str, example_name: str = "Demo data") -> OpenApiParameter:
    return OpenApiParameter(
        name,
        ID_SCHEMA,
        OpenApiParameter.QUERY,
        required=True,
        description=description,
        examples=[OpenApiExample(example_name, value=example)],
    )


# The examples are `make run`'s demo data (assignments/demo.py on a fresh database): the dispatcher `dispatcher`,
# the executor `courier` (user 12) with the assigned order demo-ord-3, `courier2` with the acquired demo-ord-4.
_ORDER_ID = "The dispatch system's order id (1 to 64 characters)."
NEW_ORDER_ID = _query("order_id", _ORDER_ID, "ord-1001", "A new order")
ASSIGNED_ORDER_ID = _query("order_id", _ORDER_ID, "demo-ord-3", "An assigned demo order")
ACQUIRED_ORDER_ID = _query("order_id", _ORDER_ID, "demo-ord-4", "An acquired demo order")
EXECUTOR_ID = _query(
    "executor_id", "The executor's id: their user id in this product (1 to 64 characters).", "12", "courier"
)
ZONE_ID = _query("zone_id", "The dispatch system's zone id (1 to 64 characters).", "zone-north")

ORDER_PROFILE_EXAMPLE = {
    "id": 7,
    "order_id": "ord-1001",
    "executor_id": "42",
    "zone_id": "zone-north",
    "status": "assigned",
    "assigned_at": "2025-01-10T09:00:00Z",
    "acquired_at": None,
    "completed_at": None,
    "cancelled_at": None,
}


# Document 002's 400: `errors` is a field name no Serializer class may declare (it is Serializer.errors).
AssignmentBadRequestOutputSerializer = inline_serializer(
    "AssignmentBadRequestOutput",
    {
        "message": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="Only for invalid parameters: every bad parameter with its messages.",
        ),
    },
)


def _message(name: str, text: str) -> OpenApiExample:
    return OpenApiExample(name, value={"message": text}, response_only=True)


ERROR_500 = OpenApiResponse(
    response=AssignmentMessageOutputSerializer,
    description="Any internal error; its content is never disclosed (it is logged).",
    examples=[_message("Unknown error", "Unknown error")],
)


def _bad_request(missing: str, invalid_param: str, *examples: OpenApiExample) -> OpenApiResponse:
    return OpenApiResponse(
        response=AssignmentBadRequestOutputSerializer,
        description="Missing or invalid parameters, or the request breaks a rule (see `message`). "
        "Invalid parameters also carry `errors`: every bad parameter with its messages.",
        examples=[
            _message("Missing parameters", missing),
            *examples,
            OpenApiExample(
                "Invalid parameters",
                value={
                    "message": AssignmentErrorMessage.INVALID.value,
                    "errors": {invalid_param: ["Ensure this field has no more than 64 characters."]},
                },
                response_only=True,
            ),
        ],
    )


assign = extend_schema_view(
    put=extend_schema(
        operation_id="assigned_order_assign",
        tags=[ORDERS_TAG],
        summary="Register an order assigned to an executor",
        description="Dispatchers only. An executor carries one order at a time: if they still hold an active "
        "(assigned or acquired) order, it becomes completed. A known `order_id` changes nothing and answers 400, "
        "so a retried request has the effect of one. Also served at `/order/assign`.",
        parameters=[NEW_ORDER_ID, EXECUTOR_ID, ZONE_ID],
        request=None,
        responses={
            200: OpenApiResponse(
                AssignmentMessageOutputSerializer, examples=[_message("Created", AssignmentMessage.CREATED.value)]
            ),
            400: _bad_request(
                AssignmentErrorMessage.MISSING_ASSIGN.value,
                "zone_id",
                _message("Already exists", AssignmentErrorMessage.ALREADY_EXISTS.value),
            ),
            401: ERROR_401,
            403: ERROR_403,
            500: ERROR_500,
        },
    )
)

acquire = extend_schema_view(
    get=extend_schema(
        operation_id="assigned_order_acquire",
        tags=[TAG],
        summary="Take my active order",
        description="The executor's active order becomes acquired (`acquired_at` = now) and is returned with every "
        "stored field. Calling again returns the same order. `executor_id` must be the caller's own user id.",
        parameters=[EXECUTOR_ID],
        responses={
            200: OpenApiResponse(
                AssignmentAcquireOutputSerializer,
                examples=[
                    OpenApiExample(
                        "Acquired",
                        value={
                            "message": AssignmentMessage.ACQUIRED.value,
                            "order_profile": {
                                **ORDER_PROFILE_EXAMPLE,
                                "status": "acquired",
                                "acquired_at": "2025-01-10T09:05:00Z",
                            },
                        },
                        response_only=True,
                    ),
                    _message("Nothing assigned", AssignmentMessage.NOTHING_ASSIGNED.value),
                ],
            ),
            400: _bad_request(AssignmentErrorMessage.MISSING_EXECUTOR.value, "executor_id"),
            401: ERROR_401,
            403: ERROR_403,
            500: ERROR_500,
        },
    )
)


def _order_move(
    *, operation_id: str, summary: str, description: str, order_id: OpenApiParameter, done: str, refused: str
) -> Any:
    return extend_schema_view(
        post=extend_schema(
            operation_id=operation_id,
            tags=[TAG],
            summary=summary,
            description=description,
            parameters=[order_id],
            request=None,
            responses={
                200: OpenApiResponse(
                    AssignmentMessageOutputSerializer,
                    examples=[
                        _message("Done", done),
                        _message("Unknown or not allowed", refused.format(order_id="ord-1001")),
                    ],
                ),
                400: _bad_request(AssignmentErrorMessage.MISSING_ORDER.value, "order_id"),
                401: ERROR_401,
                403: ERROR_403,
                500: ERROR_500,
            },
        )
    )


cancel = _order_move(
    operation_id="assigned_order_cancel",
    summary="Cancel an assigned order",
    description="Dispatchers only. An assigned or acquired order becomes cancelled; an unknown, completed or "
    "already cancelled one is answered 200 with the message below and stays as it is.",
    order_id=ASSIGNED_ORDER_ID,
    done=AssignmentMessage.CANCELED.value,
    refused=AssignmentErrorMessage.NOT_CANCELABLE.value,
)

complete = _order_move(
    operation_id="assigned_order_complete",
    summary="Complete an acquired order",
    description="Dispatchers only (beyond document 002). An acquired order becomes completed; any other "
    "order, or an unknown id, is answered 200 with the message below and stays as it is.",
    order_id=ACQUIRED_ORDER_ID,
    done=AssignmentMessage.COMPLETED.value,
    refused=AssignmentErrorMessage.NOT_COMPLETABLE.value,
)


def _product_error(description: str, name: str, value: dict[str, Any]) -> OpenApiResponse:
    return OpenApiResponse(
        response=ProductErrorSerializer,
        description=f"{description} Code: `{value['code']}`.",
        examples=[OpenApiExample(name, value=value, response_only=True)],
    )


assigned_order_list = extend_schema_view(
    get=extend_schema(
        operation_id="assigned_order_list",
        tags=[TAG],
        summary="Assigned orders, for dispatchers",
        description="Newest first, paginated; filter by executor, zone, status (repeatable) and assignment time.",
        responses={
            200: AssignedOrderProfileOutputSerializer(many=True),
            400: OpenApiResponse(
                response=ProductErrorSerializer,
                description="A filter value is not valid: `fields` lists every bad filter with its messages. "
                "Codes: `invalid_choice` (status), `invalid` (times); `code` is the first bad filter's.",
                examples=[
                    OpenApiExample(
                        "Invalid filters",
                        value={
                            "detail": VALIDATION_MESSAGE,
                            "code": "invalid_choice",
                            "fields": {
                                "status": ["Select a valid choice. nope is not one of the available choices."],
                                "assigned_from": ["Enter a valid date/time."],
                            },
                        },
                        response_only=True,
                    )
                ],
            ),
            401: PRODUCT_401,
            403: PRODUCT_403,
            404: _product_error(
                "A page past the end.",
                "Invalid page",
                {"detail": "Invalid page.", "code": CommonErrorCode.NOT_FOUND.value},
            ),
            500: _product_error(
                "Any internal error; its content is never disclosed (it is logged).",
                "Server error",
                {"detail": SERVER_ERROR_MESSAGE, "code": CommonErrorCode.SERVER_ERROR.value},
            ),
        },
        examples=[
            OpenApiExample("Page", value=ORDER_PROFILE_EXAMPLE, response_only=True, status_codes=["200"]),
        ],
    )
)
