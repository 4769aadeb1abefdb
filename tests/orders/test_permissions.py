"""Permission matrix: every actor × every document 001 endpoint → the expected status."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from orders.models import Order
from tests.accounts.factories import UserFactory
from tests.conftest import login
from tests.orders.factories import OrderFactory
from tests.organizations.factories import ClientFactory, MembershipFactory, OrganizationFactory, ServiceFactory, role

pytestmark = pytest.mark.django_db

FORBIDDEN = {"detail": "You do not have permission to perform this action."}
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}
ALL_RIGHTS = ("view", "create", "change", "delete")


@dataclass(frozen=True)
class Endpoint:
    name: str
    rights: tuple[str, ...]  # any of these lets the member in
    ok: int
    call: Callable[[APIClient, dict[str, Any]], Any]


def _create(api: APIClient, w: dict[str, Any]) -> Any:
    actor = w["actor"]
    return api.post(
        "/orders/order-c/",
        {
            "organization": w["organization"].pk,
            "description": "New order",
            "creator": actor.pk,
            "executor": actor.pk if w["actor_is_member"] else w["organization"].creator_id,
            "client": w["client"].pk,
            "service": w["service"].pk,
        },
    )


def _change_body(w: dict[str, Any]) -> dict[str, Any]:
    return {"organization": w["organization"].pk, "description": "Changed descr", "executor": w["executor"].pk}


ENDPOINTS = [
    Endpoint("order-c", ("create",), 201, _create),
    Endpoint("order-l", ("view",), 200, lambda api, w: api.get(f"/orders/order-l/{w['organization'].pk}/")),
    Endpoint(
        "order-creator-l",
        ("view", "create"),
        200,
        lambda api, w: api.get(f"/orders/order-creator-l/{w['organization'].pk}/"),
    ),
    Endpoint("order-r", ("view",), 200, lambda api, w: api.get(f"/orders/order-r/{w['order'].pk}/")),
    Endpoint(
        "order-r-in-organization",
        ("view",),
        200,
        lambda api, w: api.get(f"/orders/order-r/{w['order'].pk}/{w['organization'].pk}/"),
    ),
    Endpoint(
        "order-ud PUT", ("change",), 200, lambda api, w: api.put(f"/orders/order-ud/{w['order'].pk}/", _change_body(w))
    ),
    Endpoint(
        "order-ud PATCH",
        ("change",),
        200,
        lambda api, w: api.patch(f"/orders/order-ud/{w['order'].pk}/", {**_change_body(w), "done": True}),
    ),
    Endpoint(
        "order-ud DELETE",
        ("delete",),
        204,
        lambda api, w: api.delete(f"/orders/order-ud/{w['order'].pk}/", {"organization": w["organization"].pk}),
    ),
]

ACTORS = [
    "anonymous",
    "unconfirmed",
    "revoked session",
    "outsider",
    "member without the right",
    "member with it",
    "creator",
]


def _actor(kind: str, endpoint: Endpoint, organization: Any) -> tuple[Any, bool]:
    """The user for an actor kind, and whether they are a member of the organization."""
    if kind == "creator":
        return organization.creator, True
    if kind == "outsider":
        # an owner elsewhere holds every right there, none here
        return OrganizationFactory().creator, False
    if kind == "member without the right":
        # every other right, so only the missing one can explain the refusal
        rights = {f"can_{right}": right not in endpoint.rights for right in ALL_RIGHTS}
        member_role = role(f"without {'/'.join(endpoint.rights)}", **rights)
    elif kind == "member with it":
        # that right alone
        rights = {f"can_{right}": right == endpoint.rights[0] for right in ALL_RIGHTS}
        member_role = role(f"only {endpoint.rights[0]}", **rights)
    else:  # unconfirmed and revoked session: members holding every right
        member_role = role("owner")
    user = UserFactory(confirmed_email=kind != "unconfirmed")
    MembershipFactory(organization=organization, user=user, role=member_role)
    return user, True


EXPECTED = {
    "anonymous": 401,
    "unconfirmed": 403,
    "revoked session": 403,
    "outsider": 403,
    "member without the right": 403,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@pytest.mark.parametrize("kind", ACTORS)
def test_permission_matrix(kind: str, endpoint: Endpoint) -> None:
    # given an organization with an order
    organization = OrganizationFactory()
    executor = MembershipFactory(organization=organization).user
    service = ServiceFactory(organization=organization)
    client = ClientFactory(organization=organization)
    order = OrderFactory(organization=organization, service=service, client=client)
    api = APIClient()
    actor, is_member = None, False
    if kind != "anonymous":
        actor, is_member = _actor(kind, endpoint, organization)
        login(api, actor)
        if kind == "revoked session":
            assert api.post("/api/auth/logout/").status_code == 204
    world = {
        "organization": organization,
        "order": order,
        "service": service,
        "client": client,
        "executor": executor,
        "actor": actor or executor,
        "actor_is_member": is_member,
    }
    before = {(o.pk, o.description, o.executor_id, o.done) for o in Order.objects.all()}

    # when
    response = endpoint.call(api, world)

    # then
    expected = EXPECTED.get(kind, endpoint.ok)
    assert response.status_code == expected, response.content
    if expected == 401:
        assert response.json() == NO_CREDENTIALS
    elif expected == 403:
        assert response.json() == FORBIDDEN
        assert {(o.pk, o.description, o.executor_id, o.done) for o in Order.objects.all()} == before
