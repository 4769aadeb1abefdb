"""The deprecated v1 API: the same services in the legacy PascalCase shapes."""

import pytest
from rest_framework.test import APIClient

from partner.models import PartnerOrder

pytestmark = pytest.mark.django_db


def send_order(client: APIClient, order_id: int = 11, items: list | None = None) -> dict:
    body = {
        "OrderId": order_id,
        "TheirPharmacyId": "1086",
        "Client": {"FIO": "Ivanov Ivan", "Phone": "79997772211", "EMail": "ivan@example.com"},
        "Items": items or [{"TheirId": "58", "Price": 10, "Count": 2}],
    }
    response = client.post("/v1/SendOrder", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_send_order_places_it_once(service_client: APIClient, fake_partner) -> None:
    body = send_order(service_client)
    assert body == {
        "Result": "success",
        "TheirOrderId": "5001",
        "Items": [{"TheirId": "58", "Price": 10.0, "Count": 2}],
    }
    assert send_order(service_client) == body
    assert fake_partner.calls("/create") == 1
    order = PartnerOrder.objects.get(order_id=11)
    assert (order.api_version, order.order_type, order.client["name"]) == ("v1", 2, "Ivanov Ivan")


def test_send_order_rejected(service_client: APIClient, fake_partner) -> None:
    body = send_order(service_client, items=[{"TheirId": "nope", "Price": 10, "Count": 2}])
    assert body == {
        "Result": "order_rejected",
        "Message": "The partner refused the order: nope: quantity 2, available 0.",
    }
    price = send_order(service_client, 12, items=[{"TheirId": "455", "Price": 1, "Count": 1}])
    assert price["Message"] == "The partner refused the order: 455: price 1, current price 455.23."


def test_send_order_transient_error(service_client: APIClient, fake_partner) -> None:
    fake_partner.fail("/find-orders", times=3)
    body = send_order(service_client)
    assert body == {"Result": "transient_error", "Message": "The partner is unavailable, try again later."}


def test_send_order_validates(service_client: APIClient, fake_partner) -> None:
    response = service_client.post("/v1/SendOrder", {"OrderId": 1, "Items": []}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"TheirPharmacyId", "Client", "Items"}


def test_get_order_status(service_client: APIClient, fake_partner) -> None:
    their_id = send_order(service_client)["TheirOrderId"]
    fake_partner.set_status(their_id, "in_shop")
    response = service_client.post(
        "/v1/GetOrderStatus", {"OrderId": 11, "TheirOrderId": their_id, "TheirStatusId": "created"}, format="json"
    )
    assert response.json() == {"Result": "success", "StatusId": 4, "TheirStatusId": "in_shop"}
    fake_partner.fail("/orders-data", times=3)
    failed = service_client.post("/v1/GetOrderStatus", {"OrderId": 11, "TheirOrderId": their_id}, format="json")
    assert failed.json() == {"Result": "transient_error", "Message": "The partner is unavailable, try again later."}
    unknown = service_client.post("/v1/GetOrderStatus", {"OrderId": 99, "TheirOrderId": their_id}, format="json")
    assert unknown.status_code == 404
    mismatch = service_client.post("/v1/GetOrderStatus", {"OrderId": 11, "TheirOrderId": "1"}, format="json")
    assert mismatch.status_code == 400
    assert "TheirOrderId" in mismatch.json()


def test_cancel_order_each_outcome(service_client: APIClient, fake_partner) -> None:
    first = send_order(service_client, 11)["TheirOrderId"]
    second = send_order(service_client, 12)["TheirOrderId"]
    third = send_order(service_client, 13)["TheirOrderId"]
    fake_partner.set_status(second, "done")
    fake_partner.fail("/cancel", times=3)
    transient = service_client.post("/v1/cancel_order", {"order_ID": 13, "their_order_ID": third}, format="json")
    assert transient.json() == {"Result": "transient_error", "Message": "The partner is unavailable, try again later."}
    ok = service_client.post("/v1/cancel_order", {"order_ID": 11, "their_order_ID": first}, format="json")
    assert ok.json() == {"Result": "success"}
    refused = service_client.post("/v1/cancel_order", {"order_ID": 12, "their_order_ID": second}, format="json")
    assert refused.json() == {"Result": "order_cancel_rejected", "Message": "cancellation not allowed"}
    assert PartnerOrder.objects.get(order_id=11).status_id == 3
    assert (
        service_client.post("/v1/cancel_order", {"order_ID": 99, "their_order_ID": "1"}, format="json").status_code
        == 404
    )


def test_v1_is_marked_deprecated_in_the_schema(service_client: APIClient) -> None:
    paths = service_client.get("/api/schema/?format=json").json()["paths"]
    assert paths["/v1/SendOrder"]["post"]["deprecated"] is True
    assert paths["/v1/GetOrderStatus"]["post"]["deprecated"] is True
    assert paths["/v1/cancel_order"]["post"]["deprecated"] is True
    assert "deprecated" not in paths["/v2/orders/"]["post"]
    assert "requestBody" in paths["/v2/orders/"]["delete"]
