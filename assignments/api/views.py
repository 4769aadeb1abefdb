"""Document 002: the dispatch system's assign / acquire / cancel calls, plus complete and a dispatcher list.

Parameters come in the query string; every answer carries a `message` the dispatch system reads verbatim.
"""

import logging
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assignments import selectors, services
from assignments.api.serializers import (
    AssignedOrderProfileOutputSerializer,
    AssignmentAcquireOutputSerializer,
    AssignmentBadRequestOutputSerializer,
    AssignmentMessageOutputSerializer,
    AssignParamsInputSerializer,
    ExecutorParamInputSerializer,
    OrderParamInputSerializer,
)
from assignments.filters import AssignedOrderFilter
from assignments.permissions import HasAssignmentPermission, can_acquire
from common.exceptions import api_exception_handler
from common.openapi import ERROR_400, ERROR_401, ERROR_403, ERROR_404

logger = logging.getLogger("api.errors")
TAG = "assignments"


class AssignmentMessage(StrEnum):
    MISSING_ASSIGN = "Missing parameters, please provide order_id, executor_id and zone_id"
    MISSING_EXECUTOR = "Missing parameters, please provide executor_id"
    MISSING_ORDER = "Missing parameters, please provide order_id"
    INVALID = "Invalid parameters"
    ALREADY_EXISTS = "AssignedOrder with provided orderId already exists"
    CREATED = "Successfully created"
    ACQUIRED = "Successfully acquired"
    NOTHING_ASSIGNED = "There are no orders assigned to you"
    CANCELED = "Successfully canceled"
    NOT_CANCELABLE = "AssignedOrder with OrderId {order_id} does not exist or has already been canceled"
    COMPLETED = "Successfully completed"
    NOT_COMPLETABLE = "AssignedOrder with OrderId {order_id} does not exist or has not been acquired"
    UNKNOWN_ERROR = "Unknown error"


def _message(text: str, code: int = status.HTTP_200_OK, **extra: Any) -> Response:
    return Response({"message": text, **extra}, status=code)


def assignment_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """HTTP errors (401, 403, 405...) keep the product's shape; anything unexpected is the document's 500."""
    if isinstance(exc, exceptions.APIException | Http404 | DjangoPermissionDenied):
        return api_exception_handler(exc, context)
    view = context.get("view")
    logger.exception("Unhandled error in %s", type(view).__name__ if view else "view", exc_info=exc)
    return _message(AssignmentMessage.UNKNOWN_ERROR, status.HTTP_500_INTERNAL_SERVER_ERROR)


class AssignmentViewMixin:
    def get_exception_handler(self) -> Callable[..., Response | None]:
        return assignment_exception_handler


def _read_params(
    request: Request,
    names: Iterable[str],
    serializer_class: type,
    missing: str,
) -> dict[str, str] | Response:
    """The query parameters, validated; or the 400 to answer (missing/blank, or too long / NUL characters)."""
    raw = {name: request.query_params.get(name, "") for name in names}
    if any(not value.strip() for value in raw.values()):
        return _message(missing, status.HTTP_400_BAD_REQUEST)
    serializer = serializer_class(data=raw)
    if not serializer.is_valid():
        return _message(AssignmentMessage.INVALID, status.HTTP_400_BAD_REQUEST, errors=serializer.errors)
    return serializer.validated_data


def _query(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, description=description)


ORDER_ID = _query("order_id", "The dispatch system's order id (1 to 64 characters).")
EXECUTOR_ID = _query("executor_id", "The executor's id: their user id in this product (1 to 64 characters).")
ZONE_ID = _query("zone_id", "The dispatch system's zone id (1 to 64 characters).")

ERROR_500 = OpenApiResponse(
    response=AssignmentMessageOutputSerializer,
    description="Any internal error; its content is never disclosed (it is logged).",
    examples=[OpenApiExample("Unknown error", value={"message": "Unknown error"}, response_only=True)],
)


