"""Document 002 line by line, plus complete and the dispatchers' list."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from assignments.models import AssignedOrder, AssignedOrderHistory, AssignedOrderStatus
from tests.accounts.factories import UserFactory
from tests.assignments.factories import AssignedOrderFactory
from tests.conftest import login

pytestmark = pytest.mark.django_db

MISSING_ASSIGN = {"message": "Missing parameters, please provide order_id, executor_id and zone_id"}
MISSING_EXECUTOR = {"message": "Missing parameters, please provide executor_id"}
MISSING_ORDER = {"message": "Missing parameters, please provide order_id"}
ALREADY_EXISTS = {"message": "AssignedOrder with provided orderId already exists"}
CREATED = {"message": "Successfully created"}
NOTHING_ASSIGNED = {"message": "There are no orders assigned to you"}
CANCELED = {"message": "Successfully canceled"}
COMPLETED = {"message": "Successfully completed"}
FORBIDDEN = {"detail": "You do not have permission to perform this action."}
MODELS = ("assignedorder", "assignedorderhistory")


def _url(path: str, **params: str) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def assign(client: APIClient, path: str = "/orders/assign", **params: str):  # type: ignore[no-untyped-def]
    return client.put(_url(path, **params))


def acquire(client: APIClient, path: str = "/order/acquire", **params: str):  # type: ignore[no-untyped-def]
    return client.get(_url(path, **params))


def cancel(client: APIClient, path: str = "/order/cancel", **params: str):  # type: ignore[no-untyped-def]
    return client.post(_url(path, **params))


def complete(client: APIClient, path: str = "/order/complete", **params: str):  # type: ignore[no-untyped-def]
    return client.post(_url(path, **params))


def not_cancelable(order_id: str) -> dict[str, str]:
    return {"message": f"AssignedOrder with OrderId {order_id} does not exist or has already been canceled"}


def not_completable(order_id: str) -> dict[str, str]:
    return {"message": f"AssignedOrder with OrderId {order_id} does not exist or has not been acquired"}


def history(order: AssignedOrder) -> list[tuple[str, str, str]]:
    return list(
        AssignedOrderHistory.objects.filter(assigned_order=order)
        .order_by("created_at", "id")
        .values_list("action", "from_status", "to_status")
    )


# --- PUT /orders/assign -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"executor_id": "7", "zone_id": "z1"},
        {"order_id": "o1", "zone_id": "z1"},
        {"order_id": "o1", "executor_id": "7"},
        {"order_id": "", "executor_id": "7", "zone_id": "z1"},
        {"order_id": "o1", "executor_id": "", "zone_id": "z1"},
        {"order_id": "o1", "executor_id": "7", "zone_id": "   "},
    ],
)
def test_assign_without_a_parameter_is_400(dispatcher_client: APIClient, params: dict[str, str]) -> None:
    response = assign(dispatcher_client, **params)
    assert response.status_code == 400
    assert response.json() == MISSING_ASSIGN
    assert not AssignedOrder.objects.exists()


def test_assign_creates_the_order(dispatcher_client: APIClient, dispatcher: User) -> None:
    response = assign(dispatcher_client, order_id="ord-1", executor_id="42", zone_id="zone-north")

    assert response.status_code == 200
    assert response.json() == CREATED
    order = AssignedOrder.objects.get()
    assert (order.order_id, order.executor_id, order.zone_id, order.status) == ("ord-1", "42", "zone-north", "assigned")
    assert order.assigned_at is not None
    assert (order.acquired_at, order.completed_at, order.cancelled_at) == (None, None, None)
    assert history(order) == [("assign", "", "assigned")]
    assert order.history.get().actor == dispatcher


def test_assign_stores_identifiers_exactly_as_given(dispatcher_client: APIClient) -> None:
    response = assign(dispatcher_client, order_id=" ORD/1 ä ", executor_id="007", zone_id="Zone North")
    assert response.status_code == 200
    order = AssignedOrder.objects.get()
    assert (order.order_id, order.executor_id, order.zone_id) == (" ORD/1 ä ", "007", "Zone North")


def test_assign_of_a_known_order_id_is_400_and_changes_nothing(dispatcher_client: APIClient) -> None:
    # given: ord-1 with executor 1, and executor 2 carrying ord-2
    assert assign(dispatcher_client, order_id="ord-1", executor_id="1", zone_id="z1").status_code == 200
    assert assign(dispatcher_client, order_id="ord-2", executor_id="2", zone_id="z1").status_code == 200
    before = list(AssignedOrder.objects.order_by("id").values())
    history_before = AssignedOrderHistory.objects.count()

    # when: ord-1 is sent again, to executor 2 (whose ord-2 would otherwise be completed)
    response = assign(dispatcher_client, order_id="ord-1", executor_id="2", zone_id="z2")

    # then
    assert response.status_code == 400
    assert response.json() == ALREADY_EXISTS
    assert list(AssignedOrder.objects.order_by("id").values()) == before
    assert AssignedOrderHistory.objects.count() == history_before


def test_a_retried_assign_leaves_the_state_of_one_call(dispatcher_client: APIClient) -> None:
    params = {"order_id": "ord-1", "executor_id": "1", "zone_id": "z1"}
    first = assign(dispatcher_client, **params)
    state = list(AssignedOrder.objects.values())

    second = assign(dispatcher_client, **params)

    assert (first.status_code, first.json()) == (200, CREATED)
    assert (second.status_code, second.json()) == (400, ALREADY_EXISTS)
    assert list(AssignedOrder.objects.values()) == state
    assert AssignedOrderHistory.objects.count() == 1


@pytest.mark.parametrize("status", [AssignedOrderStatus.ASSIGNED, AssignedOrderStatus.ACQUIRED])
def test_a_new_assignment_completes_the_executors_active_order(dispatcher_client: APIClient, status: str) -> None:
    current = AssignedOrderFactory(executor_id="9", status=status)

    response = assign(dispatcher_client, order_id="ord-new", executor_id="9", zone_id="z1")

    assert (response.status_code, response.json()) == (200, CREATED)
    current.refresh_from_db()
    assert current.status == AssignedOrderStatus.COMPLETED
    assert current.completed_at is not None
    assert history(current) == [("supersede", status, "completed")]
    new = AssignedOrder.objects.get(order_id="ord-new")
    assert new.status == AssignedOrderStatus.ASSIGNED
    assert AssignedOrder.objects.filter(executor_id="9", status__in=["assigned", "acquired"]).count() == 1


def test_a_new_assignment_leaves_other_executors_and_finished_orders_alone(dispatcher_client: APIClient) -> None:
    other = AssignedOrderFactory(executor_id="8")
    cancelled = AssignedOrderFactory(executor_id="9", status="cancelled", cancelled_at=timezone.now())

    assert assign(dispatcher_client, order_id="ord-new", executor_id="9", zone_id="z1").status_code == 200

    other.refresh_from_db()
    cancelled.refresh_from_db()
    assert other.status == "assigned"
    assert (cancelled.status, cancelled.completed_at) == ("cancelled", None)


@pytest.mark.parametrize("path", ["/orders/assign", "/orders/assign/", "/order/assign", "/order/assign/"])
def test_assign_is_served_with_and_without_slash_and_never_redirected(dispatcher_client: APIClient, path: str) -> None:
    response = assign(dispatcher_client, path, order_id=f"ord{path}", executor_id="1", zone_id="z1")
    assert (response.status_code, response.json()) == (200, CREATED)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"order_id": "o" * 65, "executor_id": "1", "zone_id": "z"}, "order_id"),
        ({"order_id": "o1", "executor_id": "1" * 65, "zone_id": "z"}, "executor_id"),
        ({"order_id": "o1", "executor_id": "1", "zone_id": "z\x00"}, "zone_id"),
    ],
)
def test_assign_with_an_invalid_parameter_is_400_with_field_errors(
    dispatcher_client: APIClient, params: dict[str, str], field: str
) -> None:
    response = assign(dispatcher_client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Invalid parameters"
    assert list(body["errors"]) == [field]
    assert not AssignedOrder.objects.exists()


def test_assign_accepts_64_character_identifiers(dispatcher_client: APIClient) -> None:
    response = assign(dispatcher_client, order_id="o" * 64, executor_id="e" * 64, zone_id="z" * 64)
    assert (response.status_code, response.json()) == (200, CREATED)


def test_assign_needs_a_token(api_client: APIClient) -> None:
    response = assign(api_client, order_id="o1", executor_id="1", zone_id="z")
    assert response.status_code == 401
    assert not AssignedOrder.objects.exists()


def test_assign_is_for_dispatchers_only(executor_client: APIClient) -> None:
    response = assign(executor_client, order_id="o1", executor_id="1", zone_id="z")
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    assert not AssignedOrder.objects.exists()


def test_assign_needs_a_confirmed_email(dispatcher: User) -> None:
    dispatcher.confirmed_email = False
    dispatcher.save(update_fields=["confirmed_email"])
    client = APIClient()
    login(client, dispatcher)
    response = assign(client, order_id="o1", executor_id="1", zone_id="z")
    assert (response.status_code, response.json()) == (403, FORBIDDEN)


def test_the_dispatcher_right_is_a_model_permission_editable_per_user() -> None:
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_assignedorder"))
    client = APIClient()
    login(client, user)
    assert assign(client, order_id="o1", executor_id="1", zone_id="z").status_code == 200
    assert cancel(client, order_id="o1").status_code == 403  # change permission not granted


def test_the_dispatchers_group_holds_every_assignments_permission_and_comes_back() -> None:
    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.core.management.sql import emit_post_migrate_signal

    from assignments.permissions import DISPATCHERS_GROUP

    codenames = {f"{right}_{model}" for right in ("add", "change", "delete", "view") for model in MODELS}

    def held() -> set[str]:
        group = Group.objects.get(name=DISPATCHERS_GROUP)
        return set(group.permissions.values_list("codename", flat=True))

    assert held() == codenames  # from migration 0002

    Group.objects.filter(name=DISPATCHERS_GROUP).delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default", apps=apps)  # as after a flush

    assert held() == codenames


def test_assign_answers_only_put(dispatcher_client: APIClient) -> None:
    response = dispatcher_client.get(_url("/orders/assign", order_id="o1", executor_id="1", zone_id="z"))
    assert response.status_code == 405
    assert not AssignedOrder.objects.exists()


# --- GET /order/acquire -----------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"executor_id": ""}, {"order_id": "x"}])
def test_acquire_without_executor_id_is_400(executor_client: APIClient, params: dict[str, str]) -> None:
    response = acquire(executor_client, **params)
    assert (response.status_code, response.json()) == (400, MISSING_EXECUTOR)


def test_acquire_takes_my_active_order_with_its_whole_profile(executor_client: APIClient, executor: User) -> None:
    order = AssignedOrderFactory(order_id="ord-5", executor_id=str(executor.pk), zone_id="zone-7")
    before = timezone.now()

    response = acquire(executor_client, executor_id=str(executor.pk))

    assert response.status_code == 200
    body = response.json()
    order.refresh_from_db()
    assert order.status == AssignedOrderStatus.ACQUIRED
    assert order.acquired_at is not None
    assert order.acquired_at >= before
    assert body == {
        "message": "Successfully acquired",
        "order_profile": {
            "id": order.pk,
            "order_id": "ord-5",
            "executor_id": str(executor.pk),
            "zone_id": "zone-7",
            "status": "acquired",
            "assigned_at": order.assigned_at.isoformat().replace("+00:00", "Z"),
            "acquired_at": order.acquired_at.isoformat().replace("+00:00", "Z"),
            "completed_at": None,
            "cancelled_at": None,
        },
    }
    assert history(order) == [("acquire", "assigned", "acquired")]


def test_acquire_again_returns_the_same_order_and_refreshes_acquired_at(
    executor_client: APIClient, executor: User
) -> None:
    order = AssignedOrderFactory(executor_id=str(executor.pk))
    first = acquire(executor_client, executor_id=str(executor.pk)).json()
    AssignedOrder.objects.filter(pk=order.pk).update(acquired_at=timezone.now() - timedelta(minutes=5))

    second = acquire(executor_client, path="/order/acquire/", executor_id=str(executor.pk)).json()

    assert second["message"] == "Successfully acquired"
    assert second["order_profile"]["id"] == first["order_profile"]["id"] == order.pk
    order.refresh_from_db()
    assert order.acquired_at > timezone.now() - timedelta(minutes=1)
    assert history(order) == [("acquire", "assigned", "acquired")]  # status changed once


def test_acquire_again_and_acquiring_nothing_take_one_statement(
    executor_client: APIClient, executor: User, django_assert_num_queries
) -> None:
    # session+user, then one statement: the conditional UPDATE, or finding no active order
    with django_assert_num_queries(2):
        assert acquire(executor_client, executor_id=str(executor.pk)).json() == NOTHING_ASSIGNED
    order = AssignedOrderFactory(executor_id=str(executor.pk))
    # the first acquire moves the order under its lock: that statement, then lock, update, history row and event
    # (in a savepoint here: the test runs in a transaction)
    with django_assert_num_queries(8):
        assert acquire(executor_client, executor_id=str(executor.pk)).json()["order_profile"]["status"] == "acquired"
    with django_assert_num_queries(2):
        again = acquire(executor_client, executor_id=str(executor.pk)).json()
    order.refresh_from_db()
    assert again == {
        "message": "Successfully acquired",
        "order_profile": {
            "id": order.pk,
            "order_id": order.order_id,
            "executor_id": str(executor.pk),
            "zone_id": order.zone_id,
            "status": "acquired",
            "assigned_at": order.assigned_at.isoformat().replace("+00:00", "Z"),
            "acquired_at": order.acquired_at.isoformat().replace("+00:00", "Z"),
            "completed_at": None,
            "cancelled_at": None,
        },
    }
    assert history(order) == [("acquire", "assigned", "acquired")]


def test_acquire_with_nothing_ever_assigned(executor_client: APIClient, executor: User) -> None:
    response = acquire(executor_client, executor_id=str(executor.pk))
    assert (response.status_code, response.json()) == (200, NOTHING_ASSIGNED)


def test_acquire_when_every_order_was_completed_or_cancelled(executor_client: APIClient, executor: User) -> None:
    now = timezone.now()
    AssignedOrderFactory(executor_id=str(executor.pk), status="completed", completed_at=now)
    AssignedOrderFactory(executor_id=str(executor.pk), status="cancelled", cancelled_at=now)
    AssignedOrderFactory(executor_id="someone-else")

    response = acquire(executor_client, executor_id=str(executor.pk))

    assert (response.status_code, response.json()) == (200, NOTHING_ASSIGNED)
    assert AssignedOrder.objects.filter(status="acquired").count() == 0


def test_acquire_for_another_executor_is_403(executor_client: APIClient, dispatcher: User) -> None:
    order = AssignedOrderFactory(executor_id=str(dispatcher.pk))
    response = acquire(executor_client, executor_id=str(dispatcher.pk))
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    order.refresh_from_db()
    assert order.status == "assigned"


def test_dispatchers_cannot_acquire_for_executors(dispatcher_client: APIClient, executor: User) -> None:
    AssignedOrderFactory(executor_id=str(executor.pk))
    response = acquire(dispatcher_client, executor_id=str(executor.pk))
    assert (response.status_code, response.json()) == (403, FORBIDDEN)


def test_acquire_needs_a_token(api_client: APIClient) -> None:
    assert acquire(api_client, executor_id="1").status_code == 401


# --- POST /order/cancel -----------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"order_id": ""}, {"executor_id": "1"}])
def test_cancel_without_order_id_is_400(dispatcher_client: APIClient, params: dict[str, str]) -> None:
    response = cancel(dispatcher_client, **params)
    assert (response.status_code, response.json()) == (400, MISSING_ORDER)


@pytest.mark.parametrize("status", [AssignedOrderStatus.ASSIGNED, AssignedOrderStatus.ACQUIRED])
def test_cancel_an_active_order(dispatcher_client: APIClient, status: str) -> None:
    order = AssignedOrderFactory(order_id="ord-3", status=status)

    response = cancel(dispatcher_client, order_id="ord-3")

    assert (response.status_code, response.json()) == (200, CANCELED)
    order.refresh_from_db()
    assert order.status == AssignedOrderStatus.CANCELLED
    assert order.cancelled_at is not None
    assert history(order) == [("cancel", status, "cancelled")]


def test_a_cancelled_order_is_no_longer_acquired(
    dispatcher_client: APIClient, executor_client: APIClient, executor: User
) -> None:
    AssignedOrderFactory(order_id="ord-3", executor_id=str(executor.pk))
    assert cancel(dispatcher_client, path="/order/cancel/", order_id="ord-3").json() == CANCELED
    assert acquire(executor_client, executor_id=str(executor.pk)).json() == NOTHING_ASSIGNED


@pytest.mark.parametrize(
    ("status", "stamp"),
    [(AssignedOrderStatus.CANCELLED, "cancelled_at"), (AssignedOrderStatus.COMPLETED, "completed_at")],
)
def test_cancel_a_finished_order_says_so_and_changes_nothing(
    dispatcher_client: APIClient, status: str, stamp: str
) -> None:
    order = AssignedOrderFactory(order_id="ord-4", status=status, **{stamp: timezone.now()})
    before = AssignedOrder.objects.filter(pk=order.pk).values().get()

    response = cancel(dispatcher_client, order_id="ord-4")

    assert (response.status_code, response.json()) == (200, not_cancelable("ord-4"))
    assert AssignedOrder.objects.filter(pk=order.pk).values().get() == before
    assert not AssignedOrderHistory.objects.exists()


def test_cancel_an_unknown_order_names_it(dispatcher_client: APIClient) -> None:
    response = cancel(dispatcher_client, order_id="no such/ord 1")
    assert (response.status_code, response.json()) == (200, not_cancelable("no such/ord 1"))


def test_cancel_is_for_dispatchers_only(executor_client: APIClient, executor: User) -> None:
    order = AssignedOrderFactory(order_id="ord-3", executor_id=str(executor.pk))
    response = cancel(executor_client, order_id="ord-3")
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    order.refresh_from_db()
    assert order.status == "assigned"


# --- POST /order/complete ---------------------------------------------------------------------------------


def test_complete_an_acquired_order(dispatcher_client: APIClient) -> None:
    order = AssignedOrderFactory(order_id="ord-6", status="acquired", acquired_at=timezone.now())

    response = complete(dispatcher_client, order_id="ord-6")

    assert (response.status_code, response.json()) == (200, COMPLETED)
    order.refresh_from_db()
    assert order.status == "completed"
    assert order.completed_at is not None
    assert history(order) == [("complete", "acquired", "completed")]


@pytest.mark.parametrize(
    ("status", "stamp"),
    [("assigned", "assigned_at"), ("cancelled", "cancelled_at"), ("completed", "completed_at")],
)
def test_complete_refuses_orders_that_are_not_acquired(dispatcher_client: APIClient, status: str, stamp: str) -> None:
    order = AssignedOrderFactory(order_id="ord-6", status=status, **{stamp: timezone.now()})
    response = complete(dispatcher_client, path="/order/complete/", order_id="ord-6")
    assert (response.status_code, response.json()) == (200, not_completable("ord-6"))
    order.refresh_from_db()
    assert order.status == status


def test_complete_an_unknown_order_and_without_order_id(dispatcher_client: APIClient) -> None:
    assert complete(dispatcher_client, order_id="nope").json() == not_completable("nope")
    response = complete(dispatcher_client)
    assert (response.status_code, response.json()) == (400, MISSING_ORDER)


def test_complete_is_for_dispatchers_only(executor_client: APIClient) -> None:
    AssignedOrderFactory(order_id="ord-6", status="acquired", acquired_at=timezone.now())
    assert complete(executor_client, order_id="ord-6").status_code == 403


def test_the_full_life_of_an_order(dispatcher_client: APIClient, executor_client: APIClient, executor: User) -> None:
    me = str(executor.pk)
    assert assign(dispatcher_client, order_id="life-1", executor_id=me, zone_id="z").json() == CREATED
    assert acquire(executor_client, executor_id=me).json()["order_profile"]["order_id"] == "life-1"
    assert complete(dispatcher_client, order_id="life-1").json() == COMPLETED
    assert acquire(executor_client, executor_id=me).json() == NOTHING_ASSIGNED
    assert cancel(dispatcher_client, order_id="life-1").json() == not_cancelable("life-1")
    order = AssignedOrder.objects.get(order_id="life-1")
    assert history(order) == [
        ("assign", "", "assigned"),
        ("acquire", "assigned", "acquired"),
        ("complete", "acquired", "completed"),
    ]


# --- GET /api/assignments/ --------------------------------------------------------------------------------


def test_list_is_paginated_newest_first(dispatcher_client: APIClient) -> None:
    now = timezone.now()
    old = AssignedOrderFactory(assigned_at=now - timedelta(days=2))
    new = AssignedOrderFactory(assigned_at=now)

    response = dispatcher_client.get("/api/assignments/", {"page_size": 1})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["order_id"] for row in body["results"]] == [new.order_id]
    assert body["next"] is not None
    assert set(body["results"][0]) == {
        "id",
        "order_id",
        "executor_id",
        "zone_id",
        "status",
        "assigned_at",
        "acquired_at",
        "completed_at",
        "cancelled_at",
    }
    second = dispatcher_client.get("/api/assignments", {"page_size": 1, "page": 2}).json()
    assert [row["order_id"] for row in second["results"]] == [old.order_id]


def test_list_filters(dispatcher_client: APIClient) -> None:
    now = timezone.now()
    a = AssignedOrderFactory(executor_id="e1", zone_id="z1", assigned_at=now - timedelta(days=3))
    b = AssignedOrderFactory(executor_id="e2", zone_id="z1", status="acquired", acquired_at=now, assigned_at=now)
    c = AssignedOrderFactory(executor_id="e1", zone_id="z2", status="cancelled", cancelled_at=now, assigned_at=now)

    def ids(**params: object) -> set[str]:
        response = dispatcher_client.get("/api/assignments/", params)
        assert response.status_code == 200, response.content
        return {row["order_id"] for row in response.json()["results"]}

    assert ids(executor_id="e1") == {a.order_id, c.order_id}
    assert ids(zone_id="z1") == {a.order_id, b.order_id}
    assert ids(status="acquired") == {b.order_id}
    assert ids(status=["acquired", "cancelled"]) == {b.order_id, c.order_id}
    assert ids(assigned_from=(now - timedelta(days=1)).isoformat()) == {b.order_id, c.order_id}
    assert ids(assigned_to=(now - timedelta(days=1)).isoformat()) == {a.order_id}
    assert ids(executor_id="e1", zone_id="z2", status="cancelled") == {c.order_id}


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"status": "lost"}, "invalid_choice", "Select a valid choice. lost is not one of the available choices."),
        ({"assigned_from": "yesterday"}, "invalid", "Enter a valid date/time."),
    ],
)
def test_list_with_a_bad_filter_is_400_with_field_errors(
    dispatcher_client: APIClient, params: dict[str, str], code: str, message: str
) -> None:
    # The list is the product's own endpoint (not document 002's): {"detail", "code", "fields"}.
    response = dispatcher_client.get("/api/assignments/", params)
    assert response.status_code == 400
    [name] = params
    assert response.json() == {"detail": "Invalid input.", "code": code, "fields": {name: [message]}}


def test_list_refusals_carry_their_code(executor_client: APIClient, api_client: APIClient) -> None:
    assert executor_client.get("/api/assignments/").json() == {**FORBIDDEN, "code": "permission_denied"}
    assert api_client.get("/api/assignments/").json() == {
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    }


def test_list_is_for_dispatchers_only(executor_client: APIClient, api_client: APIClient) -> None:
    AssignedOrderFactory()
    assert executor_client.get("/api/assignments/").status_code == 403
    assert api_client.get("/api/assignments/").status_code == 401


@pytest.mark.parametrize("rows", [1, 30])
def test_list_query_count_does_not_grow_with_rows(
    dispatcher_client: APIClient, django_assert_num_queries, rows: int
) -> None:
    AssignedOrderFactory.create_batch(rows)
    # session+user, user permissions, group permissions, count, page
    with django_assert_num_queries(5):
        response = dispatcher_client.get("/api/assignments/", {"page_size": 50})
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows
