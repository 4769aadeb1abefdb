"""Webhooks and notifications: wiring only (see `events.api.openapi` for the documentation)."""

from typing import Any

from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from common.api import ApiWiring
from common.exceptions import PRODUCT
from common.pagination import PageNumberPagination
from common.types import AuthenticatedRequest
from events import selectors, services
from events.api import openapi
from events.api.serializers import (
    NotificationOutputSerializer,
    ReadAllOutputSerializer,
    WebhookCreatedOutputSerializer,
    WebhookCreateInputSerializer,
    WebhookDeliveryOutputSerializer,
    WebhookOutputSerializer,
    WebhookUpdateInputSerializer,
)


class _EventsViewSet(ApiWiring, GenericViewSet):
    error_contract = PRODUCT
    defers_session_check = True  # its GETs only read (accounts/middleware.py)
    filter_backends = ()
    lookup_value_converter = "int"
    request: AuthenticatedRequest


@openapi.webhooks
class WebhookViewSet(_EventsViewSet):
    serializer_class = WebhookOutputSerializer

    def list(self, request: AuthenticatedRequest) -> Response:
        return self.paginated(selectors.webhook_list(owner=request.user))

    def create(self, request: AuthenticatedRequest) -> Response:
        data = self.validated(WebhookCreateInputSerializer)
        endpoint = services.webhook_create(
            owner=request.user,
            scope=data["scope"],
            url=data["url"],
            event_types=data["event_types"],
            organization_id=data.get("organization"),
            description=data.get("description", ""),
        )
        return Response(WebhookCreatedOutputSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: AuthenticatedRequest, pk: int) -> Response:
        return self.output(selectors.webhook_get(endpoint_id=pk, owner=request.user))

    def partial_update(self, request: AuthenticatedRequest, pk: int) -> Response:
        selectors.webhook_get(endpoint_id=pk, owner=request.user)  # 404 before 400
        data = self.validated(WebhookUpdateInputSerializer)
        return self.output(services.webhook_update(endpoint_id=pk, owner=request.user, data=data))

    def destroy(self, request: AuthenticatedRequest, pk: int) -> Response:
        services.webhook_delete(endpoint_id=pk, owner=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"], output_serializer_class=WebhookDeliveryOutputSerializer)
    def deliveries(self, request: AuthenticatedRequest, pk: int) -> Response:
        return self.paginated(selectors.webhook_delivery_list(endpoint_id=pk, owner=request.user))

    @action(
        detail=True,
        methods=["post"],
        url_path="deliveries/<int:delivery_id>/replay",
        output_serializer_class=WebhookDeliveryOutputSerializer,
    )
    def replay(self, request: AuthenticatedRequest, pk: int, delivery_id: int) -> Response:
        delivery = services.webhook_delivery_replay(endpoint_id=pk, delivery_id=delivery_id, owner=request.user)
        return self.output(
            selectors.webhook_delivery_list(endpoint_id=pk, owner=request.user).get(pk=delivery.pk), status_code=202
        )

    @action(detail=True, methods=["post"], output_serializer_class=WebhookDeliveryOutputSerializer)
    def test(self, request: AuthenticatedRequest, pk: int) -> Response:
        delivery = services.webhook_send_test(endpoint_id=pk, owner=request.user)
        return self.output(
            selectors.webhook_delivery_list(endpoint_id=pk, owner=request.user).get(pk=delivery.pk), status_code=202
        )


class NotificationPagination(PageNumberPagination):
    """The page envelope plus `unread`: how many of all my notifications are unread."""

    unread = 0

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data = {
            "count": response.data["count"],
            "unread": self.unread,
            **{key: value for key, value in response.data.items() if key != "count"},
        }
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"] = {
            "count": envelope["properties"]["count"],
            "unread": {"type": "integer", "example": 1, "description": "My unread notifications, on any page."},
            **{key: value for key, value in envelope["properties"].items() if key != "count"},
        }
        envelope["required"] = [*envelope.get("required", []), "unread"]
        return envelope


@openapi.notifications
class NotificationViewSet(_EventsViewSet):
    serializer_class = NotificationOutputSerializer
    pagination_class = NotificationPagination

    def list(self, request: AuthenticatedRequest) -> Response:
        paginator = self.paginator
        if isinstance(paginator, NotificationPagination):
            paginator.unread = selectors.notification_unread_count(user=request.user)
        return self.paginated(selectors.notification_list(user=request.user))

    @action(detail=True, methods=["post"])
    def read(self, request: AuthenticatedRequest, pk: int) -> Response:
        return self.output(services.notification_read(notification_id=pk, user=request.user))

    @action(detail=False, methods=["post"], url_path="read-all", output_serializer_class=ReadAllOutputSerializer)
    def read_all(self, request: AuthenticatedRequest) -> Response:
        return self.output({"marked": services.notification_read_all(user=request.user)})
