"""Document 002: the dispatch system's assign / acquire / cancel calls, plus complete and a dispatcher list.

Parameters come in the query string; every answer carries a `message` the dispatch system reads verbatim, and
every refusal is rendered by document 002's contract (`errors.py`). OpenAPI material is in `openapi.py`.
"""

from collections.abc import Callable
from typing import ClassVar

from django.db.models import QuerySet
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from assignments import selectors, services
from assignments.api import openapi as docs
from assignments.api.errors import DOCUMENT_002
from assignments.api.serializers import (
    AssignedOrderProfileOutputSerializer,
    AssignmentAcquireOutputSerializer,
    AssignmentMessage,
    AssignmentMessageOutputSerializer,
    AssignParamsInputSerializer,
    ExecutorParamInputSerializer,
    OrderParamInputSerializer,
)
from assignments.filters import AssignedOrderFilter
from assignments.models import AssignedOrder
from assignments.permissions import DispatcherPermissions, IsTheExecutor
from common.exceptions import PRODUCT
from common.permissions import IsConfirmedUser
from common.types import AuthenticatedRequest


def _message(text: str) -> Response:
    return Response(AssignmentMessageOutputSerializer({"message": text}).data)


class DispatcherView(APIView):
    error_contract = DOCUMENT_002
    permission_classes = [IsConfirmedUser, DispatcherPermissions]
    permission_model = AssignedOrder


@docs.assign
class OrderAssignView(DispatcherView):
    def put(self, request: AuthenticatedRequest) -> Response:
        params = AssignParamsInputSerializer.from_query(request)
        services.assigned_order_assign(**params, actor=request.user)
        return _message(AssignmentMessage.CREATED)


@docs.acquire
class OrderAcquireView(APIView):
    error_contract = DOCUMENT_002
    permission_classes = [IsConfirmedUser, IsTheExecutor]

    def get(self, request: AuthenticatedRequest) -> Response:
        executor_id = ExecutorParamInputSerializer.from_query(request)["executor_id"]
        self.check_object_permissions(request, executor_id)
        order = services.assigned_order_acquire(executor_id=executor_id, actor=request.user)
        if order is None:
            return _message(AssignmentMessage.NOTHING_ASSIGNED)
        answer = {"message": AssignmentMessage.ACQUIRED, "order_profile": order}
        return Response(AssignmentAcquireOutputSerializer(answer).data)


class OrderMoveView(DispatcherView):
    """A dispatcher's move of one order; a refused one is document 002's 200 message (see errors.py)."""

    service: ClassVar[Callable[..., AssignedOrder]]
    done: ClassVar[str]

    def post(self, request: AuthenticatedRequest) -> Response:
        order_id = OrderParamInputSerializer.from_query(request)["order_id"]
        type(self).service(order_id=order_id, actor=request.user)
        return _message(self.done)


@docs.cancel
class OrderCancelView(OrderMoveView):
    service = services.assigned_order_cancel
    done = AssignmentMessage.CANCELED


@docs.complete
class OrderCompleteView(OrderMoveView):
    service = services.assigned_order_complete
    done = AssignmentMessage.COMPLETED


@docs.assigned_order_list
class AssignedOrderListView(ListAPIView):
    """Ours, not document 002's: the product's error contract."""

    error_contract = PRODUCT
    permission_classes = [IsConfirmedUser, DispatcherPermissions]
    permission_model = AssignedOrder
    serializer_class = AssignedOrderProfileOutputSerializer
    filterset_class = AssignedOrderFilter

    def get_queryset(self) -> QuerySet[AssignedOrder]:
        return selectors.assigned_order_list()
