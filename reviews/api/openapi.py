"""OpenAPI descriptions, bodies and examples of /api_v2/ (document 000), attached to the views by name."""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from common.openapi import ERROR_400, ERROR_401, ERROR_403, ERROR_404, ERROR_409, field_errors_400
from reviews.api import serializers as s
from reviews.models import ReviewStatus
from reviews.transitions import CUSTOMER_TARGETS, transition_table_markdown

TAG = ["marketplace"]


def _demo_id(description: str, **examples: int) -> OpenApiParameter:
    """The `{id}` of the path with the ids of `make run`'s demo marketplace (reviews/demo.py on a fresh database):
    orders 1 "Logo for a bakery" (open), 2 "Landing page" (responses 1 of mp_executor1, looked, and 2 of
    mp_executor2, negotiating), 3 "Online shop", 4 "Mobile app design" (response 5, in progress), 5 "Company blog".
    An example named like a request example goes with it."""
    return OpenApiParameter(
        "id",
        OpenApiTypes.INT,
        OpenApiParameter.PATH,
        description=description,
        examples=[OpenApiExample(name.replace("_", " "), value=value) for name, value in examples.items()],
    )


INVALID_STATUS_FILTER = field_errors_400(
    "A filter value is not valid.",
    invalid_filter={"status": ["Select a valid choice. nope is not one of the available choices."]},
)
TRANSITIONS_DOC = "\n\n**Transition table of a response**\n\n" + transition_table_markdown()

_USER = {"id": 3, "username": "customer1", "first_name": "Anna", "last_name": "Petrova", "rating": 0.0, "avatar": None}
_REVIEW = {
    "id": 7,
    "status": "looked",
    "to_price": None,
    "to_deadline": None,
    "cancel_reason": None,
    "show": None,
}
_ORDER = {
    "id": 12,
    "order_code": 482019374650123,
    "name": "Landing page",
    "description": "A one-page site for a bakery.",
    "price": 15000.0,
    "term": 7,
    "deadline": "2030-01-18T20:33:23.903000Z",
    "customer_score": None,
    "done": False,
    "customer": _USER,
    "executor": None,
    "cancelled_at": None,
    "cancel_reason": "",
    "created_at": "2030-01-10T09:00:00Z",
    "updated_at": "2030-01-10T09:00:00Z",
}
_EXECUTOR = {
    "id": 6,
    "username": "moderator4",
    "first_name": "",
    "last_name": "",
    "email": "moderator4@mail.ru",
    "level": None,
    "about": "",
    "balls": 100,
    "phone": None,
    "avatar": None,
    "rating": 4,
}


class CustomerDecisionSchema(OpenApiSerializerExtension):
    """The customer's decision as its validation reads it: `done` with a `customer_score` 1..5, any other status
    without one."""

    target_class = s.OrderReviewCustomerInputSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        fields = self.target_class().fields
        score = auto_schema._map_serializer_field(fields["customer_score"], direction)
        others = [str(status) for status in CUSTOMER_TARGETS if status != ReviewStatus.DONE]

        def status(*values: str) -> dict[str, Any]:
            # inside a oneOf, as `serializers._status_field` does: drf-spectacular would otherwise hoist both enums
            # into one component named after the field
            return {"oneOf": [{"type": "string", "enum": list(values)}]}

        return {
            "type": "object",
            "properties": {"status": status(*map(str, CUSTOMER_TARGETS)), "customer_score": score},
            "required": ["status"],
            "oneOf": [
                {
                    "type": "object",
                    "title": "Finish the work",
                    "properties": {"status": status("done"), "customer_score": score},
                    "required": ["status", "customer_score"],
                },
                {
                    "type": "object",
                    "title": "Accept, reject or start",
                    "properties": {
                        "status": status(*others),
                        "customer_score": {"not": {}, "description": "Only with status done."},
                    },
                    "required": ["status"],
                },
            ],
        }


def _conflict(name: str, detail: str) -> OpenApiResponse:
    return OpenApiResponse(
        response=ERROR_409.response,
        description="Refused by the response's state; nothing changed.",
        examples=[OpenApiExample(name, value={"detail": detail})],
    )


