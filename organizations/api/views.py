"""Bootstrap API for document 001: organizations, their members, services and clients.

Everything under an organization is read by its members and changed only by holders of the right:
create for POST, change for PATCH, delete for DELETE. Outsiders get 403, like document 001's orders.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from common.openapi import ERROR_400, ERROR_401, ERROR_403, ERROR_404, ERROR_409
from organizations import selectors, services
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
from organizations.models import Client, Membership, Organization, Role, Service
from organizations.permissions import Right, Rights, organization_rights

TAG = "organizations"

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
MEMBERSHIP_EXAMPLE = {
    "user": USER_EXAMPLE,
    "role": {"id": 2, "name": "manager", "can_view": True, "can_create": True, "can_change": True, "can_delete": False},
    "created_at": "2021-09-09T03:37:35.341485Z",
}


class OrganizationScopedView(GenericAPIView):
    """Resolves the requester's rights in the organization of the URL: members read, holders of a right write."""

    filter_backends: list[type] = []

    def rights(self, *, right: Right | None = None) -> Rights:
        rights = organization_rights(user=self.request.user, organization_id=self.kwargs["organization_id"])
        if not rights.member or (right is not None and not rights.has(right)):
            raise PermissionDenied()
        return rights

    def paginated(self, queryset: QuerySet[Any], serializer_class: type) -> Response:
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context={"request": self.request}).data
        return self.get_paginated_response(data)


