"""The services speak in domain errors (codes and document 002's texts) and move rows only along the table."""

import pytest
from django.utils import timezone

from assignments import services
from assignments.errors import AssignedOrderAlreadyExists, AssignedOrderNotMovable, AssignmentErrorCode
from assignments.models import ALLOWED_TRANSITIONS, ASSIGNMENT_MACHINE, AssignedOrderStatus
from common.errors import ApplicationError
from tests.assignments.factories import AssignedOrderFactory

pytestmark = pytest.mark.django_db


def test_a_known_order_id_is_a_domain_error_with_the_documents_text() -> None:
    services.assigned_order_assign(order_id="o1", executor_id="1", zone_id="z")

    with pytest.raises(AssignedOrderAlreadyExists) as caught:
        services.assigned_order_assign(order_id="o1", executor_id="2", zone_id="z")

    assert isinstance(caught.value, ApplicationError)
    assert caught.value.code == AssignmentErrorCode.ALREADY_EXISTS
    assert caught.value.message == "AssignedOrder with provided orderId already exists"


@pytest.mark.parametrize(
    ("service", "code", "message"),
    [
        (
            services.assigned_order_cancel,
            AssignmentErrorCode.NOT_CANCELABLE,
            "AssignedOrder with OrderId o/1 does not exist or has already been canceled",
        ),
        (
            services.assigned_order_complete,
            AssignmentErrorCode.NOT_COMPLETABLE,
            "AssignedOrder with OrderId o/1 does not exist or has not been acquired",
        ),
    ],
)
def test_a_refused_move_names_the_order(service, code: str, message: str) -> None:  # type: ignore[no-untyped-def]
    AssignedOrderFactory(order_id="o/1", status=AssignedOrderStatus.CANCELLED, cancelled_at=timezone.now())

    with pytest.raises(AssignedOrderNotMovable) as caught:
        service(order_id="o/1")
    with pytest.raises(AssignedOrderNotMovable):
        service(order_id="unknown")

    assert (caught.value.code, caught.value.message) == (code, message)


def test_every_action_has_one_target_and_finished_orders_are_final() -> None:
    for action, moves in ALLOWED_TRANSITIONS.items():
        assert all(len(targets) == 1 for targets in moves.values()), action
        assert not ASSIGNMENT_MACHINE.targets(by=action, from_state=AssignedOrderStatus.COMPLETED)
        assert not ASSIGNMENT_MACHINE.targets(by=action, from_state=AssignedOrderStatus.CANCELLED)
