"""Executors' responses to marketplace orders (document 000) and their recorded history."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from orders.models import Order


class ReviewStatus(models.TextChoices):
    LOOKED = "looked", "Looked"
    RECONCILIATION = "reconciliation", "Reconciliation"
    REJECTED = "rejected", "Rejected"
    ACCEPTED = "accepted", "Accepted"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class CancelReason(models.TextChoices):
    LOW_BUDGET = "low_budget", "Low budget"
    SHORT_TIME = "short_time", "Short time"
    INCOMPREHENSIBLE_TASK = "incomprehensible_task", "Incomprehensible task"
    NOT_ENOUGH_SKILLS = "not_enough_skills", "Not enough skills"
    IM_BUSY = "Im_busy", "I'm busy"


#: Responses the customer can still pick; accepting one rejects every other one of these.
OPEN_STATUSES = (ReviewStatus.LOOKED, ReviewStatus.RECONCILIATION)
#: Once a response reaches one of these, its executor can no longer change it.
EXECUTOR_LOCKED_STATUSES = (
    ReviewStatus.REJECTED,
    ReviewStatus.ACCEPTED,
    ReviewStatus.IN_PROGRESS,
    ReviewStatus.DONE,
)
#: The executor's "personal area": orders they won.
WORKING_STATUSES = (ReviewStatus.ACCEPTED, ReviewStatus.IN_PROGRESS, ReviewStatus.DONE)


class MarketplaceOrderManager(models.Manager["MarketplaceOrder"]):
    def get_queryset(self) -> models.QuerySet["MarketplaceOrder"]:
        return super().get_queryset().filter(organization__isnull=True)


class MarketplaceOrder(Order):
    """Marketplace orders only (no organization): the admin's view of document 000's orders."""

    objects = MarketplaceOrderManager()

    class Meta:
        proxy = True
        verbose_name = "marketplace order"
        verbose_name_plural = "marketplace orders"


class OrderReview(models.Model):
    """An executor's response to a marketplace order: created on their first view of the order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="reviews")
    executor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="order_reviews")
    status = models.CharField(max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.LOOKED)
    to_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    to_deadline = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=32, choices=CancelReason.choices, null=True, blank=True)
    show = models.BooleanField(null=True, blank=True, help_text="False hides the order from the executor's feed.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "executor"], name="reviews_one_per_order_executor"),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=["accepted", "in_progress", "done"]),
                name="reviews_one_winner_per_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ReviewStatus]), name="reviews_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["order", "status", "id"], name="reviews_order_status_idx"),
            models.Index(fields=["executor", "status"], name="reviews_executor_status_idx"),
        ]

    def __str__(self) -> str:
        return f"response #{self.pk} of {self.executor_id} to order {self.order_id} ({self.status})"


class OrderReviewStatusChange(models.Model):
    """One recorded change of a response: who, from which status to which, when, and what else changed."""

    review = models.ForeignKey(OrderReview, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, choices=ReviewStatus.choices, null=True, blank=True)
    to_status = models.CharField(max_length=16, choices=ReviewStatus.choices)
    changes = models.JSONField(default=dict, blank=True, help_text="Other fields changed: {field: [old, new]}.")
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["review", "id"], name="reviews_history_review_idx")]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.from_status or '-'} -> {self.to_status}"
