"""GET /v2/orders/{order_id} and DELETE /v2/orders/ against a fake partner over real HTTP."""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from partner.fake_partner import FakePartner
from partner.models import OutboxEvent, PartnerOrder, PartnerOrderStatusChange
from partner.services import partner_orders_poll
from tests.partner.conftest import place
from tests.partner.factories import partner_service_user
from tests.support.auth import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(service_client: APIClient, fake_partner) -> str:
    """Our order 10, placed; returns their order id."""
    return place(service_client, 10)["data"]["their_order_id"]


@pytest.mark.parametrize(
    ("their_status", "status_id"),
    [
        ("accepted", 1),
        ("delivery", 1),
        ("done", 2),
        ("cancelled", 3),
        ("in_shop", 4),
        ("lost_in_space", -1),
    ],
)
def test_each_partner_status_maps_and_is_stored_with_history_and_an_event(
    service_client: APIClient, fake_partner, placed: str, their_status: str, status_id: int
) -> None:
    fake_partner.set_status(placed, their_status)
    response = service_client.get("/v2/orders/10")
    assert response.status_code == 200
    assert response.json() == {
        "result": "success",
        "status_id": status_id,
        "their_status_id": their_status,
        "their_items": [
            {"id": "58", "quantity": 10, "price": "10.00"},
            {"id": "21737", "quantity": 12, "price": "10.00"},
        ],
    }
    order = PartnerOrder.objects.get(order_id=10)
    assert (order.status_id, order.their_status_id) == (status_id, their_status)
    change = PartnerOrderStatusChange.objects.filter(order=order).first()
    assert (change.previous_status_id, change.status_id, change.source) == (0, status_id, "status_request")
    event = OutboxEvent.objects.filter(order=order).last()
    assert event.event_type == ("cancelled" if status_id == 3 else "status_changed")
    assert event.payload["status_id"] == status_id
    assert event.payload["their_status_id"] == their_status


def test_created_maps_to_0_and_an_unchanged_status_writes_nothing(
    service_client: APIClient, fake_partner, placed: str
) -> None:
    first = service_client.get("/v2/orders/10").json()
    events = OutboxEvent.objects.count()
    second = service_client.get("/v2/orders/10").json()
    assert first["status_id"] == second["status_id"] == 0
    assert second["their_status_id"] == "created"
    # the first read brought the partner's items (an event); the second changed nothing
    assert OutboxEvent.objects.count() == events
    assert PartnerOrderStatusChange.objects.count() == 1


def test_an_unknown_status_is_counted(service_client: APIClient, fake_partner, placed: str) -> None:
    before = REGISTRY.get_sample_value("partnerapi_status_mapping_errors_total") or 0
    fake_partner.set_status(placed, "teleported")
    assert service_client.get("/v2/orders/10").json()["status_id"] == -1
    assert REGISTRY.get_sample_value("partnerapi_status_mapping_errors_total") == before + 1


def test_their_order_id_may_be_given_and_must_match(service_client: APIClient, fake_partner, placed: str) -> None:
    assert service_client.get(f"/v2/orders/10?their_order_id={placed}").json()["result"] == "success"
    response = service_client.get("/v2/orders/10?their_order_id=999")
    assert response.status_code == 400
    assert "their_order_id" in response.json()


def test_status_when_the_partner_fails_is_an_error_message(
    service_client: APIClient, fake_partner, placed: str
) -> None:
    fake_partner.fail("/orders-data", times=3)
    response = service_client.get("/v2/orders/10")
    assert response.status_code == 200
    assert response.json() == {"result": "error", "message": "The partner is unavailable, try again later."}
    assert fake_partner.calls("/orders-data") == 3
    fake_partner.garbage("/orders-data")
    assert service_client.get("/v2/orders/10").json() == {
        "result": "error",
        "message": "The partner gave an unexpected answer.",
    }


def test_status_of_an_unknown_or_unplaced_order_is_404(service_client: APIClient, fake_partner) -> None:
    assert service_client.get("/v2/orders/77").status_code == 404
    place(service_client, 78, items=[{"their_id": "nope", "price": 1, "count": 1}])  # refused: not placed
    assert service_client.get("/v2/orders/78").status_code == 404
    assert service_client.get("/v2/orders/99999999999999999999").status_code == 404


def test_cancel_succeeds_and_records_the_cancellation(service_client: APIClient, fake_partner, placed: str) -> None:
    response = service_client.delete("/v2/orders/", {"order_id": 10, "their_order_id": placed}, format="json")
    assert response.status_code == 200
    assert response.json() == {"result": "success"}
    assert fake_partner.orders[placed]["status"] == "cancelled"
    order = PartnerOrder.objects.get(order_id=10)
    assert (order.status_id, order.their_status_id) == (3, "cancelled")
    assert OutboxEvent.objects.filter(order=order, event_type="cancelled").count() == 1
    # again: already cancelled, success without asking the partner
    again = service_client.delete("/v2/orders/", {"order_id": 10, "their_order_id": placed}, format="json")
    assert again.json() == {"result": "success"}
    assert fake_partner.calls("/cancel") == 1


