"""Every read of the partner integration."""

from django.db.models import F, Q, QuerySet

from partner.models import FINAL_STATUS_IDS, OutboxEvent, PartnerOrder


def partner_order_get(*, order_id: int) -> PartnerOrder | None:
    """A placed partner order by our order id (None when unknown or never placed)."""
    return PartnerOrder.objects.filter(order_id=order_id, their_order_id__isnull=False).first()


def partner_orders_open(*, limit: int) -> QuerySet[PartnerOrder]:
    """Placed orders that can still move, least recently checked first (the poller's work list)."""
    return (
        PartnerOrder.objects.filter(their_order_id__isnull=False)
        .filter(~Q(status_id__in=[int(s) for s in FINAL_STATUS_IDS]))
        .order_by(F("status_checked_at").asc(nulls_first=True), "id")[:limit]
    )


def outbox_backlog_count() -> int:
    return OutboxEvent.objects.filter(sent_at__isnull=True).count()
