"""Organization orders, document 001, under /orders/.

The organization comes from the body (order-c, order-ud) or the path (lists, order-r): without it, or
without the right there, the answer is 403 with the document's body. An order of another organization
is never shown or changed.
"""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.exceptions import DOCUMENT_001
from common.openapi import ERROR_400, ERROR_401, ERROR_403, ERROR_404
from orders import selectors, services
from orders.api.pagination import OptionalPageNumberPagination
from orders.api.serializers import (
    OrderChangedOutputSerializer,
    OrderCreatedOutputSerializer,
    OrderCreateInputSerializer,
    OrderOutputSerializer,
    OrderPageOutputSerializer,
    OrderUpdateInputSerializer,
)
from orders.filters import OrganizationOrderFilter
from orders.models import Order
from organizations.api.views import ORGANIZATION_EXAMPLE, SERVICE_EXAMPLE, USER_EXAMPLE
from organizations.permissions import Right, parse_organization_id, require_any_right, require_right

TAG = "orders (document 001)"

ORDER_EXAMPLE = {
    "id": 1,
    "order_code": 249119676806814,
    "description": "New order",
    "creator": USER_EXAMPLE,
    "executor": USER_EXAMPLE,
    "organization": ORGANIZATION_EXAMPLE,
    "client": 1,
    "done": False,
    "service": SERVICE_EXAMPLE,
    "created_at": "2021-09-09T04:52:27.731903Z",
    "updated_at": "2021-09-09T04:58:12.789112Z",
}
REQUIRED = ["This field is required."]
ORGANIZATION_BODY_403 = OpenApiResponse(
    response=ERROR_403.response,
    description="No `organization` in the body, or no such right in it (also: unconfirmed email, revoked session).",
    examples=ERROR_403.examples,
)
LIST_PARAMETERS = [
    OpenApiParameter(
        "page",
        OpenApiTypes.INT,
        description="Ask for a page: the answer becomes `{count, next, previous, results}` instead of a bare array.",
    ),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Rows per page with `page` (default 20, max 100)."),
]
ORDER_LIST_200 = OpenApiResponse(
    response=PolymorphicProxySerializer(
        component_name="OrderListOrPage",
        serializers=[OrderOutputSerializer(many=True), OrderPageOutputSerializer],
        resource_type_field_name=None,
        many=False,
    ),
    description="A bare array (document 001); with `?page`, the `{count, next, previous, results}` envelope.",
    examples=[
        OpenApiExample("Orders", value=[ORDER_EXAMPLE]),
        OpenApiExample("Page", value={"count": 1, "next": None, "previous": None, "results": [ORDER_EXAMPLE]}),
    ],
)
INVALID_PAGE_404 = OpenApiResponse(
    response=ERROR_404.response,
    description="With `?page`: no such page.",
    examples=[OpenApiExample("Invalid page", value={"detail": "Invalid page."})],
)


def _organization_from(request: Request) -> int | None:
    """The organization named in the body (or, for clients that cannot send a body, the query string)."""
    data = request.data if isinstance(request.data, Mapping) else {}
    value = data.get("organization", request.query_params.get("organization"))
    return parse_organization_id(value)


