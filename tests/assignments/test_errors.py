"""Any internal error is the document's 500 `{"message": "Unknown error"}` (the dispatchers' list: the product's
500), logged with its traceback.

The failures are real database failures: the history table is renamed away (or a constraint added) inside the
test's transaction, which is rolled back afterwards.
"""

import logging
from urllib.parse import urlencode

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from assignments.models import AssignedOrder, AssignedOrderHistory
from tests.assignments.factories import AssignedOrderFactory

pytestmark = pytest.mark.django_db

UNKNOWN_ERROR = {"message": "Unknown error"}


@pytest.fixture
def history_table_gone() -> None:
    table = AssignedOrderHistory._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    # No teardown: the test's transaction is rolled back, which undoes the rename on both engines.


def _assert_logged_with_traceback(caplog: pytest.LogCaptureFixture) -> None:
    records = [r for r in caplog.records if r.name == "api.errors" and r.levelno == logging.ERROR]
    assert records, "the error was not logged"
    assert records[-1].exc_info is not None


def test_assign_internal_error_is_unknown_error(
    dispatcher_client: APIClient, history_table_gone: None, caplog: pytest.LogCaptureFixture
) -> None:
    response = dispatcher_client.put(
        "/orders/assign?" + urlencode({"order_id": "o1", "executor_id": "1", "zone_id": "z"})
    )

    assert response.status_code == 500
    assert response.json() == UNKNOWN_ERROR
    assert b"assignedorderhistory" not in response.content
    _assert_logged_with_traceback(caplog)
    assert not AssignedOrder.objects.exists()  # the whole assign was rolled back


def test_acquire_internal_error_is_unknown_error(
    executor_client: APIClient, executor: User, history_table_gone: None, caplog: pytest.LogCaptureFixture
) -> None:
    AssignedOrderFactory(executor_id=str(executor.pk))

    response = executor_client.get(f"/order/acquire?executor_id={executor.pk}")

    assert (response.status_code, response.json()) == (500, UNKNOWN_ERROR)
    _assert_logged_with_traceback(caplog)
    assert AssignedOrder.objects.get().status == "assigned"


@pytest.mark.parametrize("path", ["/order/cancel", "/order/complete"])
def test_cancel_and_complete_internal_error_is_unknown_error(
    dispatcher_client: APIClient, history_table_gone: None, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    AssignedOrderFactory(order_id="o1", status="acquired")

    response = dispatcher_client.post(f"{path}?order_id=o1")

    assert (response.status_code, response.json()) == (500, UNKNOWN_ERROR)
    _assert_logged_with_traceback(caplog)
    assert AssignedOrder.objects.get().status == "acquired"


@pytest.mark.postgres
def test_a_constraint_failure_is_not_mistaken_for_a_duplicate(
    dispatcher_client: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given: a database rule the service does not know about
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {AssignedOrder._meta.db_table} ADD CONSTRAINT test_no_forbidden_zone CHECK (zone_id <> 'x')"
        )
    AssignedOrderFactory(executor_id="1")

    response = dispatcher_client.put(
        "/orders/assign?" + urlencode({"order_id": "o2", "executor_id": "1", "zone_id": "x"})
    )

    assert (response.status_code, response.json()) == (500, UNKNOWN_ERROR)
    _assert_logged_with_traceback(caplog)
    # the executor's order was not completed by the failed assign
    assert list(AssignedOrder.objects.values_list("executor_id", "status")) == [("1", "assigned")]


def test_the_dispatchers_list_internal_error_is_the_products_500(
    dispatcher_client: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    # The list is ours, not document 002's: the product's contract, internals never shown.
    table = AssignedOrder._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")

    response = dispatcher_client.get("/api/assignments/")

    assert (response.status_code, response.json()) == (
        500,
        {"detail": "A server error occurred.", "code": "server_error"},
    )
    assert table.encode() not in response.content
    _assert_logged_with_traceback(caplog)