def _bad_request(missing: str, invalid_param: str, *examples: OpenApiExample) -> OpenApiResponse:
    return OpenApiResponse(
        response=AssignmentBadRequestOutputSerializer,
        description="Missing or invalid parameters, or the request breaks a rule (see `message`). "
        "Invalid parameters also carry `errors`: every bad parameter with its messages.",
        examples=[
            OpenApiExample("Missing parameters", value={"message": missing}, response_only=True),
            *examples,
            OpenApiExample(
                "Invalid parameters",
                value={
                    "message": AssignmentMessage.INVALID.value,
                    "errors": {invalid_param: ["Ensure this field has no more than 64 characters."]},
                },
                response_only=True,
            ),
        ],
    )


class OrderAssignView(AssignmentViewMixin, APIView):
    permission_classes = [HasAssignmentPermission]
    required_permission = "assignments.add_assignedorder"

    @extend_schema(
        operation_id="assigned_order_assign",
        tags=[TAG],
        summary="Register an order assigned to an executor",
        description="Dispatchers only. An executor carries one order at a time: if they still hold an active "
        "(assigned or acquired) order, it becomes completed. A known `order_id` changes nothing and answers 400, "
        "so a retried request has the effect of one. Also served at `/order/assign`.",
        parameters=[ORDER_ID, EXECUTOR_ID, ZONE_ID],
        request=None,
        responses={
            200: OpenApiResponse(
                AssignmentMessageOutputSerializer,
                examples=[OpenApiExample("Created", value={"message": "Successfully created"}, response_only=True)],
            ),
            400: _bad_request(
                AssignmentMessage.MISSING_ASSIGN.value,
                "zone_id",
                OpenApiExample(
                    "Already exists",
                    value={"message": AssignmentMessage.ALREADY_EXISTS.value},
                    response_only=True,
                ),
            ),
            401: ERROR_401,
            403: ERROR_403,
            500: ERROR_500,
        },
    )
    def put(self, request: Request) -> Response:
        params = _read_params(
            request,
            ("order_id", "executor_id", "zone_id"),
            AssignParamsInputSerializer,
            AssignmentMessage.MISSING_ASSIGN,
        )
        if isinstance(params, Response):
            return params
        try:
            services.assigned_order_assign(**params, actor=request.user)
        except services.AssignedOrderAlreadyExists:
            return _message(AssignmentMessage.ALREADY_EXISTS, status.HTTP_400_BAD_REQUEST)
        return _message(AssignmentMessage.CREATED)


class OrderAcquireView(AssignmentViewMixin, APIView):
    @extend_schema(
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
                            "message": "Successfully acquired",
                            "order_profile": {
                                "id": 7,
                                "order_id": "ord-1001",
                                "executor_id": "42",
                                "zone_id": "zone-north",
                                "status": "acquired",
                                "assigned_at": "2025-01-10T09:00:00Z",
                                "acquired_at": "2025-01-10T09:05:00Z",
                                "completed_at": None,
                                "cancelled_at": None,
                            },
                        },
                        response_only=True,
                    ),
                    OpenApiExample(
                        "Nothing assigned",
                        value={"message": "There are no orders assigned to you"},
                        response_only=True,
                    ),
                ],
            ),
            400: _bad_request(AssignmentMessage.MISSING_EXECUTOR.value, "executor_id"),
            401: ERROR_401,
            403: ERROR_403,
            500: ERROR_500,
        },
    )
    def get(self, request: Request) -> Response:
        params = _read_params(
            request, ("executor_id",), ExecutorParamInputSerializer, AssignmentMessage.MISSING_EXECUTOR
        )
        if isinstance(params, Response):
            return params
        if not can_acquire(request.user, params["executor_id"]):
            raise exceptions.PermissionDenied()
        order = services.assigned_order_acquire(executor_id=params["executor_id"], actor=request.user)
        if order is None:
            return _message(AssignmentMessage.NOTHING_ASSIGNED)
        return _message(AssignmentMessage.ACQUIRED, order_profile=AssignedOrderProfileOutputSerializer(order).data)


