"""A small world of users across the five domains and a scripted day of work through the real API."""

import json
from dataclasses import dataclass, field
from typing import Any

from rest_framework.test import APIClient

from accounts.models import User
from appraisals.permissions import hr_group_ensure
from assignments.permissions import ensure_dispatchers_group
from organizations.models import Client, Organization, Service
from reviews.models import OrderReview
from tests.accounts.factories import UserFactory
from tests.appraisals.conftest import participant_body
from tests.appraisals.factories import AppraisalFactory
from tests.organizations.factories import ClientFactory, MembershipFactory, OrganizationFactory, ServiceFactory, role
from tests.support.auth import client_for

ALL_SCOPES = ("user", "organization", "assignments", "appraisals", "partner")
MARKETPLACE_TYPES = [
    "marketplace_order.created",
    "review.created",
    "review.updated",
    "review.accepted",
    "review.rejected",
    "review.in_progress",
    "review.done",
]
TYPES = {
    "user": MARKETPLACE_TYPES,
    "organization": ["organization_order.created", "organization_order.updated", "organization_order.deleted"],
    "assignments": [
        "assignment.assigned",
        "assignment.acquired",
        "assignment.completed",
        "assignment.cancelled",
        "assignment.superseded",
    ],
    "appraisals": ["participant.created", "participant.updated", "participant.deleted"],
    "partner": [
        "partner_order.created",
        "partner_order.status_changed",
        "partner_order.cancelled",
        "partner_order.items_changed",
    ],
}


@dataclass
class World:
    users: dict[str, User]
    org1: Organization
    org2: Organization
    client1: Client
    service1: Service
    clients: dict[str, APIClient] = field(default_factory=dict)

    def api(self, name: str) -> APIClient:
        if name not in self.clients:
            self.clients[name] = client_for(self.users[name])
        return self.clients[name]


def world_build() -> World:
    users = {
        name: UserFactory(username=f"ev_{name}")
        for name in ("customer", "executor1", "executor2", "outsider", "owner1", "manager1", "owner2", "staff")
    }
    users["staff"].is_staff = True
    users["staff"].save(update_fields=["is_staff"])
    users["dispatcher"] = UserFactory(username="ev_dispatcher")
    users["dispatcher"].groups.add(ensure_dispatchers_group())
    users["hr"] = UserFactory(username="ev_hr")
    users["hr"].groups.add(hr_group_ensure())
    org1 = OrganizationFactory(creator=users["owner1"])
    org2 = OrganizationFactory(creator=users["owner2"])
    MembershipFactory(organization=org1, user=users["manager1"], role=role("manager"))
    MembershipFactory(organization=org1, user=users["executor1"], role=role("employee"))
    return World(
        users=users,
        org1=org1,
        org2=org2,
        client1=ClientFactory(organization=org1),
        service1=ServiceFactory(organization=org1),
    )


def subscribe(world: World, name: str, scope: str, url: str, organization: Organization | None = None) -> Any:
    body: dict[str, Any] = {"url": url, "scope": scope, "event_types": TYPES[scope]}
    if organization is not None:
        body["organization"] = organization.pk
    return world.api(name).post("/api/webhooks/", body, format="json")


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response


def run_day(world: World) -> dict[str, Any]:
    """Every domain's moves through the API, as people and systems make them in a day."""
    u = world.users
    customer, executor1, executor2 = world.api("customer"), world.api("executor1"), world.api("executor2")
    # marketplace: publish, two executors look, one negotiates, the customer accepts it, starts, finishes
    order = ok(
        customer.post("/api_v2/order/", {"name": "Fix a tap", "description": "kitchen", "price": "1500.00", "term": 3}),
        201,
    ).json()
    order_id = order["id"]
    ok(executor1.get(f"/api_v2/order/{order_id}/"))
    ok(executor2.get(f"/api_v2/order/{order_id}/"))
    review1 = OrderReview.objects.get(order_id=order_id, executor=u["executor1"]).pk
    ok(executor1.patch(f"/api_v2/order/review/{review1}/", {"status": "reconciliation", "to_price": "1400.00"}))
    for status in ("accepted", "in_progress"):
        ok(customer.post(f"/api_v2/order/review_for_customer/{review1}/", {"status": status}))
    ok(customer.post(f"/api_v2/order/review_for_customer/{review1}/", {"status": "done", "customer_score": 5}))

    # organization orders: created, changed, deleted
    owner = world.api("owner1")
    created = ok(
        owner.post(
            "/orders/order-c/",
            {
                "organization": world.org1.pk,
                "description": "Install a boiler",
                "creator": u["owner1"].pk,
                "executor": u["executor1"].pk,
                "client": world.client1.pk,
                "service": world.service1.pk,
            },
        ),
        201,
    ).json()
    ok(owner.patch(f"/orders/order-ud/{created['id']}/", {"organization": world.org1.pk, "done": True}))
    ok(owner.delete(f"/orders/order-ud/{created['id']}/?organization={world.org1.pk}"), 204)

    # assignments: assigned to executor1, acquired, completed
    dispatcher = world.api("dispatcher")
    ok(dispatcher.put(f"/orders/assign?order_id=A-1&executor_id={u['executor1'].pk}&zone_id=z1"))
    ok(executor1.get(f"/order/acquire?executor_id={u['executor1'].pk}"))
    ok(dispatcher.post("/order/complete?order_id=A-1"))

    # appraisals: a participant added, patched, deleted
    hr = world.api("hr")
    appraisal = AppraisalFactory()
    participant = ok(hr.post(f"/api/appraisals/{appraisal.pk}/participants", participant_body()), 201).json()["id"]
    url = f"/api/appraisals/{appraisal.pk}/participants/{participant}"
    patch = [{"op": "replace", "path": "/status", "value": 2}]
    ok(hr.patch(url, data=json.dumps(patch), content_type="application/json-patch+json"))
    ok(hr.delete(url))
    return {"order_id": order_id, "review1": review1, "appraisal": appraisal.pk, "participant": participant}
