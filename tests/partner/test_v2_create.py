"""POST /v2/orders/ against a fake partner over real HTTP."""

import threading

import pytest
from django.db import connection
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from partner.fake_partner import FakePartner
from partner.metrics import CreationErrorReason
from partner.models import OutboxEvent, PartnerOrder, PartnerOrderStatusChange
from tests.accounts.factories import UserFactory
from tests.partner.conftest import closed_port, order_body, place
from tests.partner.factories import partner_service_user
from tests.support.auth import client_for

pytestmark = pytest.mark.django_db

PARTNER_ERROR = {"partner_error": True, "service_error": None, "quantity_errors": None, "price_errors": None}


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_an_order_is_placed_with_history_and_an_outbox_event(service_client: APIClient, fake_partner) -> None:
    # when
    body = place(service_client, 10)
    # then
    assert body == {
        "result": "success",
        "data": {
            "their_order_id": "5001",
            "items": [
                {"their_id": "58", "price": 10.0, "count": 10},
                {"their_id": "21737", "price": 10.0, "count": 12},
            ],
        },
    }
    order = PartnerOrder.objects.get(order_id=10)
    assert (order.their_order_id, order.status_id, order.their_status_id) == ("5001", 0, "created")
    assert order.client == {"name": "Test", "phone": "79997772211", "email": "example@example.com"}
    assert fake_partner.orders["5001"]["external_id"] == "10"
    assert fake_partner.orders["5001"]["items"] == [
        {"id": "58", "quantity": 10, "price": "10.00"},
        {"id": "21737", "quantity": 12, "price": "10.00"},
    ]
    assert PartnerOrderStatusChange.objects.filter(order=order, status_id=0, source="create").count() == 1
    event = OutboxEvent.objects.get(order=order)
    assert event.event_type == "created"
    assert event.sent_at is None
    assert event.payload["order_id"] == 10
    assert event.payload["their_order_id"] == "5001"


def test_the_same_order_id_again_returns_the_same_partner_order(service_client: APIClient, fake_partner) -> None:
    first = place(service_client, 10)
    second = place(service_client, 10)
    assert second == first
    assert fake_partner.calls("/create") == 1
    assert fake_partner.calls("/find-orders") == 1  # the repeat is answered from our table
    assert PartnerOrder.objects.count() == 1
    assert OutboxEvent.objects.count() == 1


def test_an_order_the_partner_already_has_is_found_not_created_again(service_client: APIClient, fake_partner) -> None:
    # given: the partner has an order for our id that we never recorded (e.g. our answer was lost)
    fake_partner.orders["4242"] = {"external_id": "10", "status": "created", "items": []}
    # when
    body = place(service_client, 10)
    # then
    assert body["data"]["their_order_id"] == "4242"
    assert fake_partner.calls("/create") == 0
    assert PartnerOrder.objects.get(order_id=10).their_order_id == "4242"


def test_item_not_found_and_wrong_quantity_are_quantity_errors(service_client: APIClient, fake_partner) -> None:
    items = [{"their_id": "nope", "price": 10, "count": 1}, {"their_id": "455", "price": "455.23", "count": 6}]
    body = place(service_client, 11, items=items)
    assert body == {
        "result": "error",
        "data": {
            "partner_error": None,
            "service_error": None,
            "quantity_errors": [
                {"their_id": "nope", "ordered": 1, "available": 0},
                {"their_id": "455", "ordered": 6, "available": None},
            ],
            "price_errors": None,
        },
    }
    assert PartnerOrder.objects.get(order_id=11).their_order_id is None
    assert not OutboxEvent.objects.exists()


