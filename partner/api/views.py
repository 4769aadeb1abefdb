"""The partner API: v2 (document 004) and the deprecated v1, thin over partner.services; /metrics for Prometheus.

Every refusal is rendered by the version's error contract (`errors.py`); OpenAPI material is in `openapi.py`.
"""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.exceptions import ErrorContract
from common.parsers import JSONParser
from partner import services
from partner.api import openapi as docs
from partner.api import serializers as s
from partner.api.errors import DOCUMENT_004, V1, V1_CANCEL_ORDER, V1_GET_ORDER_STATUS
from partner.metrics import refresh_outbox_backlog, render_latest
from partner.permissions import CanUsePartnerApi


class PartnerApiView(APIView):
    error_contract: ErrorContract = DOCUMENT_004
    permission_classes = [CanUsePartnerApi]
    parser_classes = [JSONParser]


@docs.orders_v2
class PartnerOrdersV2View(PartnerApiView):
    schema = docs.DeleteWithBodySchema()

    def post(self, request: Request) -> Response:
        serializer = s.PartnerV2OrderCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.partner_order_place(request=serializer.order_request(), user=request.user)
        return Response(s.PartnerV2OrderCreatedOutputSerializer(s.success(order)).data)

    def delete(self, request: Request) -> Response:
        serializer = s.PartnerV2CancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.partner_order_cancel(**serializer.validated_data)
        return Response(s.PartnerV2CancelOutputSerializer(s.success(order)).data)


@docs.order_status_v2
class PartnerOrderStatusV2View(PartnerApiView):
    def get(self, request: Request, order_id: int) -> Response:
        query = s.PartnerV2StatusQueryInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        order = services.partner_order_status_request(order_id=order_id, **query.validated_data)
        return Response(s.PartnerV2StatusOutputSerializer(s.success(order)).data)


# --- v1 (deprecated) -----------------------------------------------------------------------------------------
@docs.send_order_v1
class SendOrderV1View(PartnerApiView):
    error_contract = V1

    def post(self, request: Request) -> Response:
        serializer = s.PartnerV1SendOrderInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.partner_order_place(request=serializer.order_request(), user=request.user)
        return Response(s.PartnerV1SendOrderSuccessOutputSerializer(s.success(order)).data)


@docs.get_order_status_v1
class GetOrderStatusV1View(PartnerApiView):
    error_contract = V1_GET_ORDER_STATUS

    def post(self, request: Request) -> Response:
        serializer = s.PartnerV1GetOrderStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order = services.partner_order_status_request(order_id=data["OrderId"], their_order_id=data["TheirOrderId"])
        return Response(s.PartnerV1GetOrderStatusOutputSerializer(s.success(order)).data)


@docs.cancel_order_v1
class CancelOrderV1View(PartnerApiView):
    error_contract = V1_CANCEL_ORDER

    def post(self, request: Request) -> Response:
        serializer = s.PartnerV1CancelOrderInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order = services.partner_order_cancel(order_id=data["order_ID"], their_order_id=data["their_order_ID"])
        return Response(s.PartnerV1CancelOrderOutputSerializer(s.success(order)).data)


@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition, unauthenticated (scraped inside the network; put it behind the proxy's ACL)."""
    refresh_outbox_backlog()
    return HttpResponse(render_latest(), content_type=CONTENT_TYPE_LATEST)
