"""Who may receive an event: exactly who could read its object through the API.

- organization orders: an endpoint of scope `organization` of that organization, whose owner still holds every
  order right in it (the creator or the owner role); reading orders needs the view right, which they hold;
- marketplace (orders, responses): an endpoint of scope `user` whose owner is a party of the object (the
  customer, or the response's executor): the API shows a response to these two only;
- assignments, appraisal participants, partner orders: an endpoint of the domain's scope whose owner holds the
  permission the domain's read API checks (Dispatchers: `assignments.view_assignedorder`; hr-integration:
  `appraisals.view_appraisalparticipant`; partner-integration: `partner.use_partner_api`).

The owner must be active with a confirmed email (the API's rule for every business endpoint). The same rules are
checked when an endpoint is registered (`scope_allowed`) and again for every event (`endpoint_may_receive`), so a
right taken away stops deliveries at once.
"""

from typing import Any

from events.models import Event, WebhookEndpoint, WebhookScope
from events.types import Domain
from organizations.rights import organization_rights

SCOPE_DOMAIN: dict[str, Domain] = {
    WebhookScope.ORGANIZATION: Domain.ORGANIZATION,
    WebhookScope.USER: Domain.MARKETPLACE,
    WebhookScope.ASSIGNMENTS: Domain.ASSIGNMENTS,
    WebhookScope.APPRAISALS: Domain.APPRAISALS,
    WebhookScope.PARTNER: Domain.PARTNER,
}

SCOPE_PERMISSION: dict[str, str] = {
    WebhookScope.ASSIGNMENTS: "assignments.view_assignedorder",
    WebhookScope.APPRAISALS: "appraisals.view_appraisalparticipant",
    WebhookScope.PARTNER: "partner.use_partner_api",
}


def _is_owner(user: Any, organization_id: int | None) -> bool:
    rights = organization_rights(user=user, organization_id=organization_id)
    return rights.covers(can_view=True, can_create=True, can_change=True, can_delete=True)


def scope_allowed(*, user: Any, scope: str, organization_id: int | None) -> bool:
    if not (user.is_active and user.confirmed_email):
        return False
    if scope == WebhookScope.ORGANIZATION:
        return _is_owner(user, organization_id)
    if scope == WebhookScope.USER:
        return True
    return user.has_perm(SCOPE_PERMISSION[scope])


def event_matches(endpoint: WebhookEndpoint, event: Event) -> bool:
    """The event is in the endpoint's domain, types, organization or user (the owner's rights aside)."""
    if SCOPE_DOMAIN.get(endpoint.scope) != event.domain or event.type not in endpoint.event_types:
        return False
    if endpoint.scope == WebhookScope.ORGANIZATION and endpoint.organization_id != event.organization_id:
        return False
    return not (endpoint.scope == WebhookScope.USER and endpoint.owner_id not in event.user_ids)


def endpoint_allowed(endpoint: WebhookEndpoint) -> bool:
    """The endpoint's owner still holds the rights its scope needs (the same for every event of the scope)."""
    return scope_allowed(user=endpoint.owner, scope=endpoint.scope, organization_id=endpoint.organization_id)


def endpoint_may_receive(endpoint: WebhookEndpoint, event: Event) -> bool:
    """True when the endpoint's owner could read the event's object through the API now."""
    return event_matches(endpoint, event) and endpoint_allowed(endpoint)
