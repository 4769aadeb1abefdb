"""The marketplace's entries in the event log (`events.services.event_record`), written next to its history rows.

A response's event names what happened to it: `review.created` on the first view, `review.updated` for the
executor's changes, and the customer's decision otherwise (`review.accepted`, `.rejected`, `.in_progress`,
`.done`). The customer and the executor are the users it belongs to: only they may receive it.
"""

from collections.abc import Iterable
from typing import Any

from events.services import event_record
from events.types import EventType
from reviews.models import MarketplaceOrder, OrderReview

_CUSTOMER_MOVES = {
    "accepted": EventType.REVIEW_ACCEPTED,
    "rejected": EventType.REVIEW_REJECTED,
    "in_progress": EventType.REVIEW_IN_PROGRESS,
    "done": EventType.REVIEW_DONE,
}


def _customer_id(order_id: int) -> int | None:
    return MarketplaceOrder.objects.filter(pk=order_id).values_list("creator_id", flat=True).first()


def marketplace_order_event(*, order: MarketplaceOrder) -> None:
    event_record(
        type=EventType.MARKETPLACE_ORDER_CREATED,
        object_type="marketplace_order",
        object_id=order.pk,
        actor_id=order.creator_id,
        data={
            "name": order.name,
            "price": str(order.price),
            "term": order.term,
            "deadline": order.deadline.isoformat() if order.deadline else None,
            "customer_id": order.creator_id,
        },
        user_ids=[order.creator_id],
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
    *, order: MarketplaceOrder, previous: Iterable[tuple[int, str]], customer: Any, note: str
) -> None:
    """Events for the open responses rejected because another one was accepted."""
    previous = list(previous)
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
            },
            user_ids=[executors.get(pk), order.creator_id],
        )
