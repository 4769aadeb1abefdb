"""/api/organizations/*: document 001's bootstrap API of organizations, members, services and clients.

Everything under an organization is read by its members and changed only by holders of the right the view
declares (create for POST, change for PATCH, delete for DELETE); outsiders get 403. OpenAPI in `openapi.py`.
"""

from typing import Any

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.response import Response

from common.conditional import ConditionalResource, if_match, lock_row, with_etag
from common.idempotency import idempotent
from common.types import AuthenticatedRequest
from organizations import selectors, services
from organizations.api import openapi as docs
from organizations.api import serializers as io
from organizations.api.viewsets import OrganizationObjectViewSet, OrganizationScopedViewSet, OrganizationsViewSet
from organizations.models import Client, Membership, Organization, Role, Service
from organizations.permissions import OrganizationRequest


@docs.organizations
class OrganizationViewSet(OrganizationsViewSet):
    queryset = Organization.objects.none()
    output_serializer_class = io.OrganizationOutputSerializer

    def list(self, request: AuthenticatedRequest) -> Response:
        return self.paginated(selectors.organization_list(user=request.user))

    @idempotent
    def create(self, request: AuthenticatedRequest) -> Response:
        data = self.validated(io.OrganizationCreateInputSerializer)
        organization = services.organization_create(creator=request.user, **data)
        return self.output(
            selectors.organization_get(organization_id=organization.pk), status_code=status.HTTP_201_CREATED
        )


@docs.organization
class OrganizationDetailViewSet(ConditionalResource, OrganizationScopedViewSet):
    queryset = Organization.objects.none()
    lookup_url_kwarg = "organization_id"
    output_serializer_class = io.OrganizationOutputSerializer

    def etag_lock(self) -> bool:
        return lock_row(Organization.objects.filter(pk=self.organization_id))

    def etag_representation(self) -> Any:
        return self.output_data(selectors.organization_get(organization_id=self.organization_id))

    @with_etag
    def retrieve(self, request: OrganizationRequest, organization_id: int) -> Response:
        return self.output(selectors.organization_get(organization_id=organization_id))

    @if_match
    def partial_update(self, request: OrganizationRequest, organization_id: int) -> Response:
        data = self.validated(io.OrganizationUpdateInputSerializer)
        organization = selectors.organization_get(organization_id=organization_id)
        return self.output(services.organization_update(organization=organization, **data))


@docs.roles
class RoleViewSet(OrganizationsViewSet):
    queryset = Role.objects.none()
    pagination_class = None
    output_serializer_class = io.RoleOutputSerializer

    def list(self, request: AuthenticatedRequest) -> Response:
        return Response(io.RoleOutputSerializer(selectors.role_list(), many=True).data)


@docs.members
class MemberViewSet(ConditionalResource, OrganizationScopedViewSet):
    queryset = Membership.objects.none()
    lookup_url_kwarg = "user_id"
    output_serializer_class = io.MembershipOutputSerializer

    def etag_lock(self) -> bool:
        return lock_row(Membership.objects.filter(organization_id=self.organization_id, user_id=self.kwargs["user_id"]))

    def etag_representation(self) -> Any:
        return self.output_data(
            selectors.membership_get(organization_id=self.organization_id, user_id=self.kwargs["user_id"])
        )

    def list(self, request: OrganizationRequest, organization_id: int) -> Response:
        return self.paginated(selectors.membership_list(organization_id=organization_id))

    @idempotent
    def create(self, request: OrganizationRequest, organization_id: int) -> Response:
        data = self.validated(io.MembershipCreateInputSerializer)
        rights = request.organization_rights
        membership = services.membership_add(organization_id=organization_id, actor_rights=rights, **data)
        return self.output(membership, status_code=status.HTTP_201_CREATED)

    @if_match
    def partial_update(self, request: OrganizationRequest, organization_id: int, user_id: int) -> Response:
        role = self.validated(io.MembershipUpdateInputSerializer)["role"]
        membership = selectors.membership_get(organization_id=organization_id, user_id=user_id)
        rights = request.organization_rights
        return self.output(services.membership_change_role(membership=membership, actor_rights=rights, role=role))

    def destroy(self, request: OrganizationRequest, organization_id: int, user_id: int) -> Response:
        membership = selectors.membership_get(organization_id=organization_id, user_id=user_id)
        services.membership_remove(membership=membership, actor_rights=request.organization_rights)
        return Response(status=status.HTTP_204_NO_CONTENT)


@docs.services
class ServiceViewSet(OrganizationObjectViewSet[Service]):
    queryset = Service.objects.none()
    lookup_url_kwarg = "service_id"
    input_serializer_class = io.ServiceInputSerializer
    output_serializer_class = io.ServiceOutputSerializer

    def get_queryset(self) -> QuerySet[Service]:
        return selectors.service_list(organization_id=self.organization_id)

    def create_object(self, data: dict[str, Any]) -> Service:
        return services.service_create(organization_id=self.organization_id, **data)

    def update_object(self, instance: Service, data: dict[str, Any]) -> Service:
        return services.service_update(service=instance, **data)

    def delete_object(self, instance: Service) -> None:
        services.service_delete(service=instance)


@docs.clients
class ClientViewSet(OrganizationObjectViewSet[Client]):
    queryset = Client.objects.none()
    lookup_url_kwarg = "client_id"
    input_serializer_class = io.ClientInputSerializer
    output_serializer_class = io.ClientOutputSerializer

    def get_queryset(self) -> QuerySet[Client]:
        return selectors.client_list(organization_id=self.organization_id)

    def create_object(self, data: dict[str, Any]) -> Client:
        return services.client_create(organization_id=self.organization_id, **data)

    def update_object(self, instance: Client, data: dict[str, Any]) -> Client:
        return services.client_update(client=instance, **data)

    def delete_object(self, instance: Client) -> None:
        services.client_delete(client=instance)
