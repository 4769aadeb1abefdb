"""OpenAPI: every document 001 and organizations operation documents its errors and shows an example."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PREFIXES = ("/orders/order-", "/api/organizations/")
EXPECTED_OPERATIONS = {
    ("/orders/order-c/", "post"),
    ("/orders/order-l/{organization_id}/", "get"),
    ("/orders/order-creator-l/{organization_id}/", "get"),
    ("/orders/order-r/{id}/", "get"),
    ("/orders/order-r/{id}/{organization_id}/", "get"),
    ("/orders/order-ud/{id}/", "put"),
    ("/orders/order-ud/{id}/", "patch"),
    ("/orders/order-ud/{id}/", "delete"),
}


def _has_example(operation: dict) -> bool:
    bodies = [operation.get("requestBody", {})] + list(operation["responses"].values())
    return any(
        media.get("examples") or media.get("example") for body in bodies for media in body.get("content", {}).values()
    )


def test_every_operation_has_errors_and_an_example() -> None:
    schema = APIClient().get("/api/schema/?format=json").json()
    operations = {
        (path, method): operation
        for path, item in schema["paths"].items()
        if path.startswith(PREFIXES)
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert EXPECTED_OPERATIONS <= set(operations)
    assert len(operations) >= 27
    for key, operation in operations.items():
        assert {"401", "403"} <= set(operation["responses"]), key
        assert _has_example(operation), key
        if key[1] in {"post", "put", "patch"}:
            assert "400" in operation["responses"], key
    # the lists are bare arrays, paged on request
    order_list = operations[("/orders/order-l/{organization_id}/", "get")]
    assert order_list["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    params = {p["name"] for p in order_list["parameters"]}
    expected = {
        "done",
        "service",
        "executor",
        "client",
        "created_after",
        "created_before",
        "search",
        "ordering",
        "page",
    }
    assert expected <= params
