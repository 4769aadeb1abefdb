import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from assignments import demo
from assignments.models import AssignedOrder, AssignedOrderHistory
from assignments.permissions import DISPATCHERS_GROUP
from tests.accounts.factories import UserFactory
from tests.assignments.factories import AssignedOrderFactory
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_seed_demo_is_idempotent_and_covers_every_status() -> None:
    first = demo.seed_demo(password="demo-pass-2024")
    rows = list(AssignedOrder.objects.order_by("order_id").values())
    history = AssignedOrderHistory.objects.count()

    second = demo.seed_demo(password="demo-pass-2024")

    assert first == second
    assert list(AssignedOrder.objects.order_by("order_id").values()) == rows
    assert AssignedOrderHistory.objects.count() == history
    assert set(AssignedOrder.objects.values_list("status", flat=True)) == {
        "assigned",
        "acquired",
        "completed",
        "cancelled",
    }
    assert User.objects.get(username="dispatcher").groups.filter(name=DISPATCHERS_GROUP).exists()


def test_demo_logins_work_as_described() -> None:
    demo.seed_demo(password="demo-pass-2024")
    dispatcher, courier = APIClient(), APIClient()
    login(dispatcher, User.objects.get(username="dispatcher"), "demo-pass-2024")
    courier_user = User.objects.get(username="courier")
    login(courier, courier_user, "demo-pass-2024")

    assert dispatcher.get("/api/assignments/").json()["count"] == 4
    body = courier.get(f"/order/acquire?executor_id={courier_user.pk}").json()
    assert body["message"] == "Successfully acquired"
    assert body["order_profile"]["order_id"] == "demo-ord-3"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status__exact": "assigned"},
        {"zone_id": "zone-north"},
        {"q": "ord"},
        {"status__exact": "acquired", "zone_id": "zone-north"},
    ],
)
def test_admin_changelist_renders_with_filters(admin_client: Client, params: dict[str, str]) -> None:
    AssignedOrderFactory.create_batch(3)
    response = admin_client.get("/admin/assignments/assignedorder/", params)
    assert response.status_code == 200


def test_admin_change_page_shows_the_history_inline(admin_client: Client) -> None:
    order = AssignedOrderFactory(order_id="ord-h")
    AssignedOrderHistory.objects.create(assigned_order=order, action="assign", from_status="", to_status="assigned")
    response = admin_client.get(f"/admin/assignments/assignedorder/{order.pk}/change/")
    assert response.status_code == 200
    assert b"Assigned by the dispatch system" in response.content


def test_admin_history_changelist_renders(admin_client: Client) -> None:
    order = AssignedOrderFactory()
    AssignedOrderHistory.objects.create(assigned_order=order, action="assign", from_status="", to_status="assigned")
    assert admin_client.get("/admin/assignments/assignedorderhistory/", {"q": order.order_id}).status_code == 200


def test_admin_add_goes_through_the_assign_rules(admin_client: Client) -> None:
    current = AssignedOrderFactory(executor_id="5")

    response = admin_client.post(
        "/admin/assignments/assignedorder/add/",
        {
            "order_id": "ord-admin",
            "executor_id": "5",
            "zone_id": "z1",
            "history-TOTAL_FORMS": "0",
            "history-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content
    created = AssignedOrder.objects.get(order_id="ord-admin")
    assert created.status == "assigned"
    assert list(created.history.values_list("action", flat=True)) == ["assign"]
    current.refresh_from_db()
    assert current.status == "completed"


def test_admin_actions_cancel_and_complete_through_the_state_machine(admin_client: Client) -> None:
    assigned = AssignedOrderFactory()
    acquired = AssignedOrderFactory(status="acquired", acquired_at=timezone.now())
    url = "/admin/assignments/assignedorder/"

    admin_client.post(url, {"action": "complete_selected", "_selected_action": [assigned.pk, acquired.pk]})
    assigned.refresh_from_db()
    acquired.refresh_from_db()
    assert (assigned.status, acquired.status) == ("assigned", "completed")

    admin_client.post(url, {"action": "cancel_selected", "_selected_action": [assigned.pk, acquired.pk]})
    assigned.refresh_from_db()
    acquired.refresh_from_db()
    assert (assigned.status, acquired.status) == ("cancelled", "completed")
