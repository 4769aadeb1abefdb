"""GET /v2/orders/{order_id} and DELETE /v2/orders/ against a fake partner over real HTTP."""

import pytest
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from partner.models import OutboxEvent, PartnerOrder, PartnerOrderStatusChange
from tests.partner.conftest import place

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
