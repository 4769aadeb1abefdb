"""The OpenAPI description of document 002: every answer has an example, and the list's errors are real ones."""

import pytest
from rest_framework.test import APIClient

from tests.appraisals.test_openapi import bodies_without_examples, example, operations_tagged

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client: APIClient) -> dict:
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


#: document 002's operations (assign is tagged with the other /orders/ paths, the rest "assignments")
DOCUMENT_002_PATHS = {"/orders/assign", "/order/acquire", "/order/cancel", "/order/complete", "/api/assignments/"}


def test_schema_has_an_example_for_every_answer(schema: dict) -> None:
    operations = [
        op
        for op in operations_tagged(schema, "assignments") + operations_tagged(schema, "orders")
        if op[1] in DOCUMENT_002_PATHS
    ]

    assert len(operations) == 5
    assert bodies_without_examples(operations) == []
    for method, path, operation in operations:
        assert {"400", "401", "403", "500"} <= set(operation["responses"]), (method, path)


def test_list_error_examples_are_the_answers_the_api_gives(schema: dict, dispatcher_client: APIClient) -> None:
    invalid = dispatcher_client.get("/api/assignments/", {"assigned_from": "x", "status": "nope"})
    past_the_end = dispatcher_client.get("/api/assignments/", {"page": 9})

    assert (invalid.status_code, invalid.json()) == (
        400,
        example(schema, "get", "/api/assignments/", "400", "InvalidFilters"),
    )
    assert (past_the_end.status_code, past_the_end.json()) == (
        404,
        example(schema, "get", "/api/assignments/", "404", "InvalidPage"),
    )
