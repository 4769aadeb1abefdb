"""Every state change of organizations, memberships, services and clients."""

from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from rest_framework.exceptions import PermissionDenied

from common.errors import ApplicationError, ConflictError
from organizations.models import Client, Membership, Organization, Role, Service
from organizations.permissions import Rights

OWNER_ROLE = "owner"
# The roles a fresh database gets (migration 0002); staff edit them and add others in the admin.
DEFAULT_ROLES = {
    "owner": {"can_view": True, "can_create": True, "can_change": True, "can_delete": True},
    "manager": {"can_view": True, "can_create": True, "can_change": True, "can_delete": False},
    "employee": {"can_view": True, "can_create": False, "can_change": False, "can_delete": False},
}


class OrganizationErrorCode(StrEnum):
    CREATOR_MEMBERSHIP = "creator_membership"
    ALREADY_MEMBER = "already_member"
    IN_USE = "in_use"


class CreatorMembershipError(ApplicationError):
    MESSAGE = "The organization's creator stays its owner: their membership cannot be changed or removed."

    def __init__(self) -> None:
        super().__init__(OrganizationErrorCode.CREATOR_MEMBERSHIP, self.MESSAGE)


class AlreadyMemberError(ConflictError):
    MESSAGE = "This user is already a member of the organization."

    def __init__(self) -> None:
        super().__init__(OrganizationErrorCode.ALREADY_MEMBER, self.MESSAGE)


class InUseError(ConflictError):
    MESSAGE = "Orders refer to this object; it cannot be deleted."

    def __init__(self) -> None:
        super().__init__(OrganizationErrorCode.IN_USE, self.MESSAGE)


def role_get_default(name: str) -> Role:
    """A default role by name, created with its default rights if staff removed it."""
    role, _ = Role.objects.get_or_create(name=name, defaults=DEFAULT_ROLES[name])
    return role


def _owner_role() -> Role:
    return role_get_default(OWNER_ROLE)


def _require_covers(actor_rights: Rights, role: Role) -> None:
    """Nobody hands out (or takes away) a role with rights they do not hold themselves."""
    if actor_rights.creator:
        return
    if not actor_rights.covers(
        can_view=role.can_view, can_create=role.can_create, can_change=role.can_change, can_delete=role.can_delete
    ):
        raise PermissionDenied()


@transaction.atomic
def organization_create(
    *,
    creator: Any,
    name: str,
    description: str = "",
    address: str = "",
    numbers: dict[str, str] | None = None,
    links: dict[str, str] | None = None,
) -> Organization:
    """Create an organization; its creator becomes its owner."""
    organization = Organization.objects.create(
        creator=creator,
        name=name,
        description=description,
        address=address,
        numbers=numbers or {},
        links=links or {},
    )
    Membership.objects.create(organization=organization, user=creator, role=_owner_role())
    return organization


_ORGANIZATION_FIELDS = ("name", "description", "address", "numbers", "links")


@transaction.atomic
def organization_update(*, organization: Organization, **fields: Any) -> Organization:
    changed = [name for name in _ORGANIZATION_FIELDS if name in fields]
    for name in changed:
        setattr(organization, name, fields[name])
    if changed:
        organization.save(update_fields=[*changed, "updated_at"])
    return organization


def membership_add(*, organization_id: int, actor_rights: Rights, user: Any, role: Role) -> Membership:
    """Add a member. A second add of the same user is a 409, also when two requests race."""
    _require_covers(actor_rights, role)
    try:
        with transaction.atomic():
            return Membership.objects.create(organization_id=organization_id, user=user, role=role)
    except IntegrityError as exc:
        raise AlreadyMemberError() from exc


@transaction.atomic
def membership_change_role(*, membership: Membership, actor_rights: Rights, role: Role) -> Membership:
    membership = (
        Membership.objects.select_for_update().select_related("role", "organization", "user").get(pk=membership.pk)
    )
    if membership.user_id == membership.organization.creator_id:
        raise CreatorMembershipError()
    _require_covers(actor_rights, membership.role)
    _require_covers(actor_rights, role)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor_rights: Rights) -> None:
    if membership.user_id == membership.organization.creator_id:
        raise CreatorMembershipError()
    _require_covers(actor_rights, membership.role)
    membership.delete()


@transaction.atomic
def service_create(*, organization_id: int, name: str, address: str = "", phone: str = "") -> Service:
    return Service.objects.create(organization_id=organization_id, name=name, address=address, phone=phone)


@transaction.atomic
def service_update(*, service: Service, **fields: Any) -> Service:
    changed = [name for name in ("name", "address", "phone") if name in fields]
    for name in changed:
        setattr(service, name, fields[name])
    if changed:
        service.save(update_fields=[*changed, "updated_at"])
    return service


def service_delete(*, service: Service) -> None:
    try:
        with transaction.atomic():
            service.delete()
    except ProtectedError as exc:
        raise InUseError() from exc


@transaction.atomic
def client_create(*, organization_id: int, name: str, phone: str = "", email: str = "") -> Client:
    return Client.objects.create(organization_id=organization_id, name=name, phone=phone, email=email)


@transaction.atomic
def client_update(*, client: Client, **fields: Any) -> Client:
    changed = [name for name in ("name", "phone", "email") if name in fields]
    for name in changed:
        setattr(client, name, fields[name])
    if changed:
        client.save(update_fields=[*changed, "updated_at"])
    return client


def client_delete(*, client: Client) -> None:
    try:
        with transaction.atomic():
            client.delete()
    except ProtectedError as exc:
        raise InUseError() from exc
