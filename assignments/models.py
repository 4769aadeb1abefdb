"""Orders assigned to executors by the dispatch system (document 002), with their status history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assignments.errors import AssignmentErrorCode
from common.state_machine import StateMachine

ID_MAX_LENGTH = 64


class AssignedOrderStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    ACQUIRED = "acquired", "Acquired"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


# An executor's "active" order: the one they are expected to carry out.
ACTIVE_STATUSES = frozenset({AssignedOrderStatus.ASSIGNED, AssignedOrderStatus.ACQUIRED})


class AssignmentAction(models.TextChoices):
    ASSIGN = "assign", "Assigned by the dispatch system"
    ACQUIRE = "acquire", "Acquired by the executor"
    COMPLETE = "complete", "Completed"
    CANCEL = "cancel", "Cancelled"
    SUPERSEDE = "supersede", "Completed by a newer assignment to the same executor"


S = AssignedOrderStatus

# The state machine, in one table: action → {from status: {to status}}. ASSIGN creates the row (no source status)
# and is not a move; every other action moves an existing row, under a row lock (see services.py).
ALLOWED_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    AssignmentAction.ACQUIRE: {S.ASSIGNED: frozenset({S.ACQUIRED}), S.ACQUIRED: frozenset({S.ACQUIRED})},
    AssignmentAction.COMPLETE: {S.ACQUIRED: frozenset({S.COMPLETED})},
    AssignmentAction.CANCEL: {S.ASSIGNED: frozenset({S.CANCELLED}), S.ACQUIRED: frozenset({S.CANCELLED})},
    AssignmentAction.SUPERSEDE: {S.ASSIGNED: frozenset({S.COMPLETED}), S.ACQUIRED: frozenset({S.COMPLETED})},
}

ASSIGNMENT_MACHINE = StateMachine(
    name="assigned order",
    table=ALLOWED_TRANSITIONS,
    error_code=AssignmentErrorCode.INVALID_TRANSITION,
)

# The timestamp each target status stamps.
STATUS_TIMESTAMP_FIELD: dict[str, str] = {
    AssignedOrderStatus.ACQUIRED: "acquired_at",
    AssignedOrderStatus.COMPLETED: "completed_at",
    AssignedOrderStatus.CANCELLED: "cancelled_at",
}


class AssignedOrder(models.Model):
    """One order assigned to one executor in one zone; identifiers are the dispatch system's, stored as given."""

    order_id = models.CharField(max_length=ID_MAX_LENGTH, unique=True)
    executor_id = models.CharField(max_length=ID_MAX_LENGTH)
    zone_id = models.CharField(max_length=ID_MAX_LENGTH)
    status = models.CharField(
        max_length=16,
        choices=AssignedOrderStatus.choices,
        default=AssignedOrderStatus.ASSIGNED,
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    acquired_at = models.DateTimeField(null=True, blank=True, help_text="The last acquire.")
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-assigned_at", "-id")
        constraints = [
            # An executor carries at most one order at a time; this partial index is also the lookup
            # index for "the executor's active order".
            models.UniqueConstraint(
                fields=["executor_id"],
                condition=Q(status__in=sorted(ACTIVE_STATUSES)),
                name="assignments_one_active_order_per_executor",
                violation_error_message="This executor already has an assigned or acquired order.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssignedOrderStatus.values),
                name="assignments_assignedorder_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(order_id="") & ~Q(executor_id="") & ~Q(zone_id=""),
                name="assignments_assignedorder_ids_not_empty",
            ),
        ]
        indexes = [
            models.Index(fields=["executor_id", "-assigned_at"], name="assign_executor_assigned_idx"),
            models.Index(fields=["zone_id", "-assigned_at"], name="assign_zone_assigned_idx"),
            models.Index(fields=["status", "-assigned_at"], name="assign_status_assigned_idx"),
            models.Index(fields=["-assigned_at", "-id"], name="assign_assigned_at_idx"),
        ]

    def __str__(self) -> str:
        return f"order {self.order_id} for executor {self.executor_id} ({self.get_status_display()})"


class AssignedOrderHistory(models.Model):
    """Every status change of an assigned order: what moved it, from where to where, who and when."""

    # PROTECT: the audit trail outlives nothing it describes; orders are cancelled, never removed.
    assigned_order = models.ForeignKey(AssignedOrder, on_delete=models.PROTECT, related_name="history")
    action = models.CharField(max_length=16, choices=AssignmentAction.choices)
    from_status = models.CharField(
        max_length=16,
        choices=AssignedOrderStatus.choices,
        blank=True,
        help_text="Empty when the row was created.",
    )
    to_status = models.CharField(max_length=16, choices=AssignedOrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name_plural = "assigned order history"
        indexes = [
            models.Index(fields=["assigned_order", "created_at"], name="assign_history_order_idx"),
            # The admin's audit list: newest first, optionally by action and/or a created_at range.
            models.Index(fields=["created_at", "id"], name="assign_history_created_idx"),
            models.Index(fields=["action", "created_at", "id"], name="assign_history_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.assigned_order_id}: {self.from_status or '∅'} → {self.to_status} ({self.action})"
