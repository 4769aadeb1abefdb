from datetime import timedelta

import pytest
from django.contrib import admin
from django.db.models import ProtectedError
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from assignments import demo
from assignments.models import AssignedOrder, AssignedOrderHistory
from assignments.permissions import DISPATCHERS_GROUP
from tests.accounts.factories import UserFactory
from tests.assignments.factories import AssignedOrderFactory
from tests.conftest import login
from tests.plans import changelist_plan

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


def test_admin_change_form_cannot_move_the_state_machine(admin_client: Client) -> None:
    order = AssignedOrderFactory(order_id="ord-ro")
    url = f"/admin/assignments/assignedorder/{order.pk}/change/"

    page = admin_client.get(url)
    response = admin_client.post(
        url,
        {
            "order_id": "ord-ro",
            "executor_id": "other",
            "zone_id": "z9",
            "status": "completed",
            "completed_at_0": "2025-01-01",
            "completed_at_1": "10:00:00",
            "history-TOTAL_FORMS": "0",
            "history-INITIAL_FORMS": "0",
        },
    )

    form = page.context["adminform"].form
    assert not {"status", "assigned_at", "acquired_at", "completed_at", "cancelled_at"} & set(form.fields)
    assert response.status_code == 302
    assert AssignedOrder.objects.filter(pk=order.pk).values_list("status", "executor_id", "completed_at").get() == (
        "assigned",
        order.executor_id,
        None,
    )
    assert not AssignedOrderHistory.objects.exists()


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


# --- the audit trail: nothing is removed or rewritten ---------------------------------------------

HISTORY_URL = "/admin/assignments/assignedorderhistory/"
ORDERS_URL = "/admin/assignments/assignedorder/"


def _history_row(**kwargs: object) -> AssignedOrderHistory:
    return AssignedOrderHistory.objects.create(
        assigned_order=kwargs.pop("assigned_order", None) or AssignedOrderFactory(),
        **{"action": "assign", "from_status": "", "to_status": "assigned", **kwargs},
    )


def _actions(client: Client, url: str) -> list[str]:
    form = client.get(url).context["action_form"]  # None when no action is available
    return [name for name, _ in form.fields["action"].choices if name] if form else []


def test_admin_history_is_read_only_even_for_a_superuser(admin_client: Client) -> None:
    row = _history_row()
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    model_admin = admin.site._registry[AssignedOrderHistory]

    permissions = (
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request, row),
        model_admin.has_delete_permission(request, row),
        model_admin.has_view_permission(request, row),
    )

    assert permissions == (False, False, False, True)
    assert _actions(admin_client, HISTORY_URL) == []
    assert admin_client.get(f"{HISTORY_URL}add/").status_code == 403
    assert admin_client.post(f"{HISTORY_URL}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(HISTORY_URL, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert admin_client.post(f"{HISTORY_URL}{row.pk}/change/", {"action": "cancel"}).status_code == 403
    assert admin_client.get(f"{HISTORY_URL}{row.pk}/change/").status_code == 200  # view only
    assert AssignedOrderHistory.objects.filter(pk=row.pk, action="assign").exists()


def test_admin_never_removes_an_order_and_its_history(admin_client: Client) -> None:
    row = _history_row()
    order = row.assigned_order

    assert _actions(admin_client, ORDERS_URL) == ["cancel_selected", "complete_selected"]
    assert admin_client.post(f"{ORDERS_URL}{order.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(ORDERS_URL, {"action": "delete_selected", "_selected_action": [order.pk], "post": "yes"})

    assert AssignedOrderHistory.objects.filter(pk=row.pk).exists()
    with pytest.raises(ProtectedError):  # nor from code: the history protects its order
        order.delete()


def test_admin_history_lists_newest_first_and_filters_by_action_and_date(admin_client: Client) -> None:
    now = timezone.now()
    old = _history_row(created_at=now - timedelta(days=30))
    new = _history_row(created_at=now)
    cancel = _history_row(action="cancel", from_status="assigned", to_status="cancelled", created_at=now)

    listed = admin_client.get(HISTORY_URL).context["cl"].result_list
    by_action = admin_client.get(HISTORY_URL, {"action__exact": "cancel"}).context["cl"].result_list
    recent = admin_client.get(HISTORY_URL, {"created_at__gte": (now - timedelta(days=7)).isoformat()})

    assert list(listed) == [cancel, new, old]
    assert list(by_action) == [cancel]
    assert list(recent.context["cl"].result_list) == [cancel, new]


def _changelist_plan(client: Client, params: dict[str, str]) -> str:
    return changelist_plan(client, HISTORY_URL, params, AssignedOrderHistory._meta.db_table)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({}, "assign_history_created_idx"),
        ({"created_at__gte": "2025-01-01T00:00:00+00:00"}, "assign_history_created_idx"),
        ({"action__exact": "cancel"}, "assign_history_action_idx"),
        ({"action__exact": "cancel", "created_at__gte": "2025-01-01T00:00:00+00:00"}, "assign_history_action_idx"),
    ],
)
def test_admin_history_pages_read_an_index_in_page_order(
    admin_client: Client, params: dict[str, str], index: str
) -> None:
    orders = AssignedOrderFactory.create_batch(3)
    AssignedOrderHistory.objects.bulk_create(
        AssignedOrderHistory(
            assigned_order=orders[n % 3],
            action="cancel" if n % 6 == 0 else "assign",  # either action fills more than one page
            from_status="",
            to_status="assigned",
            created_at=timezone.now() - timedelta(minutes=n),
        )
        for n in range(1200)
    )

    plan = _changelist_plan(admin_client, params)

    assert index in plan, plan
    assert "Sort" not in plan, plan