def _order_transition_schema(*, operation_id: str, summary: str, description: str, done: str, refused: str) -> Any:
    return extend_schema(
        operation_id=operation_id,
        tags=[TAG],
        summary=summary,
        description=description,
        parameters=[ORDER_ID],
        request=None,
        responses={
            200: OpenApiResponse(
                AssignmentMessageOutputSerializer,
                examples=[
                    OpenApiExample("Done", value={"message": done}, response_only=True),
                    OpenApiExample(
                        "Unknown or not allowed",
                        value={"message": refused.format(order_id="ord-1001")},
                        response_only=True,
                    ),
                ],
            ),
            400: _bad_request(AssignmentMessage.MISSING_ORDER.value, "order_id"),
            401: ERROR_401,
            403: ERROR_403,
            500: ERROR_500,
        },
    )


class _OrderTransitionView(AssignmentViewMixin, APIView):
    permission_classes = [HasAssignmentPermission]
    required_permission = "assignments.change_assignedorder"
    service: Callable[..., Any]
    done: str
    refused: str

    def post(self, request: Request) -> Response:
        params = _read_params(request, ("order_id",), OrderParamInputSerializer, AssignmentMessage.MISSING_ORDER)
        if isinstance(params, Response):
            return params
        try:
            type(self).service(order_id=params["order_id"], actor=request.user)
        except services.TransitionNotAllowed:
            return _message(self.refused.format(order_id=params["order_id"]))
        return _message(self.done)


class OrderCancelView(_OrderTransitionView):
    service = services.assigned_order_cancel
    done = AssignmentMessage.CANCELED
    refused = AssignmentMessage.NOT_CANCELABLE

    @_order_transition_schema(
        operation_id="assigned_order_cancel",
        summary="Cancel an assigned order",
        description="Dispatchers only. An assigned or acquired order becomes cancelled; an unknown, completed or "
        "already cancelled one is answered 200 with the message below and stays as it is.",
        done=AssignmentMessage.CANCELED,
        refused=AssignmentMessage.NOT_CANCELABLE,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class OrderCompleteView(_OrderTransitionView):
    service = services.assigned_order_complete
    done = AssignmentMessage.COMPLETED
    refused = AssignmentMessage.NOT_COMPLETABLE

    @_order_transition_schema(
        operation_id="assigned_order_complete",
        summary="Complete an acquired order",
        description="Dispatchers only (beyond document 002). An acquired order becomes completed; any other "
        "order, or an unknown id, is answered 200 with the message below and stays as it is.",
        done=AssignmentMessage.COMPLETED,
        refused=AssignmentMessage.NOT_COMPLETABLE,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class AssignedOrderListView(AssignmentViewMixin, ListAPIView):
    permission_classes = [HasAssignmentPermission]
    required_permission = "assignments.view_assignedorder"
    serializer_class = AssignedOrderProfileOutputSerializer
    filterset_class = AssignedOrderFilter

    def get_queryset(self) -> Any:
        return selectors.assigned_order_list()

    @extend_schema(
        operation_id="assigned_order_list",
        tags=[TAG],
        summary="Assigned orders, for dispatchers",
        description="Newest first, paginated; filter by executor, zone, status (repeatable) and assignment time.",
        responses={
            200: AssignedOrderProfileOutputSerializer(many=True),
            400: OpenApiResponse(
                response=ERROR_400.response,
                description="A filter value is not valid: every bad filter with its messages.",
                examples=[
                    OpenApiExample(
                        "Invalid filters",
                        value={
                            "status": ["Select a valid choice. nope is not one of the available choices."],
                            "assigned_from": ["Enter a valid date/time."],
                        },
                    )
                ],
            ),
            401: ERROR_401,
            403: ERROR_403,
            404: OpenApiResponse(
                response=ERROR_404.response,
                description="A page past the end.",
                examples=[OpenApiExample("Invalid page", value={"detail": "Invalid page."})],
            ),
            500: ERROR_500,
        },
        examples=[
            OpenApiExample(
                "Page",
                value={
                    "id": 7,
                    "order_id": "ord-1001",
                    "executor_id": "42",
                    "zone_id": "zone-north",
                    "status": "assigned",
                    "assigned_at": "2025-01-10T09:00:00Z",
                    "acquired_at": None,
                    "completed_at": None,
                    "cancelled_at": None,
                },
                response_only=True,
                status_codes=["200"],
            )
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
