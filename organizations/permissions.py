"""Who may do what in an organization: one permission class, configured declaratively on each view.

    class ServiceViewSet(...):
        permission_classes = (IsConfirmedUser, HasOrganizationRight)
        organization_rights = {"GET": Right.MEMBER, "POST": Right.CREATE, "DELETE": Right.DELETE}

        def get_rights_organization_id(self, request) -> int | None:  # optional: the URL's organization_id
            ...

A request without the right gets 403 in the view's error contract; one that has it finds its rights on
`request.organization_rights` (a role's rights decide, in the services, which roles a member may hand out).
"""

from collections.abc import Mapping
from typing import Any, Protocol, cast

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from common.types import AuthenticatedRequest
from organizations.rights import Requirement, Right, Rights, organization_rights, parse_organization_id

__all__ = ["HasOrganizationRight", "OrganizationRequest", "Right", "parse_organization_id"]

#: the URL keyword that names the organization, unless the view says otherwise
ORGANIZATION_URL_KWARG = "organization_id"


class OrganizationRequest(AuthenticatedRequest):
    """A request that passed `HasOrganizationRight` (annotate views' `request` with it)."""

    organization_rights: Rights
    #: the organization whose right was granted (set only then, so never None in a view's handler)
    organization_id: int


class _RightsScopedView(Protocol):
    organization_rights: Mapping[str, Requirement]


class HasOrganizationRight(BasePermission):
    """The requester holds the right the view requires for this HTTP method in the view's organization.

    The view declares `organization_rights`, HTTP method → `Right` (or a tuple of rights, any of which will
    do; HEAD follows GET), and may define `get_rights_organization_id(request) -> int | None` when the
    organization is not the URL's `organization_id` (an order's, or the body's). No organization, or one the
    requester is a stranger to, means no rights. A granted request finds the organization on
    `request.organization_id`. A method the view does not list is refused, unless the view has no handler for
    it (it answers 405) or it is OPTIONS (metadata, no data).
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        requirement = required_for(view, request.method or "")
        if requirement is None:
            return request.method == "OPTIONS" or not hasattr(view, (request.method or "").lower())
        organization_id = self.organization_id(request, view)
        rights = organization_rights(user=request.user, organization_id=organization_id)
        scoped = cast(OrganizationRequest, request)
        scoped.organization_rights = rights
        granted = rights.satisfy(requirement)
        if granted and organization_id is not None:  # no organization holds no right
            scoped.organization_id = organization_id
        return granted

    @staticmethod
    def organization_id(request: Request, view: Any) -> int | None:
        getter = getattr(view, "get_rights_organization_id", None)
        if getter is not None:
            return getter(request)
        return parse_organization_id(view.kwargs.get(ORGANIZATION_URL_KWARG))


def required_for(view: _RightsScopedView, method: str) -> Requirement | None:
    rights = view.organization_rights
    return rights.get(method) or (rights.get("GET") if method == "HEAD" else None)