@pytest.mark.parametrize(
    ("order_type", "available"),
    [(2, 455.23), (1, 430)],  # reservation price for reservations, pre-order price for pre-orders
)
def test_wrong_price_is_a_price_error_with_the_price_for_the_order_type(
    service_client: APIClient, fake_partner, order_type: int, available: float
) -> None:
    body = place(service_client, 12, order_type=order_type, items=[{"their_id": "455", "price": "400.5", "count": 1}])
    assert body["result"] == "error"
    assert body["data"]["price_errors"] == [{"their_id": "455", "ordered": 400.5, "available": available}]
    assert body["data"]["quantity_errors"] is None
    assert body["data"]["partner_error"] is None


@pytest.mark.parametrize(
    ("their_id", "order_type"),
    [("700", 2), ("800", 2), ("21737", 1)],  # no reservation price (NONE), a price of 0, no pre-order price
)
def test_a_price_of_none_or_zero_is_a_quantity_error_with_nothing_available(
    service_client: APIClient, fake_partner, their_id: str, order_type: int
) -> None:
    body = place(service_client, 13, order_type=order_type, items=[{"their_id": their_id, "price": 1, "count": 2}])
    assert body["data"]["quantity_errors"] == [{"their_id": their_id, "ordered": 2, "available": 0}]
    assert body["data"]["price_errors"] is None


def test_an_unknown_item_error_is_a_partner_error(service_client: APIClient, fake_partner) -> None:
    fake_partner.answer("/create", {"status": "error", "errors": {"items": {"58": ["Pharmacy is closed"]}}})
    body = place(service_client, 14)
    assert body["result"] == "error"
    assert body["data"]["partner_error"] is True


def test_a_refused_order_can_be_corrected_and_placed(service_client: APIClient, fake_partner) -> None:
    place(service_client, 15, items=[{"their_id": "58", "price": 11, "count": 1}])
    body = place(service_client, 15, items=[{"their_id": "58", "price": 10, "count": 1}])
    assert body["result"] == "success"
    assert PartnerOrder.objects.get(order_id=15).items == [{"their_id": "58", "price": "10.00", "count": 1}]


def test_a_partner_timeout_is_a_partner_error_and_the_repeat_finds_the_order(
    service_client: APIClient, fake_partner, settings
) -> None:
    # given: the partner creates the order but answers too late
    settings.PARTNERAPI_HTTP_TIMEOUT_ORDER = 0.2
    fake_partner.delay("/create", 0.6)
    # when
    body = place(service_client, 16)
    # then: one attempt (the _ORDER count is 1), partner_error
    assert body == {"result": "error", "data": PARTNER_ERROR}
    assert fake_partner.calls("/create") == 1
    # and the repeat finds the order the partner made, without a second /create
    fake_partner.delay("/create", 0)
    again = place(service_client, 16)
    assert again["result"] == "success"
    assert again["data"]["their_order_id"] == "5001"
    assert fake_partner.calls("/create") == 1
    assert len(fake_partner.orders) == 1


def test_5xx_then_success_retries_create_after_checking_find_orders(
    service_client: APIClient, fake_partner, settings
) -> None:
    settings.PARTNERAPI_HTTP_RETRIES_COUNT_ORDER = 3
    fake_partner.fail("/create", times=2, status=503)
    retries_before = metric("partnerapi_partner_retries_total", call="create")
    body = place(service_client, 17)
    assert body["result"] == "success"
    assert fake_partner.calls("/create") == 3
    assert fake_partner.calls("/find-orders") == 3  # once first, then before each repeated /create
    assert len(fake_partner.orders) == 1
    assert metric("partnerapi_partner_retries_total", call="create") == retries_before + 2


def test_5xx_on_a_general_call_is_retried_up_to_the_count(service_client: APIClient, fake_partner) -> None:
    fake_partner.fail("/find-orders", times=2, status=502)
    assert place(service_client, 18)["result"] == "success"
    assert fake_partner.calls("/find-orders") == 3


def test_5xx_every_time_gives_up_after_the_count(service_client: APIClient, fake_partner) -> None:
    fake_partner.fail("/find-orders", times=5, status=500)
    body = place(service_client, 19)
    assert body == {"result": "error", "data": PARTNER_ERROR}
    assert fake_partner.calls("/find-orders") == 3
    assert fake_partner.calls("/create") == 0


