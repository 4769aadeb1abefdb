"""The marketplace's entries in the event log (`events.services.event_record`), written next to its history rows.

A response's event names what happened to it: `review.created` on the first view, `review.updated` for the
executor's changes, `review.withdrawn` when they withdraw an accepted one, and the customer's decision otherwise
(`review.accepted`, `.rejected`, `.in_progress`, `.done`). The customer and the executor are the users it belongs
to: only they may receive it. An order's own changes by its customer (`marketplace_order.created`, `.updated`,
`.cancelled`) belong to the customer alone; the executors hear of a cancellation through their responses'
`review.rejected`.
"""

from collections.abc import Iterable
from typing import Any

from events.services import event_record
from events.types import EventType
from reviews.models import MarketplaceOrder, MarketplaceOrderAction, MarketplaceOrderChange, OrderReview

_CUSTOMER_MOVES = {
    "accepted": EventType.REVIEW_ACCEPTED,
    "rejected": EventType.REVIEW_REJECTED,
    "in_progress": EventType.REVIEW_IN_PROGRESS,
    "done": EventType.REVIEW_DONE,
}


def _customer_id(order_id: int) -> int | None:
    return MarketplaceOrder.objects.filter(pk=order_id).values_list("creator_id", flat=True).first()


_ORDER_ACTIONS = {
    MarketplaceOrderAction.CREATED: EventType.MARKETPLACE_ORDER_CREATED,
    MarketplaceOrderAction.UPDATED: EventType.MARKETPLACE_ORDER_UPDATED,
    MarketplaceOrderAction.CANCELLED: EventType.MARKETPLACE_ORDER_CANCELLED,
}


def marketplace_order_history_record(
    *,
    order: MarketplaceOrder,
    action: MarketplaceOrderAction,
    changes: dict[str, Any] | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> MarketplaceOrderChange:
    """The history row of the customer's change of their order and its event, in the caller's transaction."""
    change = MarketplaceOrderChange.objects.create(
        order=order, actor_id=order.creator_id, action=action, changes=changes or {}, note=note
    )
    event_data: dict[str, Any] = {**(data or {}), "customer_id": order.creator_id}
    if changes:
        event_data["changes"] = changes
    event_record(
        type=_ORDER_ACTIONS[action],
        object_type="marketplace_order",
        object_id=order.pk,
        actor_id=order.creator_id,
        data=event_data,
        user_ids=[order.creator_id],
    )
    return change


def marketplace_order_event(*, order: MarketplaceOrder) -> None:
    """The publication of an order: its history row and `marketplace_order.created`."""
    marketplace_order_history_record(
        order=order,
        action=MarketplaceOrderAction.CREATED,
        data={
            "name": order.name,
            "price": str(order.price),
            "term": order.term,
            "deadline": order.deadline.isoformat() if order.deadline else None,
        },
    )


def review_event(
    review: OrderReview,
    *,
    actor: Any,
    from_status: str | None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    customer_id: int | None = None,
) -> None:
    """The event of one recorded change of a response (called by its history writer, in the same transaction)."""
    customer_id = customer_id if customer_id is not None else _customer_id(review.order_id)
    by_executor = getattr(actor, "pk", None) == review.executor_id
    if from_status is None:
        event_type = EventType.REVIEW_CREATED
    elif by_executor and from_status == "accepted":
        event_type = EventType.REVIEW_WITHDRAWN
    elif by_executor:
        event_type = EventType.REVIEW_UPDATED
    else:
        event_type = _CUSTOMER_MOVES.get(str(review.status), EventType.REVIEW_UPDATED)
    data: dict[str, Any] = {
        "order_id": review.order_id,
        "executor_id": review.executor_id,
        "customer_id": customer_id,
        "from_status": from_status,
        "to_status": str(review.status),
    }
    if changes:
        data["changes"] = changes
    if note:
        data["note"] = note
    event_record(
        type=event_type,
        object_type="review",
        object_id=review.pk,
        actor=actor,
        data=data,
        user_ids=[review.executor_id, customer_id],
    )


def reviews_auto_rejected_events(
    *,
    order: MarketplaceOrder,
    previous: Iterable[tuple[int, str]],
    customer: Any,
    note: str,
    executors: dict[int, int] | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Events for the responses rejected at once: because another one was accepted, or the order was cancelled
    (`extra` then says so). `executors` maps each response to its executor when the caller already read them."""
    previous = list(previous)
    if executors is None:
        executors = dict(OrderReview.objects.filter(pk__in=[pk for pk, _ in previous]).values_list("pk", "executor_id"))
    for pk, from_status in previous:
        event_record(
            type=EventType.REVIEW_REJECTED,
            object_type="review",
            object_id=pk,
            actor=customer,
            data={
                "order_id": order.pk,
                "executor_id": executors.get(pk),
                "customer_id": order.creator_id,
                "from_status": from_status,
                "to_status": "rejected",
                "note": note,
                **(extra or {}),
            },
            user_ids=[executors.get(pk), order.creator_id],
        )
