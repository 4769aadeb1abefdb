"""The viewsets' shared wiring: the product error contract, serializer in and out, organization rights, and
one generic base for the kinds of objects an organization holds (services, clients)."""

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.viewsets import GenericViewSet

from common.api import ApiWiring
from common.conditional import ConditionalResource, if_match, lock_row, with_etag
from common.exceptions import PRODUCT
from common.idempotency import idempotent
from common.permissions import IsConfirmedUser
from common.schema import ConventionsAutoSchema
from common.types import AuthenticatedRequest
from organizations import selectors
from organizations.permissions import HasOrganizationRight, OrganizationRequest, Right, parse_organization_id
from organizations.rights import Requirement

M = TypeVar("M", bound=Model)


class OrganizationsViewSet(ApiWiring, GenericViewSet):
    """The product's error contract; serializer in, one service or selector call, serializer out."""

    error_contract = PRODUCT
    defers_session_check = True  # its GETs only read (accounts/middleware.py)
    schema = ConventionsAutoSchema()
    filter_backends = ()
    lookup_value_converter = "int"
    request: AuthenticatedRequest


class OrganizationScopedViewSet(OrganizationsViewSet):
    """Under /api/organizations/{organization_id}/: members read, holders of the right write."""

    permission_classes = (IsConfirmedUser, HasOrganizationRight)
    organization_rights: Mapping[str, Requirement] = {
        "GET": Right.MEMBER,
        "POST": Right.CREATE,
        "PATCH": Right.CHANGE,
        "DELETE": Right.DELETE,
    }
    request: OrganizationRequest

    @property
    def organization_id(self) -> int:
        return self.kwargs["organization_id"]

    def get_rights_organization_id(self, request: Request) -> int | None:
        return parse_organization_id(self.kwargs.get("organization_id"))


class OrganizationObjectViewSet(ConditionalResource, OrganizationScopedViewSet, Generic[M]):
    """List, add, read, change and delete one kind of the organization's objects; a kind says which calls."""

    input_serializer_class: type[BaseSerializer]

    def get_queryset(self) -> QuerySet[M]:
        raise NotImplementedError

    def create_object(self, data: dict[str, Any]) -> M:
        raise NotImplementedError

    def update_object(self, instance: M, data: dict[str, Any]) -> M:
        raise NotImplementedError

    def delete_object(self, instance: M) -> None:
        raise NotImplementedError

    def get_object(self) -> M:
        return selectors.organization_object_get(self.get_queryset(), pk=self.kwargs[self.lookup_url_kwarg or "pk"])

    def etag_lock(self) -> bool:
        rows = self.get_queryset().model._default_manager.filter(organization_id=self.organization_id)
        return lock_row(rows.filter(pk=self.kwargs[self.lookup_url_kwarg or "pk"]))

    def etag_representation(self) -> Any:
        return self.output_data(self.get_object())

    def list(self, request: OrganizationRequest, organization_id: int) -> Response:
        return self.paginated(self.get_queryset())

    @idempotent
    def create(self, request: OrganizationRequest, organization_id: int) -> Response:
        created = self.create_object(self.validated(self.input_serializer_class))
        instance = selectors.organization_object_get(self.get_queryset(), pk=created.pk)  # with its joins
        return self.output(instance, status_code=status.HTTP_201_CREATED)

    @with_etag
    def retrieve(self, request: OrganizationRequest, organization_id: int, **lookup: int) -> Response:
        return self.output(self.get_object())

    @if_match
    def partial_update(self, request: OrganizationRequest, organization_id: int, **lookup: int) -> Response:
        instance = self.get_object()
        return self.output(self.update_object(instance, self.validated(self.input_serializer_class, partial=True)))

    def destroy(self, request: OrganizationRequest, organization_id: int, **lookup: int) -> Response:
        self.delete_object(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