class OrganizationListCreateView(GenericAPIView):
    filter_backends: list[type] = []
    serializer_class = OrganizationOutputSerializer

    def get_queryset(self) -> QuerySet[Organization]:
        return selectors.organization_list(user=self.request.user)

    @extend_schema(
        operation_id="organizations_list",
        tags=[TAG],
        responses={200: OrganizationOutputSerializer(many=True), 401: ERROR_401, 403: ERROR_403},
        examples=[OpenApiExample("My organizations", value=ORGANIZATION_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        """Organizations I created or belong to (paginated)."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            OrganizationOutputSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        operation_id="organizations_create",
        tags=[TAG],
        request=OrganizationCreateInputSerializer,
        responses={201: OrganizationOutputSerializer, 400: ERROR_400, 401: ERROR_401, 403: ERROR_403},
        examples=[
            OpenApiExample(
                "Create",
                value={
                    "name": "Organization2",
                    "description": "Organization2",
                    "address": "Organization2",
                    "numbers": {"main": "+79999999999"},
                    "links": {"vk": "vk.com"},
                },
                request_only=True,
            ),
            OpenApiExample("Created", value=ORGANIZATION_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    )
    def post(self, request: Request) -> Response:
        """Create an organization: the requester becomes its creator and owner."""
        serializer = OrganizationCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = services.organization_create(creator=request.user, **serializer.validated_data)
        organization = selectors.organization_get(organization_id=organization.pk)
        return Response(
            OrganizationOutputSerializer(organization, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class OrganizationDetailView(OrganizationScopedView):
    queryset = Organization.objects.none()

    @extend_schema(
        operation_id="organizations_retrieve",
        tags=[TAG],
        responses={200: OrganizationOutputSerializer, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[OpenApiExample("Organization", value=ORGANIZATION_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, organization_id: int) -> Response:
        """One of my organizations."""
        self.rights()
        organization = selectors.organization_get(organization_id=organization_id)
        return Response(OrganizationOutputSerializer(organization, context={"request": request}).data)

    @extend_schema(
        operation_id="organizations_partial_update",
        tags=[TAG],
        request=OrganizationUpdateInputSerializer,
        responses={200: OrganizationOutputSerializer, 400: ERROR_400, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[
            OpenApiExample("Rename", value={"name": "Organization3"}, request_only=True),
            OpenApiExample("Changed", value=ORGANIZATION_EXAMPLE, response_only=True),
        ],
    )
    def patch(self, request: Request, organization_id: int) -> Response:
        """Change the organization's details (the change right)."""
        self.rights(right=Right.CHANGE)
        serializer = OrganizationUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = selectors.organization_get(organization_id=organization_id)
        organization = services.organization_update(organization=organization, **serializer.validated_data)
        return Response(OrganizationOutputSerializer(organization, context={"request": request}).data)


class RoleListView(GenericAPIView):
    queryset = Role.objects.none()
    filter_backends: list[type] = []
    pagination_class = None

    @extend_schema(
        operation_id="organizations_roles_list",
        tags=[TAG],
        responses={200: RoleOutputSerializer(many=True), 401: ERROR_401, 403: ERROR_403},
        examples=[
            OpenApiExample(
                "Roles",
                value=[
                    {
                        "id": 3,
                        "name": "owner",
                        "can_view": True,
                        "can_create": True,
                        "can_change": True,
                        "can_delete": True,
                    },
                ],
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        """The roles a member can be given, with the order rights each carries (staff edit them in the admin)."""
        return Response(RoleOutputSerializer(selectors.role_list(), many=True).data)


class MemberListCreateView(OrganizationScopedView):
    queryset = Membership.objects.none()

    @extend_schema(
        operation_id="organizations_members_list",
        tags=[TAG],
        responses={200: MembershipOutputSerializer(many=True), 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[OpenApiExample("Members", value=MEMBERSHIP_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, organization_id: int) -> Response:
        """The organization's members with their roles (paginated)."""
        self.rights()
        return self.paginated(selectors.membership_list(organization_id=organization_id), MembershipOutputSerializer)

    @extend_schema(
        operation_id="organizations_members_create",
        tags=[TAG],
        request=MembershipCreateInputSerializer,
        responses={
            201: MembershipOutputSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
            409: ERROR_409,
        },
        examples=[
            OpenApiExample("Add a manager", value={"user": 5, "role": "manager"}, request_only=True),
            OpenApiExample("Added", value=MEMBERSHIP_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    )
    def post(self, request: Request, organization_id: int) -> Response:
        """Add a member (the create right; nobody grants a role with rights they do not hold)."""
        rights = self.rights(right=Right.CREATE)
        serializer = MembershipCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_add(
            organization_id=organization_id, actor_rights=rights, **serializer.validated_data
        )
        return Response(
            MembershipOutputSerializer(membership, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class MemberDetailView(OrganizationScopedView):
    queryset = Membership.objects.none()

    def get_membership(self) -> Membership:
        try:
            return selectors.membership_get(
                organization_id=self.kwargs["organization_id"], user_id=self.kwargs["user_id"]
            )
        except Membership.DoesNotExist as exc:
            raise NotFound("No Membership matches the given query.") from exc

    @extend_schema(
        operation_id="organizations_members_partial_update",
        tags=[TAG],
        request=MembershipUpdateInputSerializer,
        responses={200: MembershipOutputSerializer, 400: ERROR_400, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[
            OpenApiExample("Make an employee", value={"role": "employee"}, request_only=True),
            OpenApiExample("Changed", value=MEMBERSHIP_EXAMPLE, response_only=True),
        ],
    )
    def patch(self, request: Request, organization_id: int, user_id: int) -> Response:
        """Give a member another role (the change right; not the creator's membership)."""
        rights = self.rights(right=Right.CHANGE)
        serializer = MembershipUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_change_role(
            membership=self.get_membership(), actor_rights=rights, role=serializer.validated_data["role"]
        )
        return Response(MembershipOutputSerializer(membership, context={"request": request}).data)

    @extend_schema(
        operation_id="organizations_members_destroy",
        tags=[TAG],
        request=None,
        responses={
            204: OpenApiResponse(description="Removed."),
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
        examples=[
            OpenApiExample(
                "Creator",
                value={"detail": services.CreatorMembershipError.MESSAGE},
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def delete(self, request: Request, organization_id: int, user_id: int) -> Response:
        """Remove a member (the delete right; not the creator)."""
        rights = self.rights(right=Right.DELETE)
        services.membership_remove(membership=self.get_membership(), actor_rights=rights)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ServiceListCreateView(OrganizationScopedView):
    queryset = Service.objects.none()

    @extend_schema(
        operation_id="organizations_services_list",
        tags=[TAG],
        responses={200: ServiceOutputSerializer(many=True), 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[OpenApiExample("Services", value=SERVICE_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, organization_id: int) -> Response:
        """The organization's services (paginated)."""
        self.rights()
        return self.paginated(selectors.service_list(organization_id=organization_id), ServiceOutputSerializer)

    @extend_schema(
        operation_id="organizations_services_create",
        tags=[TAG],
        request=ServiceInputSerializer,
        responses={201: ServiceOutputSerializer, 400: ERROR_400, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[
            OpenApiExample(
                "Create",
                value={"name": "Programming", "address": "Gdeto v rossii", "phone": "+79518472961"},
                request_only=True,
            ),
            OpenApiExample("Created", value=SERVICE_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    )
    def post(self, request: Request, organization_id: int) -> Response:
        """Add a service (the create right)."""
        self.rights(right=Right.CREATE)
        serializer = ServiceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service = services.service_create(organization_id=organization_id, **serializer.validated_data)
        service = selectors.service_get(organization_id=organization_id, service_id=service.pk)
        return Response(
            ServiceOutputSerializer(service, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class ServiceDetailView(OrganizationScopedView):
    queryset = Service.objects.none()

    def get_service(self) -> Service:
        try:
            return selectors.service_get(
                organization_id=self.kwargs["organization_id"], service_id=self.kwargs["service_id"]
            )
        except Service.DoesNotExist as exc:
            raise NotFound("No Service matches the given query.") from exc

    @extend_schema(
        operation_id="organizations_services_retrieve",
        tags=[TAG],
        responses={200: ServiceOutputSerializer, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[OpenApiExample("Service", value=SERVICE_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, organization_id: int, service_id: int) -> Response:
        """One service of the organization."""
        self.rights()
        return Response(ServiceOutputSerializer(self.get_service(), context={"request": request}).data)

    @extend_schema(
        operation_id="organizations_services_partial_update",
        tags=[TAG],
        request=ServiceInputSerializer(partial=True),
        responses={200: ServiceOutputSerializer, 400: ERROR_400, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[
            OpenApiExample("Rename", value={"name": "Design"}, request_only=True),
            OpenApiExample("Changed", value=SERVICE_EXAMPLE, response_only=True),
        ],
    )
    def patch(self, request: Request, organization_id: int, service_id: int) -> Response:
        """Change a service (the change right)."""
        self.rights(right=Right.CHANGE)
        service = self.get_service()
        serializer = ServiceInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        service = services.service_update(service=service, **serializer.validated_data)
        return Response(ServiceOutputSerializer(service, context={"request": request}).data)

    @extend_schema(
        operation_id="organizations_services_destroy",
        tags=[TAG],
        request=None,
        responses={
            204: OpenApiResponse(description="Deleted."),
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
            409: ERROR_409,
        },
        examples=[
            OpenApiExample(
                "In use", value={"detail": services.InUseError.MESSAGE}, response_only=True, status_codes=["409"]
            )
        ],
    )
    def delete(self, request: Request, organization_id: int, service_id: int) -> Response:
        """Delete a service no order refers to (the delete right)."""
        self.rights(right=Right.DELETE)
        services.service_delete(service=self.get_service())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClientListCreateView(OrganizationScopedView):
    queryset = Client.objects.none()

    @extend_schema(
        operation_id="organizations_clients_list",
        tags=[TAG],
        responses={200: ClientOutputSerializer(many=True), 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[OpenApiExample("Clients", value=CLIENT_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, organization_id: int) -> Response:
        """The organization's customers (paginated)."""
        self.rights()
        return self.paginated(selectors.client_list(organization_id=organization_id), ClientOutputSerializer)

    @extend_schema(
        operation_id="organizations_clients_create",
        tags=[TAG],
        request=ClientInputSerializer,
        responses={201: ClientOutputSerializer, 400: ERROR_400, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[
            OpenApiExample(
                "Create",
                value={"name": "Petr Petrov", "phone": "+79990001122", "email": "petr@example.com"},
                request_only=True,
            ),
            OpenApiExample("Created", value=CLIENT_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    )
    def post(self, request: Request, organization_id: int) -> Response:
        """Add a customer (the create right)."""
        self.rights(right=Right.CREATE)
        serializer = ClientInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = services.client_create(organization_id=organization_id, **serializer.validated_data)
        return Response(ClientOutputSerializer(client).data, status=status.HTTP_201_CREATED)


class ClientDetailView(OrganizationScopedView):
    queryset = Client.objects.none()

    def get_client(self) -> Client:
        try:
            return selectors.client_get(
                organization_id=self.kwargs["organization_id"], client_id=self.kwargs["client_id"]
            )
        except Client.DoesNotExist as exc:
            raise NotFound("No Client matches the given query.") from exc

    @extend_schema(
        operation_id="organizations_clients_retrieve",
        tags=[TAG],
        responses={200: ClientOutputSerializer, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[OpenApiExample("Client", value=CLIENT_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, organization_id: int, client_id: int) -> Response:
        """One customer of the organization."""
        self.rights()
        return Response(ClientOutputSerializer(self.get_client()).data)

    @extend_schema(
        operation_id="organizations_clients_partial_update",
        tags=[TAG],
        request=ClientInputSerializer(partial=True),
        responses={200: ClientOutputSerializer, 400: ERROR_400, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
        examples=[
            OpenApiExample("New phone", value={"phone": "+79990003344"}, request_only=True),
            OpenApiExample("Changed", value=CLIENT_EXAMPLE, response_only=True),
        ],
    )
    def patch(self, request: Request, organization_id: int, client_id: int) -> Response:
        """Change a customer (the change right)."""
        self.rights(right=Right.CHANGE)
        client = self.get_client()
        serializer = ClientInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        client = services.client_update(client=client, **serializer.validated_data)
        return Response(ClientOutputSerializer(client).data)

    @extend_schema(
        operation_id="organizations_clients_destroy",
        tags=[TAG],
        request=None,
        responses={
            204: OpenApiResponse(description="Deleted."),
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
            409: ERROR_409,
        },
        examples=[
            OpenApiExample(
                "In use", value={"detail": services.InUseError.MESSAGE}, response_only=True, status_codes=["409"]
            )
        ],
    )
    def delete(self, request: Request, organization_id: int, client_id: int) -> Response:
        """Delete a customer no order refers to (the delete right)."""
        self.rights(right=Right.DELETE)
        services.client_delete(client=self.get_client())
        return Response(status=status.HTTP_204_NO_CONTENT)
