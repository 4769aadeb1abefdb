"""Each API version's error contract: the partner's refusals in its own words, everything else as document 001."""

import pytest
from rest_framework.test import APIClient

from partner.services import partner_orders_poll
from tests.partner.conftest import order_body, place

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "No partner order matches the given order_id."}
MISMATCH = ["Does not match the partner order id we have for this order."]


def test_an_unknown_order_is_404_before_its_partner_id_is_compared(service_client: APIClient, fake_partner) -> None:
    place(service_client, 10)
    unknown = service_client.get("/v2/orders/77?their_order_id=1")
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    v1 = service_client.post("/v1/GetOrderStatus", {"OrderId": 77, "TheirOrderId": "1"}, format="json")
    assert (v1.status_code, v1.json()) == (404, NOT_FOUND)


def test_a_mismatched_partner_id_is_named_as_each_input_names_it(service_client: APIClient, fake_partner) -> None:
    place(service_client, 10)
    answers = [
        service_client.get("/v2/orders/10?their_order_id=1"),
        service_client.delete("/v2/orders/", {"order_id": 10, "their_order_id": "1"}, format="json"),
        service_client.post("/v1/GetOrderStatus", {"OrderId": 10, "TheirOrderId": "1"}, format="json"),
        service_client.post("/v1/cancel_order", {"order_ID": 10, "their_order_ID": "1"}, format="json"),
    ]
    assert [(a.status_code, a.json()) for a in answers] == [
        (400, {"their_order_id": MISMATCH}),
        (400, {"their_order_id": MISMATCH}),
        (400, {"TheirOrderId": MISMATCH}),
        (400, {"their_order_ID": MISMATCH}),
    ]
    assert fake_partner.calls("/orders-data") == fake_partner.calls("/cancel") == 0


def test_the_status_query_checks_the_partner_id_length_and_ignores_a_blank_one(
    service_client: APIClient, fake_partner
) -> None:
    place(service_client, 10)
    too_long = service_client.get("/v2/orders/10?their_order_id=" + "x" * 65)
    assert (too_long.status_code, too_long.json()) == (
        400,
        {"their_order_id": ["Ensure this field has no more than 64 characters."]},
    )
    assert service_client.get("/v2/orders/10?their_order_id=").json()["result"] == "success"


def test_our_own_failure_while_placing_is_a_transient_error_in_v1(service_client: APIClient, fake_partner) -> None:
    # given: the partner answers an id another of our orders holds, which breaks our invariant
    place(service_client, 10)
    fake_partner.answer("/create", {"status": "ok", "order_id": 5001})
    body = {
        "OrderId": 11,
        "TheirPharmacyId": "1086",
        "Client": {"FIO": "Ivanov Ivan", "Phone": "79997772211"},
        "Items": [{"TheirId": "58", "Price": 10, "Count": 2}],
    }
    response = service_client.post("/v1/SendOrder", body, format="json")
    assert (response.status_code, response.json()) == (
        200,
        {"Result": "transient_error", "Message": "The service could not process the request."},
    )


def test_a_refusal_with_errors_the_partner_did_not_explain_is_also_a_partner_error(
    service_client: APIClient, fake_partner
) -> None:
    fake_partner.answer("/create", {"status": "error", "errors": {"items": {"58": ["Closed", "Item not found"]}}})
    response = service_client.post("/v2/orders/", order_body(10), format="json")
    assert (response.status_code, response.json()) == (
        200,
        {
            "result": "error",
            "data": {
                "partner_error": True,
                "service_error": None,
                "quantity_errors": [{"their_id": "58", "ordered": 10, "available": 0}],
                "price_errors": None,
            },
        },
    )


def test_the_poller_counts_an_order_the_partner_could_not_be_asked_about(
    service_client: APIClient, fake_partner
) -> None:
    place(service_client, 10)
    place(service_client, 11)
    fake_partner.fail("/orders-data", times=3)
    summary = partner_orders_poll()
    assert (summary.checked, summary.changed, summary.failed) == (2, 1, 1)
