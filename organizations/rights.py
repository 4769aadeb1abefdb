"""What a user may do in an organization: the order rights their role carries, read in one query.

Plain data and one query function, free of the HTTP layer, so services use them as well as
`organizations.permissions.HasOrganizationRight` (the permission class views declare).
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from organizations.models import Membership, Organization


class Right(StrEnum):
    MEMBER = "member"  # belongs to the organization (its creator does too), whatever the role grants
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"


#: what a view requires: one right, or a tuple of rights any of which will do
Requirement = Right | tuple[Right, ...]


@dataclass(frozen=True)
class Rights:
    """A user's rights in one organization. `member` is False for outsiders (who hold no rights)."""

    member: bool = False
    creator: bool = False
    view: bool = False
    create: bool = False
    change: bool = False
    delete: bool = False

    def has(self, right: Right) -> bool:
        return bool(getattr(self, right.value))

    def satisfy(self, requirement: Requirement) -> bool:
        """True when these rights include the right required (for a tuple: any one of them)."""
        wanted = requirement if isinstance(requirement, tuple) else (requirement,)
        return any(self.has(right) for right in wanted)

    def covers(self, *, can_view: bool, can_create: bool, can_change: bool, can_delete: bool) -> bool:
        """True when these rights include every right given (no one grants more than they hold)."""
        return (
            (self.view or not can_view)
            and (self.create or not can_create)
            and (self.change or not can_change)
            and (self.delete or not can_delete)
        )


NO_RIGHTS = Rights()
ALL_RIGHTS = Rights(member=True, creator=True, view=True, create=True, change=True, delete=True)


def parse_organization_id(value: Any) -> int | None:
    """An organization id from a URL, body or query value; None for anything that is not a positive integer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
        return number if 0 < number < 2**63 else None
    return None


def organization_rights(*, user: Any, organization_id: int | None) -> Rights:
    """The user's rights in the organization: one query for members, two for anyone else.

    The organization's creator holds every right, whatever their membership says.
    """
    if organization_id is None or not 0 < organization_id < 2**63 or not getattr(user, "is_authenticated", False):
        return NO_RIGHTS
    row = (
        Membership.objects.filter(organization_id=organization_id, user_id=user.pk)
        .values(
            "organization__creator_id",
            "role__can_view",
            "role__can_create",
            "role__can_change",
            "role__can_delete",
        )
        .first()
    )
    if row is None:
        if Organization.objects.filter(pk=organization_id, creator_id=user.pk).exists():
            return ALL_RIGHTS
        return NO_RIGHTS
    if row["organization__creator_id"] == user.pk:
        return ALL_RIGHTS
    return Rights(
        member=True,
        view=row["role__can_view"],
        create=row["role__can_create"],
        change=row["role__can_change"],
        delete=row["role__can_delete"],
    )
