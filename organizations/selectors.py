"""Every read of organizations, their members, services and clients: joins are done here."""

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from organizations.errors import ObjectNotFoundError
from organizations.models import Client, Membership, Organization, Role, Service

M = TypeVar("M", bound=Model)


def organization_object_get(queryset: QuerySet[M], **lookup: Any) -> M:
    """The one row of `queryset` that matches, or a 404 named after its model."""
    try:
        return queryset.get(**lookup)
    except ObjectDoesNotExist as exc:
        raise ObjectNotFoundError(queryset.model._meta.object_name or "object") from exc


def organization_list(*, user: Any) -> QuerySet[Organization]:
    """Organizations the user created or belongs to."""
    is_member = Exists(Membership.objects.filter(organization=OuterRef("pk"), user_id=user.pk))
    return Organization.objects.filter(Q(creator_id=user.pk) | is_member).select_related("creator").order_by("id")


def organization_get(*, organization_id: int) -> Organization:
    return organization_object_get(Organization.objects.select_related("creator"), pk=organization_id)


def membership_list(*, organization_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(organization_id=organization_id).select_related("user", "role").order_by("id")


def membership_get(*, organization_id: int, user_id: int) -> Membership:
    return organization_object_get(
        Membership.objects.select_related("user", "role", "organization"),
        organization_id=organization_id,
        user_id=user_id,
    )


def service_list(*, organization_id: int) -> QuerySet[Service]:
    return (
        Service.objects.filter(organization_id=organization_id).select_related("organization__creator").order_by("id")
    )


def client_list(*, organization_id: int) -> QuerySet[Client]:
    return Client.objects.filter(organization_id=organization_id).order_by("id")


def role_list() -> QuerySet[Role]:
    return Role.objects.order_by("name")


def organization_member_users(*, organization_id: int) -> QuerySet[Any]:
    """Users who may execute the organization's orders: its members and its creator."""
    from accounts.models import User

    is_member = Exists(Membership.objects.filter(organization_id=organization_id, user=OuterRef("pk")))
    is_creator = Exists(Organization.objects.filter(pk=organization_id, creator=OuterRef("pk")))
    return User.objects.filter(is_member | is_creator)
