"""OpenAPI of /api/organizations/*: every body, example, description and error each operation answers.

Errors follow the product contract, `{"detail", "code"}` plus `fields` on validation (common.openapi).
The /orders/ schema reuses the user, organization and service examples.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from accounts.api.openapi import BEARER_401, PARSE_ERROR
from common.openapi import NOT_FOUND, PERMISSION_DENIED, PRODUCT_403, product_error
from organizations.api.serializers import (
    ClientInputSerializer,
    ClientOutputSerializer,
    MembershipCreateInputSerializer,
    MembershipOutputSerializer,
    MembershipUpdateInputSerializer,
    OrganizationCreateInputSerializer,
    OrganizationOutputSerializer,
    OrganizationUpdateInputSerializer,
    RoleOutputSerializer,
    ServiceInputSerializer,
    ServiceOutputSerializer,
)
from organizations.errors import (
    AlreadyMemberError,
    CreatorMembershipError,
    InUseError,
    ObjectNotFoundError,
    OrganizationErrorCode,
)

TAG = "organizations"
V = TypeVar("V", bound=type[Any])

USER_EXAMPLE = {
    "id": 5,
    "surname": "Ivanov",
    "name": "Ivan",
    "patronymic": "Ivanovich",
    "address": "Moscow",
    "email": "ivan@example.com",
    "phone": "+79137779135",
    "image": "http://127.0.0.1:8000/static/accounts/default-user-image.svg",
    "confirmed_email": True,
    "confirmed_phone": False,
    "created_at": "2021-09-08T12:22:26.072030Z",
    "updated_at": "2021-09-08T15:11:20.864802Z",
}
ORGANIZATION_EXAMPLE = {
    "id": 1,
    "name": "Organization2",
    "description": "Organization2",
    "address": "Organization2",
    "creator": USER_EXAMPLE,
    "created_at": "2021-09-08T15:13:41.218868Z",
    "numbers": {"main": "+79999999999"},
    "links": {"vk": "vk.com"},
    "updated_at": "2021-09-09T03:03:04.127339Z",
}
SERVICE_EXAMPLE = {
    "id": 1,
    "name": "Programming",
    "address": "Gdeto v rossii",
    "phone": "+79518472961",
    "organization": ORGANIZATION_EXAMPLE,
    "created_at": "2021-09-09T03:37:35.341485Z",
    "updated_at": "2021-09-09T03:40:40.333245Z",
}
CLIENT_EXAMPLE = {
    "id": 1,
    "name": "Petr Petrov",
    "phone": "+79990001122",
    "email": "petr@example.com",
    "organization": 1,
    "created_at": "2021-09-09T03:37:35.341485Z",
    "updated_at": "2021-09-09T03:40:40.333245Z",
}
ROLE_EXAMPLE = {"id": 3, "name": "owner", "can_view": True, "can_create": True, "can_change": True, "can_delete": True}
MEMBERSHIP_EXAMPLE = {
    "user": USER_EXAMPLE,
    "role": {"id": 2, "name": "manager", "can_view": True, "can_create": True, "can_change": True, "can_delete": False},
    "created_at": "2021-09-09T03:37:35.341485Z",
}

# --- path parameters: `make run`'s demo data (organizations/demo.py on a fresh database) --------------------------
# "Demo Organization" 1 of org_owner (user 4), with org_manager 5 and org_employee 6; services and clients 1 and 2
# have orders, 3 has none (so it can be deleted).
DEMO_USER = 2  # `demo`, not a member


def _path_id(name: str, value: int, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        OpenApiTypes.INT,
        OpenApiParameter.PATH,
        description=description,
        examples=[OpenApiExample("Demo data", value=value)],
    )


ORGANIZATION_ID = _path_id("organization_id", 1, "The organization's id.")

# --- errors --------------------------------------------------------------------------------------------------

VALIDATION = "Validation failed: every bad field with its messages."
INVALID_INPUT = "Invalid input."


def validation_error(field: str, *cases: tuple[str, str], partial: bool = False) -> OpenApiResponse:
    """A 400: `field` missing (blank, for a PATCH) with its field errors, the operation's own refusals, a body
    that is not JSON."""
    code, message = ("blank", "This field may not be blank.") if partial else ("required", "This field is required.")
    return product_error(VALIDATION, (code, INVALID_INPUT), *cases, PARSE_ERROR, fields={field: [message]})


#: every operation here: no or a bad token; not a member, or a member without the operation's right, an
#: unconfirmed email or a revoked session
#: a path whose ids are not numbers matches no route
UNKNOWN_PATH = (NOT_FOUND[0], "Not found.")
SCOPED = {
    401: BEARER_401,
    403: PRODUCT_403,
    404: product_error("No such path (an id that is not a number).", UNKNOWN_PATH),
}
#: adding or changing a member: nor may anyone hand out (or take away) a role with rights they do not hold
ROLE_403 = product_error(
    "Not allowed: missing right, a role with rights you do not hold, unconfirmed email or revoked session.",
    PERMISSION_DENIED,
    (OrganizationErrorCode.ROLE_BEYOND_RIGHTS, PERMISSION_DENIED[1]),
)
INVALID_PAGE_404 = product_error(
    "With `?page`: no such page; or a path whose ids are not numbers.", (NOT_FOUND[0], "Invalid page."), UNKNOWN_PATH
)
CREATOR = (OrganizationErrorCode.CREATOR_MEMBERSHIP, CreatorMembershipError.MESSAGE)
IN_USE_409 = product_error("Orders refer to it.", (OrganizationErrorCode.IN_USE, InUseError.MESSAGE))


def not_found_404(model_name: str) -> OpenApiResponse:
    return product_error(
        "No such object in this organization, or a path whose ids are not numbers.",
        (NOT_FOUND[0], ObjectNotFoundError.message_for(model_name)),
        UNKNOWN_PATH,
    )


def _request(name: str, value: dict[str, object]) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


def _answer(name: str, value: object, status: int = 200) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True, status_codes=[str(status)])


# --- operations ----------------------------------------------------------------------------------------------

organizations = extend_schema_view(
    list=extend_schema(
        operation_id="organizations_list",
        summary="My organizations",
        tags=[TAG],
        description="Organizations I created or belong to (paginated).",
        responses={200: OrganizationOutputSerializer(many=True), **SCOPED, 404: INVALID_PAGE_404},
        examples=[_answer("My organizations", ORGANIZATION_EXAMPLE)],
    ),
    create=extend_schema(
        operation_id="organizations_create",
        summary="Create an organization",
        tags=[TAG],
        description="Create an organization: the requester becomes its creator and owner.",
        request=OrganizationCreateInputSerializer,
        responses={
            201: OrganizationOutputSerializer,
            **SCOPED,
            400: validation_error("name", ("not_a_dict", "Invalid input.")),
        },
        examples=[
            _request(
                "Create",
                {
                    "name": "Organization2",
                    "description": "Organization2",
                    "address": "Organization2",
                    "numbers": {"main": "+79999999999"},
                    "links": {"vk": "vk.com"},
                },
            ),
            _answer("Created", ORGANIZATION_EXAMPLE, 201),
        ],
    ),
)

organization = extend_schema_view(
    retrieve=extend_schema(
        operation_id="organizations_retrieve",
        summary="One organization",
        tags=[TAG],
        description="One of my organizations (members read it).",
        parameters=[ORGANIZATION_ID],
        responses={200: OrganizationOutputSerializer, **SCOPED, 404: not_found_404("Organization")},
        examples=[_answer("Organization", ORGANIZATION_EXAMPLE)],
    ),
    partial_update=extend_schema(
        operation_id="organizations_partial_update",
        summary="Change an organization",
        tags=[TAG],
        description="Change the organization's details (the change right).",
        parameters=[ORGANIZATION_ID],
        request=OrganizationUpdateInputSerializer,
        responses={
            200: OrganizationOutputSerializer,
            **SCOPED,
            400: validation_error("name", partial=True),
            404: not_found_404("Organization"),
        },
        examples=[_request("Rename", {"name": "Organization3"}), _answer("Changed", ORGANIZATION_EXAMPLE)],
    ),
)

roles = extend_schema_view(
    list=extend_schema(
        operation_id="organizations_roles_list",
        summary="Roles and their order rights",
        tags=[TAG],
        description="The roles a member can be given, with the order rights each carries (staff edit them in the "
        "admin).",
        responses={200: RoleOutputSerializer(many=True), **SCOPED},
        examples=[_answer("Roles", [ROLE_EXAMPLE])],
    )
)

members = extend_schema_view(
    list=extend_schema(
        operation_id="organizations_members_list",
        summary="Members",
        tags=[TAG],
        description="The organization's members with their roles (paginated).",
        parameters=[ORGANIZATION_ID],
        responses={200: MembershipOutputSerializer(many=True), **SCOPED, 404: INVALID_PAGE_404},
        examples=[_answer("Members", MEMBERSHIP_EXAMPLE)],
    ),
    create=extend_schema(
        operation_id="organizations_members_create",
        summary="Add a member",
        tags=[TAG],
        description="Add a member (the create right; nobody grants a role with rights they do not hold).",
        parameters=[ORGANIZATION_ID],
        request=MembershipCreateInputSerializer,
        responses={
            201: MembershipOutputSerializer,
            **SCOPED,
            400: validation_error("user", ("does_not_exist", "Invalid input.")),
            403: ROLE_403,
            409: product_error("Already a member.", (OrganizationErrorCode.ALREADY_MEMBER, AlreadyMemberError.MESSAGE)),
        },
        examples=[
            _request("Add a manager", {"user": DEMO_USER, "role": "manager"}),
            _answer("Added", MEMBERSHIP_EXAMPLE, 201),
        ],
    ),
    partial_update=extend_schema(
        operation_id="organizations_members_partial_update",
        summary="Change a member's role",
        tags=[TAG],
        description="Give a member another role (the change right; not the creator's membership).",
        parameters=[ORGANIZATION_ID, _path_id("user_id", 5, "The member's user id.")],
        request=MembershipUpdateInputSerializer,
        responses={
            200: MembershipOutputSerializer,
            **SCOPED,
            400: validation_error("role", CREATOR),
            403: ROLE_403,
            404: not_found_404("Membership"),
        },
        examples=[_request("Make an employee", {"role": "employee"}), _answer("Changed", MEMBERSHIP_EXAMPLE)],
    ),
    destroy=extend_schema(
        operation_id="organizations_members_destroy",
        summary="Remove a member",
        tags=[TAG],
        description="Remove a member (the delete right; not the creator).",
        parameters=[ORGANIZATION_ID, _path_id("user_id", 6, "The member's user id.")],
        request=None,
        responses={
            204: OpenApiResponse(description="Removed."),
            **SCOPED,
            400: product_error("The creator's membership stays.", CREATOR),
            403: ROLE_403,
            404: not_found_404("Membership"),
        },
    ),
)


def _objects(
    *,
    kind: str,
    model_name: str,
    what: str,
    output: type,
    input_serializer: type,
    example: dict,
    create: dict,
    change: tuple[str, dict],
) -> Callable[[V], V]:
    """The five operations of one kind of the organization's objects (services, clients)."""
    object_id = _path_id(f"{model_name.lower()}_id", 1, f"The {what}'s id.")
    unused_object_id = _path_id(f"{model_name.lower()}_id", 3, f"The {what}'s id (demo {what} 3 has no orders).")
    return extend_schema_view(
        list=extend_schema(
            operation_id=f"organizations_{kind}_list",
            summary=f"{what.capitalize()}s",
            tags=[TAG],
            description=f"The organization's {what}s (paginated).",
            parameters=[ORGANIZATION_ID],
            responses={200: output(many=True), **SCOPED, 404: INVALID_PAGE_404},
            examples=[_answer(f"{model_name}s", example)],
        ),
        create=extend_schema(
            operation_id=f"organizations_{kind}_create",
            summary=f"Add a {what}",
            tags=[TAG],
            description=f"Add a {what} (the create right).",
            parameters=[ORGANIZATION_ID],
            request=input_serializer,
            responses={201: output, **SCOPED, 400: validation_error("name")},
            examples=[_request("Create", create), _answer("Created", example, 201)],
        ),
        retrieve=extend_schema(
            operation_id=f"organizations_{kind}_retrieve",
            summary=f"One {what}",
            tags=[TAG],
            description=f"One {what} of the organization.",
            parameters=[ORGANIZATION_ID, object_id],
            responses={200: output, **SCOPED, 404: not_found_404(model_name)},
            examples=[_answer(model_name, example)],
        ),
        partial_update=extend_schema(
            operation_id=f"organizations_{kind}_partial_update",
            summary=f"Change a {what}",
            tags=[TAG],
            description=f"Change a {what} (the change right).",
            parameters=[ORGANIZATION_ID, object_id],
            request=input_serializer(partial=True),
            responses={
                200: output,
                **SCOPED,
                400: validation_error("name", partial=True),
                404: not_found_404(model_name),
            },
            examples=[_request(*change), _answer("Changed", example)],
        ),
        destroy=extend_schema(
            operation_id=f"organizations_{kind}_destroy",
            summary=f"Delete a {what}",
            tags=[TAG],
            description=f"Delete a {what} no order refers to (the delete right).",
            parameters=[ORGANIZATION_ID, unused_object_id],
            request=None,
            responses={
                204: OpenApiResponse(description="Deleted."),
                **SCOPED,
                404: not_found_404(model_name),
                409: IN_USE_409,
            },
        ),
    )


services = _objects(
    kind="services",
    model_name="Service",
    what="service",
    output=ServiceOutputSerializer,
    input_serializer=ServiceInputSerializer,
    example=SERVICE_EXAMPLE,
    create={"name": "Programming", "address": "Gdeto v rossii", "phone": "+79518472961"},
    change=("Rename", {"name": "Design"}),
)

clients = _objects(
    kind="clients",
    model_name="Client",
    what="customer",
    output=ClientOutputSerializer,
    input_serializer=ClientInputSerializer,
    example=CLIENT_EXAMPLE,
    create={"name": "Petr Petrov", "phone": "+79990001122", "email": "petr@example.com"},
    change=("New phone", {"phone": "+79990003344"}),
)
