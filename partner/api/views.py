"""The partner API: v2 (document 004) and the deprecated v1, thin over partner.services; /metrics for Prometheus."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from prometheus_client import CONTENT_TYPE_LATEST
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.openapi import ERROR_400, ERROR_401, ERROR_403, ERROR_404
from partner.api import serializers as s
from partner.metrics import refresh_outbox_backlog, render_latest
from partner.models import PartnerOrder
from partner.permissions import CanUsePartnerApi
from partner.selectors import partner_order_get
from partner.services import (
    CancelResult,
    OrderRequest,
    PlaceOutcome,
    PlaceResult,
    partner_order_cancel,
    partner_order_place,
    partner_order_refresh_status,
)

NOT_FOUND_DETAIL = "No partner order matches the given order_id."
MISMATCH = "Does not match the partner order id we have for this order."

AUTH_ERRORS = {400: ERROR_400, 401: ERROR_401, 403: ERROR_403}


class _DeleteWithBodySchema(AutoSchema):
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


def _placed_order(order_id: int, their_order_id: str | None, field: str) -> PartnerOrder | Response:
    """The placed order, or the 404 / 400 answer to give."""
    order = partner_order_get(order_id=order_id) if order_id <= s.MAX_ORDER_ID else None
    if order is None:
        return Response({"detail": NOT_FOUND_DETAIL}, status=status.HTTP_404_NOT_FOUND)
    if their_order_id not in (None, "") and str(their_order_id) != order.their_order_id:
        return Response({field: [MISMATCH]}, status=status.HTTP_400_BAD_REQUEST)
    return order


def _items_v2(order: PartnerOrder) -> list[dict[str, Any]]:
    return [{"their_id": i["their_id"], "price": i["price"], "count": i["count"]} for i in order.items]


def _place_v2_body(outcome: PlaceOutcome) -> tuple[dict[str, Any], int]:
    if outcome.result == PlaceResult.SUCCESS:
        assert outcome.order is not None
        data = {"their_order_id": outcome.order.their_order_id, "items": _items_v2(outcome.order)}
        return s.PartnerV2OrderCreatedOutputSerializer({"result": "success", "data": data}).data, 200
    body = {
        "result": "error",
        "data": {
            "partner_error": True if outcome.partner_error else None,
            "service_error": True if outcome.result == PlaceResult.SERVICE_ERROR else None,
            "quantity_errors": outcome.quantity_errors,
            "price_errors": outcome.price_errors,
        },
    }
    return body, 500 if outcome.result == PlaceResult.SERVICE_ERROR else 200


def _order_request_v2(data: dict[str, Any]) -> OrderRequest:
    return OrderRequest(
        order_id=data["order_id"],
        their_pharmacy_id=data["their_pharmacy_id"],
        order_type=data["order_type"],
        client={"name": data["client"]["name"], "phone": data["client"]["phone"], "email": data["client"]["email"]},
        items=[{"their_id": i["their_id"], "price": str(i["price"]), "count": i["count"]} for i in data["items"]],
        ordered_at=data["date"],
        comment=data["comment"],
        extra=data["extra"],
        api_version="v2",
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

V2_CREATE_RESPONSE = PolymorphicProxySerializer(
    component_name="PartnerV2OrderCreateResult",
    serializers=[s.PartnerV2OrderCreatedOutputSerializer, s.PartnerV2OrderErrorOutputSerializer],
    resource_type_field_name=None,
)


class PartnerOrdersV2View(APIView):
    permission_classes = [CanUsePartnerApi]
    parser_classes = [JSONParser]
    schema = _DeleteWithBodySchema()

    @extend_schema(
        operation_id="partner_v2_order_create",
        tags=["partner v2"],
        summary="Place an order with the partner (idempotent by order_id)",
        request=s.PartnerV2OrderCreateInputSerializer,
        responses={
            200: OpenApiResponse(
                V2_CREATE_RESPONSE,
                description='`result` "success" with the partner order id, or "error" with what went wrong: '
                "`quantity_errors` / `price_errors` when the partner refused items, `partner_error` when it could "
                "not be reached or answered nonsense.",
            ),
            500: OpenApiResponse(s.PartnerV2OrderErrorOutputSerializer, description="Our own fault: service_error."),
            **AUTH_ERRORS,
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
    )
    def post(self, request: Request) -> Response:
        serializer = s.PartnerV2OrderCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = partner_order_place(request=_order_request_v2(serializer.validated_data), user=request.user)
        body, code = _place_v2_body(outcome)
        return Response(body, status=code)

    @extend_schema(
        operation_id="partner_v2_order_cancel",
        tags=["partner v2"],
        summary="Cancel an order at the partner",
        request=s.PartnerV2CancelInputSerializer,
        responses={
            200: OpenApiResponse(
                s.PartnerV2CancelOutputSerializer,
                description='"success" (also when it was already cancelled), "order_cancel_rejected" when the partner '
                'refuses, "transient_error" when it cannot be reached: try again.',
            ),
            404: ERROR_404,
            **AUTH_ERRORS,
        },
        examples=[
            OpenApiExample("Cancel", value={"order_id": 1, "their_order_id": "1"}, request_only=True),
            OpenApiExample("Cancelled", value={"result": "success"}, response_only=True),
            OpenApiExample(
                "Refused",
                value={"result": "order_cancel_rejected", "message": "cancellation not allowed"},
                response_only=True,
            ),
        ],
    )
    def delete(self, request: Request) -> Response:
        serializer = s.PartnerV2CancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = _placed_order(
            serializer.validated_data["order_id"], serializer.validated_data["their_order_id"], "their_order_id"
        )
        if isinstance(found, Response):
            return found
        outcome = partner_order_cancel(order=found)
        body = {"result": str(outcome.result)}
        if outcome.result != CancelResult.SUCCESS:
            body["message"] = outcome.message
        return Response(body)


class PartnerOrderStatusV2View(APIView):
    permission_classes = [CanUsePartnerApi]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="partner_v2_order_status",
        tags=["partner v2"],
        summary="The order's status at the partner (stored when it changed)",
        parameters=[
            OpenApiParameter("order_id", int, OpenApiParameter.PATH, description="Our order id."),
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
                PolymorphicProxySerializer(
                    component_name="PartnerV2OrderStatusResult",
                    serializers=[s.PartnerV2StatusOutputSerializer, s.PartnerV2MessageOutputSerializer],
                    resource_type_field_name=None,
                ),
                description='`result` "success" with the status, or "error" with a message when the partner '
                "could not be asked.",
            ),
            404: ERROR_404,
            **AUTH_ERRORS,
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
    def get(self, request: Request, order_id: int) -> Response:
        their_order_id = request.query_params.get("their_order_id")
        if their_order_id is not None and len(their_order_id) > 64:
            return Response({"their_order_id": ["Ensure this field has no more than 64 characters."]}, status=400)
        found = _placed_order(order_id, their_order_id, "their_order_id")
        if isinstance(found, Response):
            return found
        outcome = partner_order_refresh_status(order=found)
        if not outcome.ok:
            return Response({"result": "error", "message": outcome.message})
        order = outcome.order
        return Response(
            {
                "result": "success",
                "status_id": order.status_id,
                "their_status_id": order.their_status_id,
                "their_items": order.their_items,
            }
        )


# --- v1 (deprecated) -----------------------------------------------------------------------------------------
def _v1_place_body(outcome: PlaceOutcome) -> dict[str, Any]:
    if outcome.result == PlaceResult.SUCCESS:
        assert outcome.order is not None
        items = [{"TheirId": i["their_id"], "Price": i["price"], "Count": i["count"]} for i in outcome.order.items]
        return s.PartnerV1SendOrderSuccessOutputSerializer(
            {"Result": "success", "TheirOrderId": outcome.order.their_order_id, "Items": items}
        ).data
    if outcome.refused:
        return {"Result": "order_rejected", "Message": outcome.message}
    return {"Result": "transient_error", "Message": outcome.message}


class SendOrderV1View(APIView):
    permission_classes = [CanUsePartnerApi]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="partner_v1_send_order",
        tags=["partner v1 (deprecated)"],
        deprecated=True,
        summary="Place an order (legacy; use POST /v2/orders/)",
        request=s.PartnerV1SendOrderInputSerializer,
        responses={
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="PartnerV1SendOrderResult",
                    serializers=[s.PartnerV1SendOrderSuccessOutputSerializer, s.PartnerV1MessageOutputSerializer],
                    resource_type_field_name=None,
                ),
                description='"success", "order_rejected" (the partner refused) or "transient_error" (try again).',
            ),
            **AUTH_ERRORS,
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
    def post(self, request: Request) -> Response:
        serializer = s.PartnerV1SendOrderInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order_request = OrderRequest(
            order_id=data["OrderId"],
            their_pharmacy_id=data["TheirPharmacyId"],
            order_type=2,  # v1 knows reservations only
            client={"name": data["Client"]["FIO"], "phone": data["Client"]["Phone"], "email": data["Client"]["EMail"]},
            items=[{"their_id": i["TheirId"], "price": str(i["Price"]), "count": i["Count"]} for i in data["Items"]],
            api_version="v1",
        )
        return Response(_v1_place_body(partner_order_place(request=order_request, user=request.user)))


class GetOrderStatusV1View(APIView):
    permission_classes = [CanUsePartnerApi]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="partner_v1_get_order_status",
        tags=["partner v1 (deprecated)"],
        deprecated=True,
        summary="The order's status (legacy; use GET /v2/orders/{order_id})",
        request=s.PartnerV1GetOrderStatusInputSerializer,
        responses={
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="PartnerV1GetOrderStatusResult",
                    serializers=[s.PartnerV1GetOrderStatusOutputSerializer, s.PartnerV1MessageOutputSerializer],
                    resource_type_field_name=None,
                ),
                description='"success" with the status, or "transient_error" with a message.',
            ),
            404: ERROR_404,
            **AUTH_ERRORS,
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
    def post(self, request: Request) -> Response:
        serializer = s.PartnerV1GetOrderStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = _placed_order(
            serializer.validated_data["OrderId"], serializer.validated_data["TheirOrderId"], "TheirOrderId"
        )
        if isinstance(found, Response):
            return found
        outcome = partner_order_refresh_status(order=found)
        if not outcome.ok:
            return Response({"Result": "transient_error", "Message": outcome.message})
        return Response(
            {"Result": "success", "StatusId": outcome.order.status_id, "TheirStatusId": outcome.order.their_status_id}
        )


class CancelOrderV1View(APIView):
    permission_classes = [CanUsePartnerApi]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="partner_v1_cancel_order",
        tags=["partner v1 (deprecated)"],
        deprecated=True,
        summary="Cancel an order (legacy; use DELETE /v2/orders/)",
        request=s.PartnerV1CancelOrderInputSerializer,
        responses={
            200: OpenApiResponse(
                s.PartnerV1CancelOrderOutputSerializer,
                description='"success", "order_cancel_rejected" (with Message) or "transient_error" (with Message).',
            ),
            404: ERROR_404,
            **AUTH_ERRORS,
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
    def post(self, request: Request) -> Response:
        serializer = s.PartnerV1CancelOrderInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = _placed_order(
            serializer.validated_data["order_ID"], serializer.validated_data["their_order_ID"], "their_order_ID"
        )
        if isinstance(found, Response):
            return found
        outcome = partner_order_cancel(order=found)
        body = {"Result": str(outcome.result)}
        if outcome.result != CancelResult.SUCCESS:
            body["Message"] = outcome.message
        return Response(body)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition, unauthenticated (scraped inside the network; put it behind the proxy's ACL)."""
    refresh_outbox_backlog()
    return HttpResponse(render_latest(), content_type=CONTENT_TYPE_LATEST)
