"""Organization orders, document 001, under /orders/: each view declares the right it requires in the organization
of the path, of the order or of the body; without it, 403. Another organization's order is never shown or changed.
OpenAPI in `openapi.py`."""

import itertools
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import ApiWiring
from common.conditional import ConditionalResource, if_match, lock_row, with_etag
from common.exceptions import DOCUMENT_001
from common.fastjson import FastJSONRenderer, fast_renderers, json_array_response
from common.idempotency import idempotent
from common.permissions import IsConfirmedUser
from common.schema import ConventionsAutoSchema
from orders import queries, selectors, services
from orders.api import openapi as docs
from orders.api import serializers as io
from orders.api.pagination import OptionalPageNumberPagination
from orders.filters import OrganizationOrderFilter
from orders.models import Order
from organizations.permissions import HasOrganizationRight, OrganizationRequest, Right, parse_organization_id
from organizations.rights import Requirement

#: a list read with only these parameters is served by fixed SQL (orders/queries.py); filters by the ORM
_PAGE_PARAMETERS = frozenset({"page", "page_size"})
#: rows per chunk of a streamed list (and per fetch from its server-side cursor)
STREAM_BATCH = 500


class OrderView(ApiWiring, APIView):
    error_contract = DOCUMENT_001
    defers_session_check = True  # its GETs only read (accounts/middleware.py)
    schema = ConventionsAutoSchema()
    permission_classes = (IsConfirmedUser, HasOrganizationRight)
    organization_rights: ClassVar[Mapping[str, Requirement]]
    request: OrganizationRequest


class BodyOrganizationView(OrderView):
    """The organization is the body's `organization` (or the query string's, for clients that cannot send a
    body): a request that names none has no rights. Handlers find it on `request.organization_id`."""

    def get_rights_organization_id(self, request: Request) -> int | None:
        data = request.data if isinstance(request.data, Mapping) else {}
        return parse_organization_id(data.get("organization", request.query_params.get("organization")))


@docs.order_create
class OrderCreateView(BodyOrganizationView):
    organization_rights = {"POST": Right.CREATE}
    output_serializer_class = io.OrderCreatedOutputSerializer

    @idempotent
    def post(self, request: OrganizationRequest) -> Response:
        data = self.validated(io.OrderCreateInputSerializer)
        order = services.order_create(organization_id=request.organization_id, requested_by=request.user, **data)
        return self.output(order, status_code=status.HTTP_201_CREATED)


class OrderListBaseView(OrderView, GenericAPIView):
    """The orders of the path's organization: a bare array, paged only on request (`?page`).

    Without filters, search or ordering the list runs fixed SQL (orders/queries.py); with them, the ORM. Either
    way a bare array of more than one batch is streamed from a server-side cursor, a batch at a time."""

    queryset = Order.objects.none()
    pagination_class = OptionalPageNumberPagination
    output_serializer_class = io.OrderOutputSerializer
    filterset_class = OrganizationOrderFilter
    search_fields = ("description", "order_code")
    ordering_fields = ("created_at", "updated_at", "order_code", "id", "done")
    renderer_classes = fast_renderers()

    def order_list(self, queryset: QuerySet[Order], *, creator_id: int | None = None) -> HttpResponseBase:
        request, organization_id = self.request, self.kwargs["organization_id"]
        self.paginator.get_page_size(request)  # type: ignore[union-attr]  # a bad page_size is a 400, paged or not
        renderer = request.accepted_renderer
        if not isinstance(renderer, FastJSONRenderer) or renderer.get_indent(request.accepted_media_type, {}):
            return self.paginated(queryset)  # the browsable API or indented JSON: DRF renders it
        paged = OptionalPageNumberPagination.page_query_param in request.query_params
        if _PAGE_PARAMETERS.issuperset(request.query_params):
            if paged:
                rows = queries.order_page(organization_id=organization_id, creator_id=creator_id, request=request)
                return self.get_paginated_response(self.paginate_queryset(rows))  # type: ignore[arg-type]
            return json_array_response(
                queries.order_batches(
                    organization_id=organization_id, creator_id=creator_id, request=request, size=STREAM_BATCH
                )
            )
        if paged:
            return self.paginated(queryset)
        return json_array_response(_order_batches(self.filter_queryset(queryset), request))


