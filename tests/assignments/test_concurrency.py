"""Real concurrency on PostgreSQL: threads, each with its own client and database connection."""

import threading
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from assignments.models import AssignedOrder, AssignedOrderHistory
from tests.assignments.factories import AssignedOrderFactory
from tests.conftest import login

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CREATED = {"message": "Successfully created"}
ALREADY_EXISTS = {"message": "AssignedOrder with provided orderId already exists"}


def _bearer(user: User) -> str:
    client = APIClient()
    return f"Bearer {login(client, user)['access']}"


def run_at_once(calls: list[Callable[[APIClient], object]], bearers: list[str]) -> list[tuple[int, dict]]:
    """Run each call in its own thread with its own client, released together; returns (status, body) in order."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[int, dict] | BaseException | None] = [None] * len(calls)

    def worker(index: int) -> None:
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=bearers[index])
            barrier.wait(timeout=30)
            response = calls[index](client)
            results[index] = (response.status_code, response.json())  # type: ignore[attr-defined]
        except BaseException as exc:  # reported by the assertion below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(isinstance(result, tuple) for result in results), results
    return results  # type: ignore[return-value]


def assert_history_is_a_chain(order: AssignedOrder, start: str = "") -> None:
    """Each history row starts where the previous ended, and the last ends at the row's status.

    `start` is the status before the first row: empty for orders created through the API (their first row
    is the creation), the factory's status otherwise (factories write no history).
    """
    rows = list(order.history.order_by("created_at", "id").values_list("from_status", "to_status"))
    previous = start
    for from_status, to_status in rows:
        assert from_status == previous, rows
        previous = to_status
    assert previous == order.status, rows


def test_fifty_identical_assigns_at_once_create_one_order(dispatcher: User) -> None:
    url = "/orders/assign?" + urlencode({"order_id": "ord-race", "executor_id": "77", "zone_id": "z1"})
    bearer = _bearer(dispatcher)

    results = run_at_once([lambda c: c.put(url)] * 50, [bearer] * 50)

    counts = Counter((status, body["message"]) for status, body in results)
    assert counts == {(200, CREATED["message"]): 1, (400, ALREADY_EXISTS["message"]): 49}, counts
    assert AssignedOrder.objects.count() == 1
    order = AssignedOrder.objects.get()
    assert (order.order_id, order.executor_id, order.status) == ("ord-race", "77", "assigned")
    assert AssignedOrderHistory.objects.count() == 1


def test_one_order_id_sent_to_different_executors_at_once_is_decided_by_the_unique_constraint(
    dispatcher: User,
) -> None:
    # Different executors, so nothing serializes these requests but the unique constraint on order_id.
    for executor in range(10):
        AssignedOrderFactory(executor_id=f"e{executor}", order_id=f"current-{executor}")
    bearer = _bearer(dispatcher)
    urls = [
        "/orders/assign?" + urlencode({"order_id": "ord-x", "executor_id": f"e{i}", "zone_id": "z"}) for i in range(10)
    ]

    results = run_at_once([lambda c, u=url: c.put(u) for url in urls], [bearer] * 10)

    assert Counter(status for status, _ in results) == {200: 1, 400: 9}
    assert all(body == ALREADY_EXISTS for status, body in results if status == 400)
    winner = AssignedOrder.objects.get(order_id="ord-x")
    # only the winner's previous order was completed; the refused assigns changed nothing
    completed = set(AssignedOrder.objects.filter(status="completed").values_list("executor_id", flat=True))
    assert completed == {winner.executor_id}
    assert AssignedOrder.objects.filter(status="assigned").count() == 10


def test_different_orders_for_one_executor_at_once_leave_exactly_one_active(dispatcher: User) -> None:
    bearer = _bearer(dispatcher)
    urls = [
        "/orders/assign?" + urlencode({"order_id": f"ord-{i}", "executor_id": "99", "zone_id": "z"}) for i in range(10)
    ]

    results = run_at_once([lambda c, u=url: c.put(u) for url in urls], [bearer] * 10)

    assert results == [(200, CREATED)] * 10
    assert AssignedOrder.objects.filter(executor_id="99", status="assigned").count() == 1
    assert AssignedOrder.objects.filter(executor_id="99", status="completed").count() == 9
    for order in AssignedOrder.objects.all():
        assert_history_is_a_chain(order)


def test_acquire_and_cancel_of_one_order_at_once_end_in_a_valid_state(dispatcher: User, executor: User) -> None:
    dispatcher_bearer, executor_bearer = _bearer(dispatcher), _bearer(executor)
    outcomes = Counter()
    for round_ in range(8):
        order = AssignedOrderFactory(order_id=f"ord-{round_}", executor_id=str(executor.pk))

        acquired, cancelled = run_at_once(
            [
                lambda c: c.get(f"/order/acquire?executor_id={executor.pk}"),
                lambda c, o=order: c.post(f"/order/cancel?order_id={o.order_id}"),
            ],
            [executor_bearer, dispatcher_bearer],
        )

        order.refresh_from_db()
        # cancel always wins in the end (assigned and acquired are both cancellable) ...
        assert cancelled == (200, {"message": "Successfully canceled"})
        assert order.status == "cancelled"
        assert order.cancelled_at is not None
        # ... and acquire either came first (and saw the order) or came after (and saw none)
        assert acquired[0] == 200
        if acquired[1]["message"] == "Successfully acquired":
            assert acquired[1]["order_profile"]["status"] == "acquired"
            assert order.acquired_at is not None
            assert [h.action for h in order.history.order_by("id")] == ["acquire", "cancel"]
        else:
            assert acquired[1] == {"message": "There are no orders assigned to you"}
            assert order.acquired_at is None
        assert_history_is_a_chain(order, start="assigned")
        outcomes[acquired[1]["message"]] += 1
    assert sum(outcomes.values()) == 8


def test_cancel_and_complete_of_one_order_at_once_exactly_one_wins(dispatcher: User) -> None:
    bearer = _bearer(dispatcher)
    for round_ in range(5):
        order = AssignedOrderFactory(order_id=f"ord-{round_}", status="acquired")

        cancelled, completed = run_at_once(
            [
                lambda c, o=order: c.post(f"/order/cancel?order_id={o.order_id}"),
                lambda c, o=order: c.post(f"/order/complete?order_id={o.order_id}"),
            ],
            [bearer, bearer],
        )

        order.refresh_from_db()
        wins = [cancelled[1]["message"] == "Successfully canceled", completed[1]["message"] == "Successfully completed"]
        assert wins.count(True) == 1, (cancelled, completed)
        assert order.status == ("cancelled" if wins[0] else "completed")
        assert order.history.count() == 1
        assert_history_is_a_chain(order, start="acquired")