def test_4xx_is_not_retried(service_client: APIClient, fake_partner) -> None:
    fake_partner.fail("/find-orders", times=1, status=404)
    body = place(service_client, 20)
    assert body == {"result": "error", "data": PARTNER_ERROR}
    assert fake_partner.calls("/find-orders") == 1


def test_4xx_on_create_is_not_retried(service_client: APIClient, fake_partner, settings) -> None:
    settings.PARTNERAPI_HTTP_RETRIES_COUNT_ORDER = 3
    fake_partner.fail("/create", times=1, status=400)
    assert place(service_client, 21)["data"] == PARTNER_ERROR
    assert fake_partner.calls("/create") == 1


def test_garbage_json_is_a_partner_error_without_retry(service_client: APIClient, fake_partner) -> None:
    fake_partner.garbage("/create")
    body = place(service_client, 22)
    assert body == {"result": "error", "data": PARTNER_ERROR}
    assert fake_partner.calls("/create") == 1
    assert "not JSON" in PartnerOrder.objects.get(order_id=22).last_error


def test_an_unexpected_json_shape_is_a_partner_error(service_client: APIClient, fake_partner) -> None:
    fake_partner.answer("/find-orders", {"data": "no ids here"})
    assert place(service_client, 23)["data"] == PARTNER_ERROR


def test_connection_refused_is_a_partner_error(service_client: APIClient, settings) -> None:
    settings.PARTNERAPI_URL = f"http://127.0.0.1:{closed_port()}"
    settings.PARTNERAPI_HTTP_RETRIES_COUNT = 2
    settings.PARTNERAPI_HTTP_RETRIES_SLEEP = 0
    failures = metric("partnerapi_partner_request_seconds_count", call="find_orders", outcome="connect_error")
    assert place(service_client, 24)["data"] == PARTNER_ERROR
    assert (
        metric("partnerapi_partner_request_seconds_count", call="find_orders", outcome="connect_error") == failures + 2
    )


def test_no_partner_url_is_a_partner_error(service_client: APIClient, settings) -> None:
    settings.PARTNERAPI_URL = ""
    assert place(service_client, 25)["data"] == PARTNER_ERROR