ORDER_FEED = extend_schema_view(
    get=extend_schema(
        operation_id="marketplace_order_feed",
        tags=TAG,
        summary="Feed of open marketplace orders",
        description=(
            "Open marketplace orders: no executor yet, not done, not cancelled, not mine, and not hidden by me "
            "(my response to it has `show=false` or is rejected). Newest first. `search` matches every word in the "
            "name or description. My own orders are at `GET /api_v2/order/mine/`."
        ),
        responses={
            200: s.MarketplaceOrderOutputSerializer(many=True),
            400: field_errors_400("A filter value is not valid.", invalid_filter={"price_min": ["Enter a number."]}),
            401: ERROR_401,
            403: ERROR_403,
        },
        examples=[OpenApiExample("Feed", value=_ORDER, response_only=True)],
    ),
    post=extend_schema(
        operation_id="marketplace_order_create",
        tags=TAG,
        summary="Publish a marketplace order",
        description="The requester is the order's customer (its creator).",
        request=s.MarketplaceOrderCreateInputSerializer,
        responses={
            201: s.MarketplaceOrderDetailOutputSerializer,
            400: field_errors_400(
                missing_fields={"price": ["This field is required."], "term": ["This field is required."]}
            ),
            401: ERROR_401,
            403: ERROR_403,
        },
        examples=[
            OpenApiExample(
                "New order",
                value={
                    "name": "Landing page",
                    "description": "A one-page site for a bakery.",
                    "price": "15000.00",
                    "term": 7,
                    "deadline": "2030-01-18T20:33:23.903Z",
                },
                request_only=True,
            ),
            OpenApiExample("Created", value={**_ORDER, "order_in_order_review": []}, response_only=True),
        ],
    ),
)

CUSTOMER_ORDERS = extend_schema_view(
    get=extend_schema(
        operation_id="marketplace_order_mine",
        tags=TAG,
        summary="My marketplace orders (as their customer)",
        description="Every marketplace order I published, newest first; filter by `done` and `has_executor`.",
        responses={200: s.MarketplaceOrderOutputSerializer(many=True), 400: ERROR_400, 401: ERROR_401, 403: ERROR_403},
        examples=[OpenApiExample("My orders", value=_ORDER, response_only=True)],
    )
)

PERSONAL_AREA = extend_schema_view(
    get=extend_schema(
        operation_id="marketplace_order_personal_area",
        tags=TAG,
        summary="Orders I won (executor's personal area)",
        description=(
            "Orders where my response is accepted, in_progress or done (all three without `status`); "
            "`order_in_order_review` holds my response."
        ),
        responses={
            200: s.MarketplaceOrderDetailOutputSerializer(many=True),
            400: INVALID_STATUS_FILTER,
            401: ERROR_401,
            403: ERROR_403,
        },
        examples=[
            OpenApiExample(
                "In progress",
                value={**_ORDER, "order_in_order_review": [{**_REVIEW, "status": "in_progress"}]},
                response_only=True,
            )
        ],
    )
)

