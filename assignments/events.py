"""Assignments' entries in the event log, written by the history writer (`services._record`) in its transaction.

Readers through the API are the Dispatchers (every assignment), so webhooks go to endpoints of scope
`assignments`; the executor (whose user id is `executor_id`) hears of an order assigned to them in their
notifications.
"""

from typing import Any

from assignments.models import AssignedOrder, AssignmentAction
from events.services import event_record
from events.types import EventType

_TYPES = {
    AssignmentAction.ASSIGN: EventType.ASSIGNMENT_ASSIGNED,
    AssignmentAction.ACQUIRE: EventType.ASSIGNMENT_ACQUIRED,
    AssignmentAction.COMPLETE: EventType.ASSIGNMENT_COMPLETED,
    AssignmentAction.CANCEL: EventType.ASSIGNMENT_CANCELLED,
    AssignmentAction.SUPERSEDE: EventType.ASSIGNMENT_SUPERSEDED,
}


def assignment_event(order: AssignedOrder, *, action: str, from_status: str, actor: Any) -> None:
    event_record(
        type=_TYPES[AssignmentAction(action)],
        object_type="assignment",
        object_id=order.order_id,
        actor=actor,
        data={
            "order_id": order.order_id,
            "executor_id": order.executor_id,
            "zone_id": order.zone_id,
            "from_status": from_status,
            "to_status": str(order.status),
        },
    )
