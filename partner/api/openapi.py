"""OpenAPI pieces of the partner API (document 004's v2 and the deprecated v1): bodies, answers, examples.

The partner's refusals are answers at 200 there (see `partner.api.errors`); validation, authentication and
permission refusals, and an unknown order, answer document 001's bodies.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)

from common.openapi import ERROR_401, ERROR_403, ERROR_404, field_errors_400
from partner.api import serializers as s

TAG_V2 = "partner"
TAG_V1 = "partner v1 (deprecated)"

AUTH_ERRORS = {401: ERROR_401, 403: ERROR_403}
REQUIRED = ["This field is required."]


def _invalid(**fields: list[str]) -> dict[int, OpenApiResponse]:
    """The 400 of one operation, naming its own fields, with the authentication refusals."""
    return {400: field_errors_400(invalid_body=fields), **AUTH_ERRORS}


class DeleteWithBodySchema(AutoSchema):
    """Document 004's `DELETE /v2/orders/` carries a JSON body; drf-spectacular documents bodies of unsafe
    methods only, so the DELETE is described like a POST."""

    def _get_request_body(self, direction: str = "request") -> Any:
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


def _one_of(component_name: str, *serializers: Any) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name=component_name, serializers=list(serializers), resource_type_field_name=None
    )


V2_CREATE_EXAMPLE = {
    "order_id": 10,
    "date": "2024-06-20T03:14:44.615Z",
    "client": {"name": "Test", "phone": "79997772211", "email": "example@example.com"},
    "their_pharmacy_id": "1086",
    "order_type": 2,
    "items": [{"their_id": "58", "price": 10, "count": 10}, {"their_id": "21737", "price": 10, "count": 12}],
    "comment": "",
    "extra": {},
}

orders_v2 = extend_schema_view(
    post=extend_schema(
        operation_id="partner_v2_order_create",
        tags=[TAG_V2],
        summary="Place an order with the partner (idempotent by order_id)",
        description="Sends our order `order_id` to the partner and answers the partner's order id and items. The "
        "same `order_id` again returns the order placed the first time, so a retry never places two. The partner's "
        "refusals (stock, prices) and its unavailability are `result: error` answers at 200.",
        request=s.PartnerV2OrderCreateInputSerializer,
        responses={
            200: OpenApiResponse(
                _one_of(
                    "PartnerV2OrderCreateResult",
                    s.PartnerV2OrderCreatedOutputSerializer,
                    s.PartnerV2OrderErrorOutputSerializer,
                ),
                description='`result` "success" with the partner order id, or "error" with what went wrong: '
                "`quantity_errors` / `price_errors` when the partner refused items, `partner_error` when it could "
                "not be reached or answered nonsense.",
            ),
            500: OpenApiResponse(
                s.PartnerV2OrderErrorOutputSerializer,
                description="Our own fault: `service_error`, nothing else disclosed (it is logged).",
                examples=[
                    OpenApiExample(
                        "Service error",
                        value={
                            "result": "error",
                            "data": {
                                "partner_error": None,
                                "service_error": True,
                                "quantity_errors": None,
                                "price_errors": None,
                            },
                        },
                    )
                ],
            ),
            **_invalid(order_id=REQUIRED, items=REQUIRED),
        },
        examples=[
            OpenApiExample("Order", value=V2_CREATE_EXAMPLE, request_only=True),
            OpenApiExample(
                "Placed",
                value={
                    "result": "success",
                    "data": {"their_order_id": "5001", "items": [{"their_id": "58", "price": 10, "count": 10}]},
                },
                response_only=True,
            ),
            OpenApiExample(
                "Refused items",
                value={
                    "result": "error",
                    "data": {
                        "partner_error": None,
                        "service_error": None,
                        "quantity_errors": [{"their_id": "58", "ordered": 10, "available": 0}],
                        "price_errors": [{"their_id": "21737", "ordered": 10, "available": 455.23}],
                    },
                },
                response_only=True,
            ),
            OpenApiExample(
                "Partner unavailable",
                value={
                    "result": "error",
                    "data": {
                        "partner_error": True,
                        "service_error": None,
                        "quantity_errors": None,
                        "price_errors": None,
                    },
                },
                response_only=True,
            ),
        ],
    ),
    delete=extend_schema(
        operation_id="partner_v2_order_cancel",
        tags=[TAG_V2],
        summary="Cancel an order at the partner",
        description="Asks the partner to cancel our order `order_id` (its partner id `their_order_id`). The partner "
        "allows it only before delivery starts.",
        request=s.PartnerV2CancelInputSerializer,
        responses={
            200: OpenApiResponse(
                s.PartnerV2CancelOutputSerializer,
                description='"success" (also when it was already cancelled), "order_cancel_rejected" when the partner '
                'refuses, "transient_error" when it cannot be reached: try again.',
            ),
            404: ERROR_404,
            **_invalid(their_order_id=REQUIRED),
        },
        examples=[
            OpenApiExample(
                "Cancel",
                value={"order_id": 10, "their_order_id": "5001"},
                request_only=True,
                description="The order placed by the example of `POST /v2/orders/` (the fake partner of `make run` "
                "numbers its orders from 5001).",
            ),
            OpenApiExample("Cancelled", value={"result": "success"}, response_only=True),
            OpenApiExample(
                "Refused",
                value={"result": "order_cancel_rejected", "message": "cancellation not allowed"},
                response_only=True,
            ),
        ],
    ),
)

order_status_v2 = extend_schema_view(
    get=extend_schema(
        operation_id="partner_v2_order_status",
        tags=[TAG_V2],
        summary="The order's status at the partner (stored when it changed)",
        description="Asks the partner for the order's status and stores it when it changed.",
        parameters=[
            OpenApiParameter(
                "order_id",
                int,
                OpenApiParameter.PATH,
                description="Our order id.",
                examples=[OpenApiExample("Placed by the example of POST /v2/orders/", value=10)],
            ),
            OpenApiParameter(
                "their_order_id",
                str,
                OpenApiParameter.QUERY,
                required=False,
                description="The partner's order id; by default the one we stored. Must match it when given.",
            ),
        ],
        responses={
            200: OpenApiResponse(
                _one_of(
                    "PartnerV2OrderStatusResult", s.PartnerV2StatusOutputSerializer, s.PartnerV2MessageOutputSerializer
                ),
                description='`result` "success" with the status, or "error" with a message when the partner '
                "could not be asked.",
            ),
            404: ERROR_404,
            **_invalid(their_order_id=["Ensure this field has no more than 64 characters."]),
        },
        examples=[
            OpenApiExample(
                "Status",
                value={"result": "success", "status_id": 3, "their_status_id": "cancelled", "their_items": None},
            ),
            OpenApiExample(
                "Partner unavailable",
                value={"result": "error", "message": "The partner is unavailable, try again later."},
            ),
        ],
    )
)

send_order_v1 = extend_schema_view(
    post=extend_schema(
        operation_id="partner_v1_send_order",
        tags=[TAG_V1],
        deprecated=True,
        summary="Place an order (legacy; use POST /v2/orders/)",
        description="The first version of placing an order, with its own field names; idempotent by `OrderId`.",
        request=s.PartnerV1SendOrderInputSerializer,
        responses={
            200: OpenApiResponse(
                _one_of(
                    "PartnerV1SendOrderResult",
                    s.PartnerV1SendOrderSuccessOutputSerializer,
                    s.PartnerV1MessageOutputSerializer,
                ),
                description='"success", "order_rejected" (the partner refused) or "transient_error" (try again).',
            ),
            **_invalid(OrderId=REQUIRED, Items=REQUIRED),
        },
        examples=[
            OpenApiExample(
                "Order",
                value={
                    "OrderId": 11,
                    "TheirPharmacyId": "1086",
                    "Client": {"FIO": "Ivanov Ivan", "Phone": "79997772211", "EMail": "ivan@example.com"},
                    "Items": [{"TheirId": "58", "Price": 10, "Count": 2}],
                },
                request_only=True,
            ),
            OpenApiExample(
                "Placed",
                value={
                    "Result": "success",
                    "TheirOrderId": "5002",
                    "Items": [{"TheirId": "58", "Price": 10, "Count": 2}],
                },
                response_only=True,
            ),
            OpenApiExample(
                "Rejected",
                value={
                    "Result": "order_rejected",
                    "Message": "The partner refused the order: 58: quantity 2, available 0.",
                },
                response_only=True,
            ),
        ],
    )
)

get_order_status_v1 = extend_schema_view(
    post=extend_schema(
        operation_id="partner_v1_get_order_status",
        tags=[TAG_V1],
        deprecated=True,
        summary="The order's status (legacy; use GET /v2/orders/{order_id})",
        description="The first version of asking for an order's status at the partner.",
        request=s.PartnerV1GetOrderStatusInputSerializer,
        responses={
            200: OpenApiResponse(
                _one_of(
                    "PartnerV1GetOrderStatusResult",
                    s.PartnerV1GetOrderStatusOutputSerializer,
                    s.PartnerV1MessageOutputSerializer,
                ),
                description='"success" with the status, or "transient_error" with a message.',
            ),
            404: ERROR_404,
            **_invalid(TheirOrderId=REQUIRED),
        },
        examples=[
            OpenApiExample(
                "Ask",
                value={"OrderId": 11, "TheirOrderId": "5002", "TheirStatusId": "created"},
                request_only=True,
            ),
            OpenApiExample(
                "Status",
                value={"Result": "success", "StatusId": 1, "TheirStatusId": "accepted"},
                response_only=True,
            ),
        ],
    )
)

cancel_order_v1 = extend_schema_view(
    post=extend_schema(
        operation_id="partner_v1_cancel_order",
        tags=[TAG_V1],
        deprecated=True,
        summary="Cancel an order (legacy; use DELETE /v2/orders/)",
        description="The first version of cancelling an order at the partner.",
        request=s.PartnerV1CancelOrderInputSerializer,
        responses={
            200: OpenApiResponse(
                s.PartnerV1CancelOrderOutputSerializer,
                description='"success", "order_cancel_rejected" (with Message) or "transient_error" (with Message).',
            ),
            404: ERROR_404,
            **_invalid(order_ID=["A valid integer is required."]),
        },
        examples=[
            OpenApiExample("Cancel", value={"order_ID": 11, "their_order_ID": "5002"}, request_only=True),
            OpenApiExample("Cancelled", value={"Result": "success"}, response_only=True),
            OpenApiExample(
                "Refused",
                value={"Result": "order_cancel_rejected", "Message": "cancellation not allowed"},
                response_only=True,
            ),
        ],
    )
)
