import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class OrderType(models.IntegerChoices):
    PREORDER = 1, "pre-order"
    RESERVATION = 2, "reservation"


class StatusId(models.IntegerChoices):
    """Our status of a partner order; `UNKNOWN` when the partner answered a status we cannot map."""

    UNKNOWN = -1, "unknown"
    CREATED = 0, "created"
    ACCEPTED = 1, "accepted / in delivery"
    DONE = 2, "done"
    CANCELLED = 3, "cancelled"
    IN_SHOP = 4, "in shop"


# The partner's status -> ours (document 004). Anything else maps to UNKNOWN, is logged and counted.
THEIR_STATUS_MAP: dict[str, int] = {
    "created": StatusId.CREATED,
    "accepted": StatusId.ACCEPTED,
    "delivery": StatusId.ACCEPTED,
    "done": StatusId.DONE,
    "cancelled": StatusId.CANCELLED,
    "in_shop": StatusId.IN_SHOP,
}
# The partner owns the state machine and we record what it says; these are the statuses that can still move,
# so the poller follows them (and an order reported done or cancelled is no longer polled).
FINAL_STATUS_IDS = frozenset({StatusId.DONE, StatusId.CANCELLED})
MAX_ORDER_ID = 2**63 - 1  # order_id is a bigint


class Placement(models.TextChoices):
    """Where placing an order with the partner stands.

    `UNKNOWN` is recorded (and committed) before `/create` is sent, so a request that times out, loses its
    connection or dies mid-call leaves the order there: the partner may or may not have it. Only the partner's
    `find-orders` settles it (a client's retry or the reconciliation task), never a second blind `/create`.
    """

    NEW = "new", "not placed"
    UNKNOWN = "unknown", "sent, outcome unknown"
    PLACED = "placed", "placed"


class PartnerOrder(models.Model):
    """One of our pharmacy orders as sent to the partner. `their_order_id` is empty until the partner accepted it."""

    order_id = models.BigIntegerField(unique=True, help_text="Our order id (external_id at the partner).")
    their_order_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    their_pharmacy_id = models.CharField(max_length=64)
    order_type = models.PositiveSmallIntegerField(choices=OrderType.choices, default=OrderType.RESERVATION)
    ordered_at = models.DateTimeField(null=True, blank=True, help_text="The order's date as the caller sent it.")
    client = models.JSONField(default=dict, blank=True)
    items = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True, default="")
    extra = models.JSONField(default=dict, blank=True)
    status_id = models.SmallIntegerField(
        choices=StatusId.choices, null=True, blank=True, help_text="Empty while the order is not placed."
    )
    their_status_id = models.CharField(max_length=64, blank=True, default="")
    their_items = models.JSONField(null=True, blank=True)
    api_version = models.CharField(max_length=2, default="v2")
    last_error = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status_checked_at = models.DateTimeField(null=True, blank=True)
    placement = models.CharField(max_length=8, choices=Placement.choices, default=Placement.NEW)
    create_sent_at = models.DateTimeField(null=True, blank=True, help_text="When /create was last sent.")
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="A request or task is talking to the partner about this order until then."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("use_partner_api", "Can call the partner integration API (v1, v2)")]
        indexes = [
            # The poller's scan: placed orders that can still move, least recently checked first.
            models.Index(
                fields=["status_checked_at", "id"],
                condition=Q(their_order_id__isnull=False) & ~Q(status_id__in=[2, 3]),
                name="partner_open_orders_idx",
            ),
            models.Index(fields=["status_id", "-created_at"], name="partner_status_created_idx"),
            # The reconciliation's scan: orders whose /create outcome is unknown, oldest first.
            models.Index(
                fields=["create_sent_at", "id"],
                condition=Q(placement="unknown"),
                name="partner_unknown_orders_idx",
            ),
            # The admin's list (newest first), its date hierarchy and its date filter.
            models.Index(fields=["-created_at", "-id"], name="partner_order_created_idx"),
        ]

    def __str__(self) -> str:
        return f"order {self.order_id} → {self.their_order_id or 'not placed'}"


class PartnerOrderStatusChange(models.Model):
    """History: every move of a partner order's status, with where we learnt it."""

    class Source(models.TextChoices):
        CREATE = "create", "order placed"
        STATUS_REQUEST = "status_request", "status request"
        POLL = "poll", "poller"
        CANCEL = "cancel", "cancellation"
        RECONCILE = "reconcile", "reconciliation"

    order = models.ForeignKey(PartnerOrder, on_delete=models.CASCADE, related_name="status_changes")
    previous_status_id = models.SmallIntegerField(choices=StatusId.choices, null=True, blank=True)
    status_id = models.SmallIntegerField(choices=StatusId.choices)
    previous_their_status_id = models.CharField(max_length=64, blank=True, default="")
    their_status_id = models.CharField(max_length=64, blank=True, default="")
    source = models.CharField(max_length=16, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["order", "-created_at"], name="partner_history_order_idx"),
            # The admin's list (newest first) and its filters on date, status and source.
            models.Index(fields=["-created_at", "-id"], name="partner_history_created_idx"),
            models.Index(fields=["status_id", "-created_at", "-id"], name="partner_history_status_idx"),
            models.Index(fields=["source", "-created_at", "-id"], name="partner_history_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.previous_status_id} → {self.status_id}"


class OutboxEvent(models.Model):
    """A change to publish to RabbitMQ, written in the same transaction as the change (transactional outbox)."""

    class EventType(models.TextChoices):
        CREATED = "created", "order created"
        STATUS_CHANGED = "status_changed", "status changed"
        CANCELLED = "cancelled", "order cancelled"
        ITEMS_CHANGED = "items_changed", "partner's items changed"

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="AMQP message_id.")
    event_type = models.CharField(max_length=32, choices=EventType.choices)
    order = models.ForeignKey(PartnerOrder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    leased_until = models.DateTimeField(null=True, blank=True, help_text="A publish attempt holds it until then.")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["id"], condition=Q(sent_at__isnull=True), name="partner_outbox_pending_idx"),
            models.Index(fields=["-created_at"], name="partner_outbox_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class PartnerDuplicateOrder(models.Model):
    """An extra partner order for one of our order ids (the partner created an order twice, e.g. a `/create` whose
    answer was lost and which was sent again), found by `find-orders` and cancelled at the partner."""

    order = models.ForeignKey(PartnerOrder, on_delete=models.CASCADE, related_name="duplicates")
    their_order_id = models.CharField(max_length=64, unique=True)
    found_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Cancel attempts.")
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-found_at", "-id"]
        indexes = [
            models.Index(fields=["-found_at", "-id"], name="partner_duplicate_found_idx"),
            models.Index(fields=["id"], condition=Q(cancelled_at__isnull=True), name="partner_duplicate_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.their_order_id} (duplicate of order {self.order_id})"