def test_our_own_failure_is_a_service_error(service_client: APIClient, fake_partner) -> None:
    # their_order_id is unique: the partner answering an id another of our orders holds breaks our invariant
    place(service_client, 26)
    fake_partner.answer("/create", {"status": "ok", "order_id": 5001})
    response = service_client.post("/v2/orders/", order_body(27), format="json")
    assert response.status_code == 500
    assert response.json() == {
        "result": "error",
        "data": {"partner_error": None, "service_error": True, "quantity_errors": None, "price_errors": None},
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"order_id": 0}, "order_id"),
        ({"order_id": "x"}, "order_id"),
        ({"client": {"phone": "1"}}, "client"),
        ({"items": []}, "items"),
        ({"items": [{"their_id": "58", "price": -1, "count": 1}]}, "items"),
        ({"items": [{"their_id": "58", "price": 1, "count": 0}]}, "items"),
        ({"items": [{"their_id": "58", "price": 1, "count": 1}, {"their_id": "58", "price": 1, "count": 2}]}, "items"),
        ({"order_type": 3}, "order_type"),
        ({"extra": {"a": "\u0000"}}, "extra"),
        ({"date": "yesterday"}, "date"),
    ],
)
def test_a_bad_body_is_400_with_field_errors(service_client: APIClient, fake_partner, change: dict, field: str) -> None:
    response = service_client.post("/v2/orders/", {**order_body(30), **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert fake_partner.requests == []


def test_auth_is_required(api_client: APIClient, fake_partner) -> None:
    assert api_client.post("/v2/orders/", order_body(31), format="json").status_code == 401


def test_a_user_without_the_partner_permission_is_refused(fake_partner) -> None:
    client = client_for(UserFactory())
    response = client.post("/v2/orders/", order_body(32), format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}
    assert fake_partner.requests == []


def test_an_unconfirmed_service_account_is_refused(fake_partner) -> None:
    client = client_for(partner_service_user(confirmed_email=False))
    assert client.post("/v2/orders/", order_body(33), format="json").status_code == 403


def test_metrics_count_created_orders_and_errors(service_client: APIClient, fake_partner) -> None:
    created = metric("partnerapi_orders_created_total")
    rejected = metric("partnerapi_order_creation_errors_total", reason="rejected")
    place(service_client, 34)
    place(service_client, 35, items=[{"their_id": "nope", "price": 1, "count": 1}])
    assert metric("partnerapi_orders_created_total") == created + 1
    assert metric("partnerapi_order_creation_errors_total", reason="rejected") == rejected + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_one_order_create_one_partner_order(fake_partner: FakePartner) -> None:
    # given: a slow partner, so the requests overlap
    fake_partner.delay("/create", 0.3)
    user = partner_service_user()
    results: list[dict] = []

    def send() -> None:
        client = client_for(user)
        results.append(client.post("/v2/orders/", order_body(40), format="json").json())
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r["result"] for r in results] == ["success"] * 4
    assert {r["data"]["their_order_id"] for r in results} == {"5001"}
    assert fake_partner.calls("/create") == 1
    assert PartnerOrder.objects.filter(order_id=40).count() == 1
    assert OutboxEvent.objects.count() == 1


def test_creation_errors_are_counted_under_the_reasons_the_help_text_names(
    service_client: APIClient, fake_partner
) -> None:
    [family] = [m for m in REGISTRY.collect() if m.name == "partnerapi_order_creation_errors"]
    reasons = {sample.labels["reason"] for sample in family.samples if sample.name.endswith("_total")}
    # every reason the code can emit is exported (at 0 from the start) and explained, and no other
    assert reasons == {"rejected", "partner_error", "service_error"} == set(CreationErrorReason)
    for reason in reasons:
        assert f"{reason} (" in family.documentation
    before = {reason: metric("partnerapi_order_creation_errors_total", reason=reason) for reason in reasons}
    # when: one order of each kind fails
    place(service_client, 50, items=[{"their_id": "nope", "price": 1, "count": 1}])  # refused item
    fake_partner.fail("/find-orders", times=3)
    place(service_client, 51)  # the partner is down
    place(service_client, 52)
    fake_partner.answer("/create", {"status": "ok", "order_id": 5001})  # an id order 52 holds: our invariant breaks
    assert service_client.post("/v2/orders/", order_body(53), format="json").status_code == 500
    # then
    after = {reason: metric("partnerapi_order_creation_errors_total", reason=reason) for reason in reasons}
    assert {reason: after[reason] - before[reason] for reason in reasons} == {
        "rejected": 1,
        "partner_error": 1,
        "service_error": 1,
    }


@pytest.mark.parametrize(("count", "attempts"), [(0, 1), (1, 1), (2, 2), (3, 3)])
def test_http_retries_count_is_the_number_of_attempts_in_all(
    service_client: APIClient, fake_partner, settings, count: int, attempts: int
) -> None:
    settings.PARTNERAPI_HTTP_RETRIES_COUNT = count
    fake_partner.fail("/find-orders", times=5)
    assert place(service_client, 60)["data"] == PARTNER_ERROR
    assert fake_partner.calls("/find-orders") == attempts


def test_create_is_not_repeated_with_the_documents_default_count(service_client: APIClient, fake_partner) -> None:
    # PARTNERAPI_HTTP_RETRIES_COUNT_ORDER=1 (document 004's default) is one /create attempt: a 5xx is not retried
    fake_partner.fail("/create", times=1, status=503)
    assert place(service_client, 61)["data"] == PARTNER_ERROR
    assert fake_partner.calls("/create") == 1
    assert fake_partner.calls("/find-orders") == 1