def test_cancel_refused_by_the_partner(service_client: APIClient, fake_partner, placed: str) -> None:
    fake_partner.set_status(placed, "delivery")
    response = service_client.delete("/v2/orders/", {"order_id": 10, "their_order_id": placed}, format="json")
    assert response.json() == {"result": "order_cancel_rejected", "message": "cancellation not allowed"}
    assert PartnerOrder.objects.get(order_id=10).status_id == 0
    assert not OutboxEvent.objects.filter(event_type="cancelled").exists()


@pytest.mark.parametrize("fault", ["5xx", "garbage", "timeout"])
def test_cancel_when_the_partner_fails_is_a_transient_error(
    service_client: APIClient, fake_partner, placed: str, settings, fault: str
) -> None:
    if fault == "5xx":
        fake_partner.fail("/cancel", times=3)
    elif fault == "garbage":
        fake_partner.garbage("/cancel")
    else:
        settings.PARTNERAPI_HTTP_TIMEOUT = 0.2
        settings.PARTNERAPI_HTTP_RETRIES_COUNT = 1
        fake_partner.delay("/cancel", 0.5)
    response = service_client.delete("/v2/orders/", {"order_id": 10, "their_order_id": placed}, format="json")
    assert response.json()["result"] == "transient_error"
    assert response.json()["message"]
    assert PartnerOrder.objects.get(order_id=10).status_id == 0


def test_cancel_needs_a_known_order_and_its_partner_id(service_client: APIClient, fake_partner, placed: str) -> None:
    assert (
        service_client.delete("/v2/orders/", {"order_id": 5, "their_order_id": "1"}, format="json").status_code == 404
    )
    mismatch = service_client.delete("/v2/orders/", {"order_id": 10, "their_order_id": "1"}, format="json")
    assert mismatch.status_code == 400
    assert "their_order_id" in mismatch.json()
    missing = service_client.delete("/v2/orders/", {"order_id": 10}, format="json")
    assert missing.status_code == 400
    assert fake_partner.calls("/cancel") == 0


def test_a_status_read_never_moves_an_order_out_of_a_final_status(
    service_client: APIClient, fake_partner, placed: str
) -> None:
    # given: our order is cancelled
    assert service_client.delete("/v2/orders/", {"order_id": 10, "their_order_id": placed}, format="json").json() == {
        "result": "success"
    }
    events = OutboxEvent.objects.count()
    history = PartnerOrderStatusChange.objects.count()
    # when: the partner (wrongly, or late) says it is accepted
    fake_partner.set_status(placed, "accepted")
    body = service_client.get("/v2/orders/10").json()
    # then: cancelled it stays, and nothing is announced
    assert (body["status_id"], body["their_status_id"]) == (3, "cancelled")
    assert PartnerOrder.objects.get(order_id=10).status_id == 3
    assert (OutboxEvent.objects.count(), PartnerOrderStatusChange.objects.count()) == (events, history)


def test_a_done_order_stays_done(service_client: APIClient, fake_partner, placed: str) -> None:
    fake_partner.set_status(placed, "done")
    assert service_client.get("/v2/orders/10").json()["status_id"] == 2
    events = OutboxEvent.objects.count()
    fake_partner.set_status(placed, "in_shop")
    assert service_client.get("/v2/orders/10").json()["status_id"] == 2
    assert OutboxEvent.objects.count() == events


def test_a_cancel_that_timed_out_but_went_through_succeeds_when_repeated(
    service_client: APIClient, fake_partner, placed: str, settings
) -> None:
    # given: the partner cancels the order but answers too late
    settings.PARTNERAPI_HTTP_TIMEOUT = 0.2
    settings.PARTNERAPI_HTTP_RETRIES_COUNT = 1
    fake_partner.delay("/cancel", 0.5)
    body = {"order_id": 10, "their_order_id": placed}
    assert service_client.delete("/v2/orders/", body, format="json").json()["result"] == "transient_error"
    assert fake_partner.orders[placed]["status"] == "cancelled"
    # when: the caller tries again; the partner refuses to cancel a cancelled order
    fake_partner.delay("/cancel", 0)
    again = service_client.delete("/v2/orders/", body, format="json")
    # then: it is cancelled, so that is a success, recorded once
    assert again.json() == {"result": "success"}
    assert fake_partner.calls("/cancel") == 2
    order = PartnerOrder.objects.get(order_id=10)
    assert (order.status_id, order.their_status_id) == (3, "cancelled")
    assert OutboxEvent.objects.filter(order=order, event_type="cancelled").count() == 1