def _order_batches(queryset: QuerySet[Order], request: Request) -> Iterator[list[dict[str, Any]]]:
    """The queryset's orders as document 001's dicts, a batch at a time, from a server-side cursor."""
    memo: dict[tuple[str, int], Any] = {}
    orders = queryset.iterator(chunk_size=STREAM_BATCH)
    try:
        while batch := [io.order_data(order, request, memo) for order in itertools.islice(orders, STREAM_BATCH)]:
            yield batch
    finally:
        orders.close()  # type: ignore[attr-defined]  # a generator: closes the cursor


@docs.order_list
class OrderListView(OrderListBaseView):
    organization_rights = {"GET": Right.VIEW}

    def get(self, request: OrganizationRequest, organization_id: int) -> HttpResponseBase:
        return self.order_list(selectors.order_list(organization_id=organization_id))


@docs.order_creator_list
class OrderCreatorListView(OrderListBaseView):
    organization_rights = {"GET": (Right.VIEW, Right.CREATE)}

    def get(self, request: OrganizationRequest, organization_id: int) -> HttpResponseBase:
        queryset = selectors.order_list_by_creator(organization_id=organization_id, user=request.user)
        return self.order_list(queryset, creator_id=request.user.pk)


@docs.order_retrieve
class OrderRetrieveView(OrderView):
    # The rights are the order's organization's: an unknown order is a 404 for anyone, before any right.
    # (No docstring: OPTIONS answers a view's docstring as its description.)
    organization_rights = {"GET": Right.VIEW}
    output_serializer_class = io.OrderOutputSerializer

    @cached_property
    def order(self) -> Order:
        return selectors.order_get(order_id=self.kwargs["pk"])

    def get_rights_organization_id(self, request: Request) -> int:
        return self.order.organization_id

    @with_etag
    def get(self, request: OrganizationRequest, pk: int) -> Response:
        return self.output(self.order)


@docs.order_retrieve_in_organization
class OrderInOrganizationRetrieveView(OrderView):
    organization_rights = {"GET": Right.VIEW}
    output_serializer_class = io.OrderOutputSerializer

    @with_etag
    def get(self, request: OrganizationRequest, pk: int, organization_id: int) -> Response:
        return self.output(selectors.order_get(order_id=pk, organization_id=organization_id))


@docs.order_update_destroy
class OrderUpdateDestroyView(ConditionalResource, BodyOrganizationView):
    # The right in the body's organization (403), then the order in it (404), then the body (400), then the
    # organization's rules on the executor (400).
    organization_rights = {"PUT": Right.CHANGE, "PATCH": Right.CHANGE, "DELETE": Right.DELETE}
    output_serializer_class = io.OrderChangedOutputSerializer
    # the write answers {description, executor}; the ETag is the one `GET /orders/order-r/{id}/` answers
    etag_body_is_representation = False

    def etag_lock(self) -> bool:
        return lock_row(Order.objects.filter(pk=self.kwargs["pk"], organization_id=self.request.organization_id))

    def etag_representation(self) -> object:
        order = selectors.order_get(order_id=self.kwargs["pk"])
        return io.OrderOutputSerializer(order, context=self.get_serializer_context()).data

    @if_match
    def put(self, request: OrganizationRequest, pk: int) -> Response:
        return self.update(request, pk, partial=False)

    @if_match
    def patch(self, request: OrganizationRequest, pk: int) -> Response:
        return self.update(request, pk, partial=True)

    def update(self, request: OrganizationRequest, pk: int, *, partial: bool) -> Response:
        order = selectors.order_get(order_id=pk, organization_id=request.organization_id)  # 404 before the 400
        data = self.validated(io.OrderUpdateInputSerializer, partial=partial)
        return self.output(services.order_update(order_id=order.pk, actor=request.user, **data))

    def delete(self, request: OrganizationRequest, pk: int) -> Response:
        order = selectors.order_get(order_id=pk, organization_id=request.organization_id)
        services.order_delete(order_id=order.pk, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