class OrderCreateView(APIView):
    error_contract = DOCUMENT_001

    @extend_schema(
        operation_id="orders_order_create",
        tags=[TAG],
        request=OrderCreateInputSerializer,
        responses={201: OrderCreatedOutputSerializer, 400: ERROR_400, 401: ERROR_401, 403: ORGANIZATION_BODY_403},
        examples=[
            OpenApiExample(
                "The correct request",
                value={
                    "description": "New order",
                    "organization": 1,
                    "creator": 5,
                    "executor": 5,
                    "client": 1,
                    "service": 1,
                },
                request_only=True,
            ),
            OpenApiExample(
                "Created",
                value={
                    "id": 1,
                    "order_code": 249119676806814,
                    "description": "New order",
                    "creator": 5,
                    "executor": 5,
                    "client": 1,
                    "service": 1,
                    "organization": 1,
                },
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Only the organization",
                value={
                    "description": REQUIRED,
                    "creator": REQUIRED,
                    "executor": REQUIRED,
                    "client": REQUIRED,
                    "service": REQUIRED,
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        """Create an order in an organization where you hold the create right; you are its creator."""
        organization_id = _organization_from(request)
        if organization_id is None:
            raise PermissionDenied()
        require_right(user=request.user, organization_id=organization_id, right=Right.CREATE)
        serializer = OrderCreateInputSerializer(
            data=request.data, organization_id=organization_id, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order = services.order_create(
            organization_id=organization_id,
            creator=request.user,
            executor=data["executor"],
            client=data["client"],
            service=data["service"],
            description=data["description"],
        )
        return Response(OrderCreatedOutputSerializer(order).data, status=status.HTTP_201_CREATED)


class _OrderListView(GenericAPIView):
    error_contract = DOCUMENT_001
    queryset = Order.objects.none()
    # Paged only on request (`?page`): the schema shows the document's bare array, and `listed` pages.
    pagination_class = None
    filterset_class = OrganizationOrderFilter
    search_fields = ("description", "order_code")
    ordering_fields = ("created_at", "updated_at", "order_code", "id", "done")

    def listed(self, queryset: QuerySet[Order]) -> Response:
        queryset = self.filter_queryset(queryset)
        context = {"request": self.request}
        paginator = OptionalPageNumberPagination()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        if page is not None:
            return paginator.get_paginated_response(OrderOutputSerializer(page, many=True, context=context).data)
        return Response(OrderOutputSerializer(queryset, many=True, context=context).data)


class OrderListView(_OrderListView):
    @extend_schema(
        operation_id="orders_order_list",
        tags=[TAG],
        parameters=LIST_PARAMETERS,
        filters=True,  # the 200 is a oneOf (array or page), which hides the list from filter discovery
        responses={
            200: ORDER_LIST_200,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: INVALID_PAGE_404,
        },
    )
    def get(self, request: Request, organization_id: int) -> Response:
        """The organization's orders (the view right), newest first."""
        require_right(user=request.user, organization_id=organization_id, right=Right.VIEW)
        return self.listed(selectors.order_list(organization_id=organization_id))


class OrderCreatorListView(_OrderListView):
    @extend_schema(
        operation_id="orders_order_creator_list",
        tags=[TAG],
        parameters=LIST_PARAMETERS,
        filters=True,  # the 200 is a oneOf (array or page), which hides the list from filter discovery
        responses={
            200: ORDER_LIST_200,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: INVALID_PAGE_404,
        },
    )
    def get(self, request: Request, organization_id: int) -> Response:
        """The organization's orders you created (the view or the create right)."""
        require_any_right(user=request.user, organization_id=organization_id, rights=(Right.VIEW, Right.CREATE))
        return self.listed(selectors.order_list_by_creator(organization_id=organization_id, user=request.user))


class OrderRetrieveView(APIView):
    error_contract = DOCUMENT_001

    @extend_schema(
        operation_id="orders_order_retrieve",
        tags=[TAG],
        responses={200: OrderOutputSerializer, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[OpenApiExample("Order", value=ORDER_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        """One order of an organization where you hold the view right."""
        try:
            order = selectors.order_get(order_id=pk)
        except Order.DoesNotExist as exc:
            raise NotFound("No Order matches the given query.") from exc
        require_right(user=request.user, organization_id=order.organization_id, right=Right.VIEW)
        return Response(OrderOutputSerializer(order, context={"request": request}).data)


class OrderInOrganizationRetrieveView(APIView):
    error_contract = DOCUMENT_001

    @extend_schema(
        operation_id="orders_order_retrieve_in_organization",
        tags=[TAG],
        responses={200: OrderOutputSerializer, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[OpenApiExample("Order", value=ORDER_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int, organization_id: int) -> Response:
        """One order of the organization in the path (the view right there); the original client's path."""
        require_right(user=request.user, organization_id=organization_id, right=Right.VIEW)
        try:
            order = selectors.order_get(order_id=pk)
        except Order.DoesNotExist as exc:
            raise NotFound("No Order matches the given query.") from exc
        if order.organization_id != organization_id:
            raise NotFound("No Order matches the given query.")
        return Response(OrderOutputSerializer(order, context={"request": request}).data)


_CHANGED_EXAMPLE = OpenApiExample(
    "Changed", value={"description": "Changed descr", "executor": 2}, response_only=True, status_codes=["200"]
)


class OrderUpdateDestroyView(APIView):
    error_contract = DOCUMENT_001

    def _order_in(self, *, request: Request, pk: int, right: Right) -> Any:
        organization_id = _organization_from(request)
        require_right(user=request.user, organization_id=organization_id, right=right)
        if not Order.objects.filter(pk=pk, organization_id=organization_id).exists():
            raise NotFound("No Order matches the given query.")
        return organization_id

    def _update(self, request: Request, pk: int, *, partial: bool) -> Response:
        organization_id = self._order_in(request=request, pk=pk, right=Right.CHANGE)
        serializer = OrderUpdateInputSerializer(data=request.data, partial=partial, organization_id=organization_id)
        serializer.is_valid(raise_exception=True)
        fields = {key: value for key, value in serializer.validated_data.items() if key != "organization"}
        order = services.order_update(order_id=pk, **fields)
        return Response(OrderChangedOutputSerializer(order).data)

    @extend_schema(
        operation_id="orders_order_update",
        tags=[TAG],
        request=OrderUpdateInputSerializer,
        responses={
            200: OrderChangedOutputSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ORGANIZATION_BODY_403,
            404: ERROR_404,
        },
        examples=[
            OpenApiExample(
                "The correct request",
                value={"description": "Changed descr", "executor": 2, "organization": 1},
                request_only=True,
            ),
            _CHANGED_EXAMPLE,
            OpenApiExample(
                "Only the organization",
                value={"description": REQUIRED, "executor": REQUIRED},
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def put(self, request: Request, pk: int) -> Response:
        """Replace the description and executor (the change right in the organization of the body)."""
        return self._update(request, pk, partial=False)

    @extend_schema(
        operation_id="orders_order_partial_update",
        tags=[TAG],
        request=OrderUpdateInputSerializer(partial=True),
        responses={
            200: OrderChangedOutputSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ORGANIZATION_BODY_403,
            404: ERROR_404,
        },
        examples=[
            OpenApiExample("Mark done", value={"done": True, "organization": 1}, request_only=True),
            _CHANGED_EXAMPLE,
        ],
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change any of description, executor, done (the change right in the organization of the body)."""
        return self._update(request, pk, partial=True)

    @extend_schema(
        operation_id="orders_order_destroy",
        tags=[TAG],
        description=(
            "Delete the order (the delete right in the named organization). As document 001 shows, the body names "
            'the organization: `{"organization": 1}`. OpenAPI 3.0 gives DELETE no request body, so the schema '
            "shows the `organization` query parameter, which is accepted too; without either → 403."
        ),
        parameters=[
            OpenApiParameter(
                "organization",
                OpenApiTypes.INT,
                description="For clients that cannot send a DELETE body: the organization id.",
            )
        ],
        responses={
            204: OpenApiResponse(description="Deleted."),
            401: ERROR_401,
            403: ORGANIZATION_BODY_403,
            404: ERROR_404,
        },
    )
    def delete(self, request: Request, pk: int) -> Response:
        """Delete the order (the delete right in the organization of the body)."""
        self._order_in(request=request, pk=pk, right=Right.DELETE)
        services.order_delete(order_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