# --- concurrency (threads on PostgreSQL) ---------------------------------------------------------------------
def _wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("reader", ["status_request", "poll"])
def test_a_stale_status_read_applied_after_a_cancel_leaves_the_order_cancelled(
    fake_partner: FakePartner, reader: str
) -> None:
    # given: a placed order the partner has as accepted, and we too
    user = partner_service_user()
    client = client_for(user)
    their_order_id = place(client, 10)["data"]["their_order_id"]
    fake_partner.set_status(their_order_id, "accepted")
    assert client.get("/v2/orders/10").json()["status_id"] == 1
    events_before = list(OutboxEvent.objects.order_by("id").values_list("event_type", flat=True))
    # and a status read that gets "accepted" from the partner but whose answer arrives late
    fake_partner.delay("/orders-data", 0.8)
    answers: list[dict] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            if reader == "status_request":
                answers.append(client_for(user).get("/v2/orders/10").json())
            else:
                partner_orders_poll()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=read)
    thread.start()
    _wait_for(lambda: fake_partner.calls("/orders-data") == 2)
    time.sleep(0.2)  # the partner has answered "accepted"; the answer is on its way
    # when: the cancel commits before the stale answer is stored
    cancel = client.delete("/v2/orders/", {"order_id": 10, "their_order_id": their_order_id}, format="json")
    thread.join()
    # then
    assert errors == []
    assert cancel.json() == {"result": "success"}
    order = PartnerOrder.objects.get(order_id=10)
    assert (order.status_id, order.their_status_id) == (3, "cancelled")
    events = list(OutboxEvent.objects.order_by("id").values_list("event_type", flat=True))
    assert events == [*events_before, "cancelled"]
    assert not PartnerOrderStatusChange.objects.filter(order=order, previous_status_id=3).exists()
    if reader == "status_request":
        [answer] = answers
        assert (answer["status_id"], answer["their_status_id"]) == (3, "cancelled")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_cancels_both_succeed_with_one_partner_call_and_one_event(fake_partner: FakePartner) -> None:
    # given: a placed order and a slow partner, so the cancels overlap
    user = partner_service_user()
    their_order_id = place(client_for(user), 10)["data"]["their_order_id"]
    fake_partner.delay("/cancel", 0.3)
    results: list[dict] = []

    def cancel() -> None:
        try:
            body = {"order_id": 10, "their_order_id": their_order_id}
            results.append(client_for(user).delete("/v2/orders/", body, format="json").json())
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert results == [{"result": "success"}, {"result": "success"}]
    assert fake_partner.calls("/cancel") == 1
    order = PartnerOrder.objects.get(order_id=10)
    assert order.status_id == 3
    assert list(OutboxEvent.objects.filter(order=order).values_list("event_type", flat=True)) == [
        "created",
        "cancelled",
    ]
    assert PartnerOrderStatusChange.objects.filter(order=order, status_id=3).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_stale_status_read_does_not_overwrite_a_newer_one(fake_partner: FakePartner) -> None:
    # given: an accepted order, and a read whose "accepted" answer arrives late
    user = partner_service_user()
    client = client_for(user)
    their_order_id = place(client, 10)["data"]["their_order_id"]
    fake_partner.set_status(their_order_id, "accepted")
    client.get("/v2/orders/10")
    fake_partner.delay("/orders-data", 0.8)
    answers: list[dict] = []

    def read() -> None:
        try:
            answers.append(client_for(user).get("/v2/orders/10").json())
        finally:
            connection.close()

    thread = threading.Thread(target=read)
    thread.start()
    _wait_for(lambda: fake_partner.calls("/orders-data") == 2)
    time.sleep(0.2)
    # when: a later read learns the order is out for delivery, and is stored first
    fake_partner.delay("/orders-data", 0)
    fake_partner.set_status(their_order_id, "delivery")
    assert client.get("/v2/orders/10").json()["their_status_id"] == "delivery"
    thread.join()
    # then: the late answer is dropped; the caller is told what we have
    assert [answer["their_status_id"] for answer in answers] == ["delivery"]
    assert PartnerOrder.objects.get(order_id=10).their_status_id == "delivery"
    moves = PartnerOrderStatusChange.objects.order_by("id").values_list("their_status_id", flat=True)
    assert list(moves) == ["created", "accepted", "delivery"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_status_read_does_not_wait_behind_a_cancel_holding_the_order(fake_partner: FakePartner) -> None:
    # given: a placed order, and a cancel in progress that holds its row (as it does while the partner answers)
    user = partner_service_user()
    client = client_for(user)
    their_order_id = place(client, 10)["data"]["their_order_id"]
    fake_partner.set_status(their_order_id, "done")
    held, release = threading.Event(), threading.Event()

    def cancel_in_progress() -> None:
        try:
            with transaction.atomic():
                PartnerOrder.objects.select_for_update().get(order_id=10)
                held.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=cancel_in_progress)
    holder.start()
    assert held.wait(5)
    # when
    started = time.monotonic()
    answer = client.get("/v2/orders/10").json()
    elapsed = time.monotonic() - started
    release.set()
    holder.join()
    # then: the stored state comes back at once and nothing was written
    assert elapsed < 5
    assert answer["status_id"] == 0
    assert not PartnerOrderStatusChange.objects.filter(order__order_id=10, status_id=2).exists()
    # and once the row is free, the partner's answer is stored as usual
    assert client.get("/v2/orders/10").json()["status_id"] == 2
