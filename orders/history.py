"""The history of organization orders and their entries in the event log, written by the services in the
transaction of the change. The organization's owners may receive them (webhooks of scope `organization`)."""

from typing import Any

from events.services import event_record
from events.types import EventType
from orders.models import Order, OrderHistory, OrderHistoryAction

_TYPES = {
    OrderHistoryAction.CREATED: EventType.ORGANIZATION_ORDER_CREATED,
    OrderHistoryAction.UPDATED: EventType.ORGANIZATION_ORDER_UPDATED,
    OrderHistoryAction.DELETED: EventType.ORGANIZATION_ORDER_DELETED,
}


def order_history_record(
    order: Order, *, action: OrderHistoryAction, actor: Any = None, changes: dict[str, list[Any]] | None = None
) -> OrderHistory:
    changes = {field: [_plain(old), _plain(new)] for field, (old, new) in (changes or {}).items()}
    entry = OrderHistory.objects.create(
        order_id=order.pk,
        order_code=order.order_code,
        organization_id=order.organization_id,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        changes=changes,
    )
    data: dict[str, Any] = {"order_code": order.order_code, "organization_id": order.organization_id}
    if action == OrderHistoryAction.CREATED:
        data.update(
            executor_id=order.executor_id,
            client_id=order.client_id,
            service_id=order.service_id,
            creator_id=order.creator_id,
            description=order.description,
            done=order.done,
        )
    elif changes:
        data["changes"] = changes
    event_record(
        type=_TYPES[action],
        object_type="organization_order",
        object_id=order.pk,
        actor=actor,
        data=data,
        organization_id=order.organization_id,
    )
    return entry


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)