ORDER_DETAIL = extend_schema_view(
    get=extend_schema(
        operation_id="marketplace_order_retrieve",
        tags=TAG,
        summary="Open a marketplace order (creates my response on the first view)",
        description=(
            "For anyone but the customer, the first view creates their response (OrderReview) with status "
            "`looked`, once per order and executor even under concurrent first views; "
            "`order_in_order_review` then holds that response, whose `id` is the one to PATCH at "
            "`/api_v2/order/review/{id}/`. Only open orders (no executor, not done, not cancelled) can be opened "
            "for the first time (404 otherwise); later views work whatever the order's state, and a cancelled "
            "order shows `cancelled_at` and `cancel_reason`. For the customer nothing is created and "
            "`order_in_order_review` lists every response to the order."
        ),
        parameters=[_demo_id("The marketplace order's id.", Demo_data=1)],
        responses={200: s.MarketplaceOrderDetailOutputSerializer, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[
            OpenApiExample(
                "Executor's view",
                value={
                    **_ORDER,
                    "order_in_order_review": [
                        {
                            "id": 7,
                            "status": "looked",
                            "to_price": 14000.0,
                            "to_deadline": "2030-01-18T20:33:23.903000Z",
                            "cancel_reason": "low_budget",
                            "show": True,
                        }
                    ],
                },
                response_only=True,
            )
        ],
    )
)

REVIEW_UPDATE = extend_schema_view(
    patch=extend_schema(
        operation_id="marketplace_review_update",
        tags=TAG,
        summary="Update my response (executor)",
        description=(
            "Only the response's executor (anyone else: 404). The executor may set `status` to looked, "
            "reconciliation or rejected, propose `to_price` / `to_deadline`, give a `cancel_reason` and set "
            "`show` (false hides the order from my feed). Once the response is rejected, accepted, "
            "in_progress or done it is locked: any change is a 409 and nothing changes." + TRANSITIONS_DOC
        ),
        request=s.OrderReviewUpdateInputSerializer,
        parameters=[_demo_id("The response's id.", Demo_data=1)],
        responses={
            200: s.OrderReviewOutputSerializer,
            400: field_errors_400(invalid_status={"status": ['"nope" is not a valid choice.']}),
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
            409: _conflict(
                "Locked",
                "This response is locked: its status is 'accepted', so its executor can no longer change it.",
            ),
        },
        examples=[
            OpenApiExample(
                "Negotiate",
                value={"status": "reconciliation", "to_price": "14000.00", "to_deadline": "2030-01-18T20:33:23Z"},
                request_only=True,
            ),
            OpenApiExample("Decline", value={"status": "rejected", "cancel_reason": "low_budget"}, request_only=True),
            OpenApiExample("Updated", value={**_REVIEW, "status": "reconciliation"}, response_only=True),
        ],
    )
)

REVIEW_BY_CUSTOMER = extend_schema_view(
    post=extend_schema(
        operation_id="marketplace_review_set_status_by_customer",
        tags=TAG,
        summary="Pick, reject, start or finish a response (customer)",
        description=(
            "Only the customer of the response's order (the response's executor: 403; anyone else: 404). "
            "`accepted` makes the response's executor the order's executor and rejects every other open "
            "response at once; a second accept on the same order is a 409. `rejected` turns down one open "
            "response. `in_progress` starts the accepted one. `done` (with `customer_score` 1..5) finishes the "
            "order, stores the score and sets the executor's `rating` to the mean of their scores. Any decision on a "
            "response of a cancelled order is a 409 `This order is cancelled.`" + TRANSITIONS_DOC
        ),
        request=s.OrderReviewCustomerInputSerializer,
        parameters=[_demo_id("The response's id.", Accept=2, Finish=5)],
        responses={
            200: s.OrderReviewOutputSerializer,
            400: field_errors_400(score_missing={"customer_score": ["Required to mark the work done (1..5)."]}),
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
            409: _conflict("Already taken", "This order already has an accepted executor."),
        },
        examples=[
            OpenApiExample("Accept", value={"status": "accepted"}, request_only=True),
            OpenApiExample("Finish", value={"status": "done", "customer_score": 5}, request_only=True),
            OpenApiExample("Accepted", value={**_REVIEW, "status": "accepted"}, response_only=True),
        ],
    )
)

REVIEWS_BY_ORDER = extend_schema_view(
    get=extend_schema(
        operation_id="marketplace_reviews_by_order",
        tags=TAG,
        summary="Responses to my order, with their executors (customer)",
        description="Only the order's customer (anyone else: 403; no such marketplace order: 404). Oldest first.",
        parameters=[_demo_id("The marketplace order's id.", Demo_data=2)],
        responses={
            200: s.OrderReviewWithExecutorOutputSerializer(many=True),
            400: INVALID_STATUS_FILTER,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
        examples=[
            OpenApiExample(
                "Document 000",
                value={**_REVIEW, "status": "rejected", "executor": _EXECUTOR},
                response_only=True,
            )
        ],
    )
)

REVIEW_HISTORY = extend_schema_view(
    get=extend_schema(
        operation_id="marketplace_review_history",
        tags=TAG,
        summary="Every recorded change of a response",
        description=(
            "For the response's executor and the order's customer (anyone else: 404). Each change: who made "
            "it, the status before and after, other fields changed, when. Oldest first."
        ),
        parameters=[_demo_id("The response's id.", Demo_data=2)],
        responses={
            200: s.OrderReviewHistoryOutputSerializer(many=True),
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
        examples=[
            OpenApiExample(
                "History",
                value={
                    "id": 1,
                    "actor": {"id": 6, "username": "moderator4"},
                    "from_status": None,
                    "to_status": "looked",
                    "changes": {},
                    "note": "first view of the order",
                    "created_at": "2030-01-10T09:00:00Z",
                },
                response_only=True,
            )
        ],
    )
)


ORDER_EDIT = extend_schema_view(
    patch=extend_schema(
        operation_id="marketplace_order_edit",
        tags=TAG,
        summary="Edit my order while no executor is accepted (customer)",
        description=(
            "Only the order's customer (anyone else: 404). Any of `name`, `description`, `price`, `term`, "
            "`deadline`; the fields left out keep their values. Allowed while no response is accepted: once an "
            "executor is accepted (or the work is done, or the order is cancelled) the terms are fixed and the "
            "answer is 409. A change is recorded as `marketplace_order.updated` with each field's old and new "
            "value. The edit runs under the order row's lock, the one an accept takes first, so an accept never "
            "picks terms its executor did not see. Answers the order as `GET /api_v2/order/{id}/` shows it to its "
            "customer."
        ),
        parameters=[_demo_id("My marketplace order's id.", Demo_data=1)],
        request=s.MarketplaceOrderEditInputSerializer,
        responses={
            200: s.MarketplaceOrderDetailOutputSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
            409: _conflict("Already taken", "This order already has an accepted executor."),
        },
        examples=[
            OpenApiExample("New price and term", value={"price": "18000.00", "term": 10}, request_only=True),
            OpenApiExample(
                "Edited",
                value={**_ORDER, "price": 18000.0, "term": 10, "order_in_order_review": [_REVIEW]},
                response_only=True,
            ),
        ],
    )
)

REVIEW_WITHDRAW = extend_schema_view(
    post=extend_schema(
        operation_id="marketplace_review_withdraw",
        tags=TAG,
        summary="Withdraw my accepted response before work starts (executor)",
        description=(
            "Only the response's executor (anyone else: 404). An accepted response becomes `rejected` (with "
            "`cancel_reason` if given) and the order reopens: it has no executor, the customer may accept another "
            "open response and new executors may open it. Responses rejected when this one was accepted stay "
            "rejected. Once the work is in progress (or the response is not accepted) the answer is 409 and nothing "
            "changes; a withdraw racing the customer's start runs strictly before or after it under the order "
            "row's lock." + TRANSITIONS_DOC
        ),
        parameters=[_demo_id("My accepted response's id (demo: mp_executor1's response to order 3).", Demo_data=3)],
        request=s.OrderReviewWithdrawInputSerializer,
        responses={
            200: s.OrderReviewOutputSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
            409: _conflict(
                "Work started",
                "Only an accepted response can be withdrawn, before the work starts; its status is 'in_progress'.",
            ),
        },
        examples=[
            OpenApiExample("Withdraw", value={"cancel_reason": "Im_busy"}, request_only=True),
            OpenApiExample(
                "Withdrawn", value={**_REVIEW, "status": "rejected", "cancel_reason": "Im_busy"}, response_only=True
            ),
        ],
    )
)

ORDER_CANCEL = extend_schema_view(
    post=extend_schema(
        operation_id="marketplace_order_cancel",
        tags=TAG,
        summary="Cancel my order before the work starts (customer)",
        description=(
            "Only the order's customer (anyone else: 404). The body is optional: `reason` (up to 255 characters) "
            "is stored on the order as `cancel_reason` and written into the history note of every response it "
            "rejects. Every open response (looked, reconciliation) and the accepted one, if the work has not "
            "started, becomes `rejected`; the order loses its executor, leaves the feed for good, newcomers can no "
            "longer open it (404), and its responses take no more changes or decisions (409). Once the work is in "
            "progress or done, or when the order is already cancelled, the answer is 409 and nothing changes. "
            "The cancel locks the order row, then its responses in primary-key order, as an accept does: a cancel "
            "racing an accept runs strictly before it (the accept gets 409) or after it (the accepted response is "
            "rejected too). Events: `marketplace_order.cancelled` for the customer and one `review.rejected` "
            "(`order_cancelled: true`) per rejected response, which notifies its executor. Answers the order as "
            "`GET /api_v2/order/{id}/` shows it to its customer." + TRANSITIONS_DOC
        ),
        parameters=[_demo_id("My marketplace order's id (demo: order 2, with two open responses).", Demo_data=2)],
        request=s.MarketplaceOrderCancelInputSerializer,
        responses={
            200: s.MarketplaceOrderDetailOutputSerializer,
            400: field_errors_400(too_long={"reason": ["Ensure this field has no more than 255 characters."]}),
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
            409: OpenApiResponse(
                response=ERROR_409.response,
                description="The order is already cancelled or done, or its work has started; nothing changed.",
                examples=[
                    OpenApiExample(
                        "Work started",
                        value={"detail": "The work on this order has started: it can no longer be cancelled."},
                    ),
                    OpenApiExample("Already cancelled", value={"detail": "This order is cancelled."}),
                    OpenApiExample("Done", value={"detail": "This order is already done."}),
                ],
            ),
        },
        examples=[
            OpenApiExample("Cancel", value={"reason": "Found a designer locally."}, request_only=True),
            OpenApiExample(
                "Cancelled",
                value={
                    **_ORDER,
                    "cancelled_at": "2030-01-11T12:00:00Z",
                    "cancel_reason": "Found a designer locally.",
                    "order_in_order_review": [{**_REVIEW, "status": "rejected"}],
                },
                response_only=True,
            ),
        ],
    )
)
