"""Every state change of organizations, memberships, services and clients."""

from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError

from common.services import model_update
from organizations.errors import AlreadyMemberError, CreatorMembershipError, InUseError, RoleBeyondRightsError
from organizations.models import Client, Membership, Organization, Role, Service
from organizations.rights import Rights

OWNER_ROLE = "owner"
# The roles a fresh database gets (migration 0002); staff edit them and add others in the admin.
DEFAULT_ROLES = {
    "owner": {"can_view": True, "can_create": True, "can_change": True, "can_delete": True},
    "manager": {"can_view": True, "can_create": True, "can_change": True, "can_delete": False},
    "employee": {"can_view": True, "can_create": False, "can_change": False, "can_delete": False},
}

ORGANIZATION_FIELDS = ("name", "description", "address", "numbers", "links")
SERVICE_FIELDS = ("name", "address", "phone")
CLIENT_FIELDS = ("name", "phone", "email")


def role_get_default(name: str) -> Role:
    """A default role by name, created with its default rights if staff removed it."""
    role, _ = Role.objects.get_or_create(name=name, defaults=DEFAULT_ROLES[name])
    return role


def _require_covers(actor_rights: Rights, role: Role) -> None:
    """Nobody hands out (or takes away) a role with rights they do not hold themselves."""
    if actor_rights.creator:
        return
    if not actor_rights.covers(
        can_view=role.can_view, can_create=role.can_create, can_change=role.can_change, can_delete=role.can_delete
    ):
        raise RoleBeyondRightsError()


def _delete_unless_in_use(instance: models.Model) -> None:
    """Delete a row no order refers to (orders protect their service and client)."""
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError as exc:
        raise InUseError() from exc


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
    Membership.objects.create(organization=organization, user=creator, role=role_get_default(OWNER_ROLE))
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, **fields: Any) -> Organization:
    organization, _ = model_update(instance=organization, fields=ORGANIZATION_FIELDS, data=fields)
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
    """Give a member another role; the creator's membership stays, and nobody moves a role beyond their rights."""
    membership = (
        Membership.objects.select_for_update().select_related("role", "organization", "user").get(pk=membership.pk)
    )
    if membership.user_id == membership.organization.creator_id:
        raise CreatorMembershipError()
    _require_covers(actor_rights, membership.role)
    _require_covers(actor_rights, role)
    membership, _ = model_update(instance=membership, fields=("role",), data={"role": role})
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
    service, _ = model_update(instance=service, fields=SERVICE_FIELDS, data=fields)
    return service


def service_delete(*, service: Service) -> None:
    _delete_unless_in_use(service)


@transaction.atomic
def client_create(*, organization_id: int, name: str, phone: str = "", email: str = "") -> Client:
    return Client.objects.create(organization_id=organization_id, name=name, phone=phone, email=email)


@transaction.atomic
def client_update(*, client: Client, **fields: Any) -> Client:
    client, _ = model_update(instance=client, fields=CLIENT_FIELDS, data=fields)
    return client


def client_delete(*, client: Client) -> None:
    _delete_unless_in_use(client)
