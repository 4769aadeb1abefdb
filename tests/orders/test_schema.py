"""OpenAPI: every document 001 and organizations operation documents its errors and shows an example."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.orders.factories import OrderFactory
from tests.organizations.factories import OrganizationFactory
from tests.support.auth import client_for

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
    # the lists are bare arrays, paged on request: both shapes are in the schema
    order_list = operations[("/orders/order-l/{organization_id}/", "get")]
    shapes = schema["components"]["schemas"]["OrderListOrPage"]["oneOf"]
    assert order_list["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OrderListOrPage"
    }
    assert shapes[0]["type"] == "array"
    assert shapes[1] == {"$ref": "#/components/schemas/OrderPageOutput"}
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


def _as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0's `nullable: true` as JSON Schema says it."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@pytest.mark.parametrize("path", ["order-l", "order-creator-l"])
def test_order_lists_answer_within_their_schema_with_and_without_page(path: str) -> None:
    import jsonschema

    organization = OrganizationFactory()
    OrderFactory(organization=organization, creator=organization.creator)
    api = client_for(organization.creator)
    schema = api.get("/api/schema/?format=json").json()
    operation = schema["paths"][f"/orders/{path}/{{organization_id}}/"]["get"]
    validator = jsonschema.Draft7Validator(
        _as_json_schema(
            {
                **operation["responses"]["200"]["content"]["application/json"]["schema"],
                "components": schema["components"],
            }
        )
    )
    url = f"/orders/{path}/{organization.pk}/"

    bare = api.get(url).json()
    page = api.get(url, {"page": 1}).json()

    assert isinstance(bare, list)
    assert len(bare) == 1
    assert set(page) == {"count", "next", "previous", "results"}
    validator.validate(bare)
    validator.validate(page)
