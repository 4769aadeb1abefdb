"""OpenAPI of document 001's /orders/: every body, example, description and error each operation answers.

Errors follow document 001's contract, `{"detail"}` and `{field: [messages]}` for validation (common.openapi).
The user, organization and service examples are the organizations app's.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)

from common.openapi import ERROR_400, ERROR_401, ERROR_403, ERROR_404, field_errors_400
from orders.api.serializers import (
    OrderChangedOutputSerializer,
    OrderCreatedOutputSerializer,
    OrderCreateInputSerializer,
    OrderOutputSerializer,
    OrderPageOutputSerializer,
    OrderUpdateInputSerializer,
)
from organizations.api.openapi import ORGANIZATION_EXAMPLE, SERVICE_EXAMPLE, USER_EXAMPLE

TAG = "orders"
V = TypeVar("V", bound=type[Any])

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

# `make run`'s demo data (organizations/demo.py on a fresh database): "Demo Organization" 1, its owner org_owner 4
# (every right), manager org_manager 5, employee org_employee 6, client 1, service 1, orders 1 to 3.
DEMO_ORGANIZATION = 1
DEMO_OWNER = 4
DEMO_MANAGER = 5
DEMO_EMPLOYEE = 6


def _path_id(name: str, value: int, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        OpenApiTypes.INT,
        OpenApiParameter.PATH,
        description=description,
        examples=[OpenApiExample("Demo data", value=value)],
    )


ORGANIZATION_ID = _path_id("organization_id", DEMO_ORGANIZATION, "The organization's id.")
ORDER_ID = _path_id("id", 1, "The order's id.")

# --- answers -------------------------------------------------------------------------------------------------

ORGANIZATION_BODY_403 = OpenApiResponse(
    response=ERROR_403.response,
    description="No `organization` in the body, or no such right in it (also: unconfirmed email, revoked session).",
    examples=ERROR_403.examples,
)
LIST_PARAMETERS = [
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1},
        description="Ask for a page: the answer becomes `{count, next, previous, results}` instead of a bare array.",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1},
        description="Rows per page with `page` (default 20; above 100, 100).",
    ),
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
ORDER_200_EXAMPLE = OpenApiExample("Order", value=ORDER_EXAMPLE, response_only=True)
CHANGED_EXAMPLE = OpenApiExample(
    "Changed",
    value={"description": "Changed descr", "executor": DEMO_EMPLOYEE},
    response_only=True,
    status_codes=["200"],
)
CHANGED_RESPONSES = {
    200: OrderChangedOutputSerializer,
    400: field_errors_400(not_a_boolean={"done": ["Must be a valid boolean."]}),
    401: ERROR_401,
    403: ORGANIZATION_BODY_403,
    404: ERROR_404,
}


def _get(operation_id: str, summary: str, description: str, **schema: Any) -> Callable[[V], V]:
    return extend_schema_view(
        get=extend_schema(operation_id=operation_id, tags=[TAG], summary=summary, description=description, **schema)
    )


#: a list of orders: the document's bare array, paged on request, with the lists' filters
LIST = {
    "parameters": [ORGANIZATION_ID, *LIST_PARAMETERS],
    "filters": True,  # the 200 is a oneOf (array or page), which hides the list from filter discovery
    "responses": {
        200: ORDER_LIST_200,
        400: field_errors_400(
            "A filter value is not valid.",
            invalid_filter={"created_after": ["Enter a valid date/time."], "executor": ["Enter a number."]},
        ),
        401: ERROR_401,
        403: ERROR_403,
        404: INVALID_PAGE_404,
    },
}
#: one order, with its nested creator, executor, organization and service
RETRIEVE = {
    "parameters": [ORDER_ID],
    "responses": {200: OrderOutputSerializer, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
    "examples": [ORDER_200_EXAMPLE],
}


# --- operations ----------------------------------------------------------------------------------------------

order_create = extend_schema_view(
    post=extend_schema(
        operation_id="orders_order_create",
        summary="Create an order",
        tags=[TAG],
        description="Create an order in an organization where you hold the create right; you are its creator.",
        request=OrderCreateInputSerializer,
        responses={201: OrderCreatedOutputSerializer, 400: ERROR_400, 401: ERROR_401, 403: ORGANIZATION_BODY_403},
        examples=[
            OpenApiExample(
                "The correct request",
                value={
                    "description": "New order",
                    "organization": DEMO_ORGANIZATION,
                    "creator": DEMO_OWNER,
                    "executor": DEMO_MANAGER,
                    "client": 1,
                    "service": 1,
                },
                request_only=True,
                description="As `org_owner` (id 4) in `make run`'s Demo Organization: the creator is the requester.",
            ),
            OpenApiExample(
                "Created",
                value={
                    "id": 1,
                    "order_code": 249119676806814,
                    "description": "New order",
                    "creator": DEMO_OWNER,
                    "executor": DEMO_MANAGER,
                    "client": 1,
                    "service": 1,
                    "organization": DEMO_ORGANIZATION,
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
)

order_list = _get(
    "orders_order_list",
    "The organization's orders",
    "The organization's orders (the view right), newest first.",
    **LIST,
)
order_creator_list = _get(
    "orders_order_creator_list",
    "Orders I created in the organization",
    "The organization's orders you created (the view or the create right).",
    **LIST,
)
order_retrieve = _get(
    "orders_order_retrieve",
    "One order",
    "One order of an organization where you hold the view right.",
    **RETRIEVE,
)
order_retrieve_in_organization = _get(
    "orders_order_retrieve_in_organization",
    "One order of the organization in the path",
    "One order of the organization in the path (the view right there); the original client's path.",
    **{**RETRIEVE, "parameters": [ORDER_ID, ORGANIZATION_ID]},
)

order_update_destroy = extend_schema_view(
    put=extend_schema(
        operation_id="orders_order_update",
        summary="Replace an order's description and executor",
        tags=[TAG],
        parameters=[ORDER_ID],
        description="Replace the description and executor (the change right in the organization of the body).",
        request=OrderUpdateInputSerializer,
        responses=CHANGED_RESPONSES,
        examples=[
            OpenApiExample(
                "The correct request",
                value={"description": "Changed descr", "executor": DEMO_EMPLOYEE, "organization": DEMO_ORGANIZATION},
                request_only=True,
            ),
            CHANGED_EXAMPLE,
            OpenApiExample(
                "Only the organization",
                value={"description": REQUIRED, "executor": REQUIRED},
                response_only=True,
                status_codes=["400"],
            ),
        ],
    ),
    patch=extend_schema(
        operation_id="orders_order_partial_update",
        summary="Change an order",
        tags=[TAG],
        parameters=[ORDER_ID],
        description="Change any of description, executor, done (the change right in the organization of the body).",
        request=OrderUpdateInputSerializer(partial=True),
        responses=CHANGED_RESPONSES,
        examples=[
            OpenApiExample("Mark done", value={"done": True, "organization": DEMO_ORGANIZATION}, request_only=True),
            CHANGED_EXAMPLE,
        ],
    ),
    delete=extend_schema(
        operation_id="orders_order_destroy",
        summary="Delete an order",
        tags=[TAG],
        description=(
            "Delete the order (the delete right in the named organization). As document 001 shows, the body names "
            'the organization: `{"organization": 1}`. OpenAPI 3.0 gives DELETE no request body, so the schema '
            "shows the `organization` query parameter, which is accepted too; without either → 403."
        ),
        parameters=[
            _path_id("id", 3, "The order's id."),
            OpenApiParameter(
                "organization",
                OpenApiTypes.INT,
                description="For clients that cannot send a DELETE body: the organization id.",
                examples=[OpenApiExample("Demo data", value=DEMO_ORGANIZATION)],
            ),
        ],
        responses={
            204: OpenApiResponse(description="Deleted."),
            401: ERROR_401,
            403: ORGANIZATION_BODY_403,
            404: ERROR_404,
        },
    ),
)
