"""No user receives a webhook or a notification for an object they cannot read through the API.

Every kind of user (customer, executors, outsider, organization owners and a manager, a dispatcher, an HR
integrator, staff) tries to subscribe to every scope; a day of work runs through the API; then every delivery and
every notification is checked against what its user reads through the API, and the subscribers who may read an
object are checked to have received it."""

from typing import Any

import pytest

from events.delivery import events_fan_out
from events.models import Event, Notification, WebhookDelivery
from tests.events.world import ALL_SCOPES, World, run_day, subscribe, world_build

pytestmark = pytest.mark.django_db


def _reads_through_api(world: World, name: str, event: Event) -> bool:
    """Whether `name` can read the event's object through the API (asked of the API itself where it can answer)."""
    api = world.api(name)
    user = world.users[name]
    kind, object_id, data = event.object_type, event.object_id, event.data
    if kind == "review":
        return api.get(f"/api_v2/order/review/{object_id}/history/").status_code == 200
    if kind == "marketplace_order":
        mine = api.get("/api_v2/order/mine/").json()
        return any(str(order["id"]) == object_id for order in mine["results"])
    if kind == "organization_order":
        return api.get(f"/orders/order-l/{data['organization_id']}/").status_code == 200
    if kind == "assignment":
        listed = api.get("/api/assignments/", {"executor_id": data["executor_id"]})
        # the executor reads their own assigned order through /order/acquire (executor_id must be theirs)
        return listed.status_code == 200 or data["executor_id"] == str(user.pk)
    if kind == "participant":
        return api.get(f"/api/appraisals/{data['appraisal_id']}/participants").status_code == 200
    raise AssertionError(f"no reading rule for {kind}")


def test_no_one_receives_what_they_cannot_read(world_and_day: dict[str, Any]) -> None:
    world: World = world_and_day["world"]
    deliveries = list(WebhookDelivery.objects.select_related("endpoint__owner", "event"))
    notifications = list(Notification.objects.select_related("user", "event"))
    assert deliveries
    assert notifications
    name_of = {user.pk: name for name, user in world.users.items()}
    for delivery in deliveries:
        name = name_of[delivery.endpoint.owner_id]
        assert _reads_through_api(world, name, delivery.event), (name, delivery.event)
    for notification in notifications:
        name = name_of[notification.user_id]
        assert _reads_through_api(world, name, notification.event), (name, notification.event)


def test_subscribers_who_may_read_receive_and_no_one_else(world_and_day: dict[str, Any]) -> None:
    world: World = world_and_day["world"]
    received: dict[str, set[str]] = {}
    for delivery in WebhookDelivery.objects.select_related("endpoint", "event"):
        owner = next(n for n, u in world.users.items() if u.pk == delivery.endpoint.owner_id)
        received.setdefault(owner, set()).add(delivery.event.type.split(".")[0])
    assert received == {
        "customer": {"marketplace_order", "review"},
        "executor1": {"review"},
        "executor2": {"review"},
        "owner1": {"organization_order"},
        "dispatcher": {"assignment"},
        "hr": {"participant"},
    }
    # executor2 hears only of their own response (created, then rejected when executor1's was accepted)
    executor2 = world.users["executor2"]
    types = sorted(WebhookDelivery.objects.filter(endpoint__owner=executor2).values_list("event__type", flat=True))
    assert types == ["review.created", "review.rejected"]


def test_refused_subscriptions(world_and_day: dict[str, Any]) -> None:
    assert world_and_day["allowed"] == {
        ("customer", "user"),
        ("executor1", "user"),
        ("executor2", "user"),
        ("outsider", "user"),
        ("owner1", "user"),
        ("manager1", "user"),
        ("owner2", "user"),
        ("staff", "user"),
        ("dispatcher", "user"),
        ("hr", "user"),
        ("owner1", "organization:org1"),
        ("owner2", "organization:org2"),
        ("dispatcher", "assignments"),
        ("hr", "appraisals"),
    }


def test_a_right_taken_away_stops_deliveries(world_and_day: dict[str, Any]) -> None:
    world: World = world_and_day["world"]
    world.users["dispatcher"].groups.clear()
    before = WebhookDelivery.objects.filter(endpoint__owner=world.users["dispatcher"]).count()
    from assignments.services import assigned_order_assign

    assigned_order_assign(order_id="A-2", executor_id="x", zone_id="z")
    events_fan_out()
    assert WebhookDelivery.objects.filter(endpoint__owner=world.users["dispatcher"]).count() == before


@pytest.fixture
def world_and_day(db: Any) -> dict[str, Any]:
    world = world_build()
    allowed = set()
    for name in world.users:
        for scope in ALL_SCOPES:
            organizations = [("org1", world.org1), ("org2", world.org2)] if scope == "organization" else [(None, None)]
            for label, organization in organizations:
                response = subscribe(world, name, scope, f"http://127.0.0.1:9/{name}/{scope}", organization)
                assert response.status_code in (201, 403), response.content
                if response.status_code == 201:
                    allowed.add((name, f"{scope}:{label}" if label else scope))
    run_day(world)
    events_fan_out()
    return {"world": world, "allowed": allowed}
