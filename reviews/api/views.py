"""Thin HTTP layer of /api_v2/ (document 000): validate, call one service or selector, serialize.

Schema bodies and examples are in reviews/api/openapi.py.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import confirm_session
from common.api import ApiWiring
from common.conditional import ConditionalResource, if_match, lock_row
from common.exceptions import DOCUMENT_001
from common.fastjson import FastJSONNegotiation, fast_renderers
from common.idempotency import idempotent
from common.query import StrictFilterBackend
from common.rawsql import PagedRows
from common.schema import ConventionsAutoSchema
from common.types import AuthenticatedRequest
from reviews import queries, selectors, services
from reviews.api import openapi
from reviews.api import serializers as s
from reviews.filters import CustomerOrderFilter, OrderFeedFilter, PersonalAreaFilter, ReviewsByOrderFilter
from reviews.models import MarketplaceOrder, OrderReview, OrderReviewStatusChange

#: a list read with only these parameters is served by hand-written SQL (reviews/queries.py); filters by the ORM
_PAGE_PARAMETERS = frozenset({"page", "page_size"})


class MarketplaceView(ApiWiring, APIView):
    error_contract = DOCUMENT_001
    defers_session_check = True  # its GETs only read (accounts/middleware.py)
    schema = ConventionsAutoSchema()


class MarketplaceListView(MarketplaceView, generics.ListAPIView):
    """A list whose rows come from one selector, called with the user (and the URL's `pk` when there is one)."""

    model: ClassVar[type[Model]]
    selector: ClassVar[Callable[..., QuerySet[Any]]]
    #: the selector's argument that receives the URL's `pk`, for lists under one object
    pk_argument: ClassVar[str] = "order_id"
    filter_backends = [StrictFilterBackend]

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.model._default_manager.none()
        kwargs = {self.pk_argument: self.kwargs["pk"]} if "pk" in self.kwargs else {}
        return type(self).selector(user=self.request.user, **kwargs)

    def page_of_rows(self, rows: PagedRows) -> Response:
        """A page of `rows`, paged, linked and enveloped as the queryset's would be."""
        page = self.paginate_queryset(rows)  # type: ignore[arg-type]  # a sliceable with count(), as Paginator needs
        return self.get_paginated_response(page)

    def unfiltered(self, request: AuthenticatedRequest) -> bool:
        return _PAGE_PARAMETERS.issuperset(request.query_params)


@openapi.ORDER_FEED
class OrderFeedCreateView(MarketplaceListView):
    model = MarketplaceOrder
    selector = selectors.order_feed
    serializer_class = s.MarketplaceOrderOutputSerializer
    filterset_class = OrderFeedFilter
    renderer_classes = fast_renderers()

    def get(self, request: AuthenticatedRequest) -> Response:  # type: ignore[override]  # no path arguments
        if self.unfiltered(request):
            return self.page_of_rows(queries.order_feed_page(user=request.user, request=request))
        return self.list(request)

    @idempotent
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.validated(s.MarketplaceOrderCreateInputSerializer)
        order = services.order_create(customer=request.user, **data)
        body = s.MarketplaceOrderDetailOutputSerializer(order, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


@openapi.CUSTOMER_ORDERS
class CustomerOrderListView(MarketplaceListView):
    model = MarketplaceOrder
    selector = selectors.orders_of_customer
    serializer_class = s.MarketplaceOrderOutputSerializer
    filterset_class = CustomerOrderFilter


@openapi.PERSONAL_AREA
class PersonalAreaOrderListView(MarketplaceListView):
    model = MarketplaceOrder
    selector = selectors.orders_for_personal_area
    serializer_class = s.MarketplaceOrderDetailOutputSerializer
    filterset_class = PersonalAreaFilter


@openapi.ORDER_DETAIL
class OrderDetailView(MarketplaceView):
    folds_session_check = True  # queries.order_detail_data
    renderer_classes = fast_renderers()
    content_negotiation_class = FastJSONNegotiation

    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        data = queries.order_detail_data(order_id=pk, user=request.user, request=request)
        if data is not None:
            return Response(data)
        confirm_session(request)  # the read led to a write: the session is checked before it
        order = services.order_open(order_id=pk, user=request.user)  # an executor's first view opens a response
        return Response(s.MarketplaceOrderDetailOutputSerializer(order, context={"request": request}).data)


@openapi.REVIEW_UPDATE
class OrderReviewUpdateView(ConditionalResource, MarketplaceView):
    """ETag: the response as this PATCH answers it (the only read of one response is through its order)."""

    def etag_lock(self) -> bool:
        return lock_row(OrderReview.objects.filter(pk=self.kwargs["pk"], executor_id=self.request.user.pk))

    def etag_representation(self) -> Any:
        return s.review_data(OrderReview.objects.get(pk=self.kwargs["pk"]))

    @idempotent
    @if_match
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        data = self.validated(s.OrderReviewUpdateInputSerializer)
        review = services.review_update_by_executor(review_id=pk, executor=request.user, data=data)
        return Response(s.OrderReviewOutputSerializer(review).data)


@openapi.ORDER_EDIT
class CustomerOrderEditView(MarketplaceView):
    @idempotent
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        data = self.validated(s.MarketplaceOrderEditInputSerializer)
        order = services.order_edit_by_customer(order_id=pk, customer=request.user, data=data)
        return Response(s.MarketplaceOrderDetailOutputSerializer(order, context={"request": request}).data)


@openapi.ORDER_CANCEL
class CustomerOrderCancelView(MarketplaceView):
    @idempotent
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        data = self.validated(s.MarketplaceOrderCancelInputSerializer)
        order = services.order_cancel_by_customer(order_id=pk, customer=request.user, **data)
        return Response(s.MarketplaceOrderDetailOutputSerializer(order, context={"request": request}).data)


@openapi.REVIEW_WITHDRAW
class OrderReviewWithdrawView(MarketplaceView):
    @idempotent
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        data = self.validated(s.OrderReviewWithdrawInputSerializer)
        review = services.review_withdraw_by_executor(review_id=pk, executor=request.user, **data)
        return Response(s.OrderReviewOutputSerializer(review).data)


@openapi.REVIEW_BY_CUSTOMER
class OrderReviewCustomerView(MarketplaceView):
    @idempotent
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        data = self.validated(s.OrderReviewCustomerInputSerializer)
        review = services.review_set_status_by_customer(review_id=pk, customer=request.user, **data)
        return Response(s.OrderReviewOutputSerializer(review).data)


@openapi.REVIEWS_BY_ORDER
class ReviewsByOrderView(MarketplaceListView):
    folds_session_check = True  # queries.reviews_by_order_page
    model = OrderReview
    selector = selectors.reviews_by_order
    serializer_class = s.OrderReviewWithExecutorOutputSerializer
    filterset_class = ReviewsByOrderFilter
    renderer_classes = fast_renderers()

    def get(self, request: AuthenticatedRequest, pk: int) -> Response:  # type: ignore[override]  # the order's id
        if self.unfiltered(request):
            return self.page_of_rows(queries.reviews_by_order_page(order_id=pk, user=request.user, request=request))
        return self.list(request)


@openapi.REVIEW_HISTORY
class OrderReviewHistoryView(MarketplaceListView):
    model = OrderReviewStatusChange
    selector = selectors.review_history
    pk_argument = "review_id"
    serializer_class = s.OrderReviewHistoryOutputSerializer
