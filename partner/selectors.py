"""Every read of the partner integration."""

from django.db.models import F, Q, QuerySet

from partner.errors import PartnerOrderNotFound, TheirOrderIdMismatch
from partner.models import FINAL_STATUS_IDS, MAX_ORDER_ID, OutboxEvent, PartnerOrder


def partner_order_get(*, order_id: int, their_order_id: str | None = None) -> PartnerOrder:
    """A placed partner order by our order id; `their_order_id`, when given (not blank), must be the partner's id
    we have for it.

    Raises `PartnerOrderNotFound` (unknown, never placed, or beyond a bigint) and `TheirOrderIdMismatch`.
    """
    placed = PartnerOrder.objects.filter(order_id=order_id, their_order_id__isnull=False)
    order = placed.first() if order_id <= MAX_ORDER_ID else None
    if order is None:
        raise PartnerOrderNotFound()
    if their_order_id and their_order_id != order.their_order_id:
        raise TheirOrderIdMismatch()
    return order


def partner_orders_open(*, limit: int) -> QuerySet[PartnerOrder]:
    """Placed orders that can still move, least recently checked first (the poller's work list)."""
    return (
        PartnerOrder.objects.filter(their_order_id__isnull=False)
        .filter(~Q(status_id__in=[int(s) for s in FINAL_STATUS_IDS]))
        .order_by(F("status_checked_at").asc(nulls_first=True), "id")[:limit]
    )


def outbox_backlog_count() -> int:
    return OutboxEvent.objects.filter(sent_at__isnull=True).count()
