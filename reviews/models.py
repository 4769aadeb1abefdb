"""Executors' responses to marketplace orders (document 000) and their recorded history."""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from common.order_codes import OrderCodeField


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
#: An order the feed shows and a newcomer may open: nobody accepted, not done, not cancelled (the feed's indexes
#: cover these rows only).
OPEN_ORDER = Q(executor__isnull=True, done=False, cancelled_at__isnull=True)
#: The executor's "personal area": orders they won.
WORKING_STATUSES = (ReviewStatus.ACCEPTED, ReviewStatus.IN_PROGRESS, ReviewStatus.DONE)


class ExecutorProfile(models.Model):
    """A user's standing in the marketplace (document 000's level, balls and rating).

    Created on first need (the rating of a first finished order, or staff in the admin); a user without one shows
    the defaults (`profile_defaults`).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="executor_profile"
    )
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    balls = models.IntegerField(default=100)
    rating = models.FloatField(default=0, help_text="Mean of the customer scores of the user's finished orders.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "executor profile"

    def __str__(self) -> str:
        return f"executor profile of {self.user}"


#: What a user without a profile row shows.
PROFILE_DEFAULTS: dict[str, Any] = {"level": None, "balls": 100, "rating": 0.0}


def executor_profile(user: Any) -> dict[str, Any]:
    """The user's level, balls and rating: from the profile the selector joined, else the defaults.

    Selectors join it (`select_related("<user>__executor_profile")`), so reading it costs no query.
    """
    try:
        profile = user.executor_profile
    except ExecutorProfile.DoesNotExist:
        return PROFILE_DEFAULTS
    return {"level": profile.level, "balls": profile.balls, "rating": profile.rating}


class MarketplaceOrder(models.Model):
    """An order published by a customer on the marketplace (document 000).

    `executor` is set when the customer accepts a response and `done` when they finish it (with
    `customer_score`): both move only through the responses' transition table (reviews.services).
    `cancelled_at` is set when the customer cancels it before the work starts (`order_cancel_by_customer`):
    a cancelled order has no executor, is not done, and leaves the feed for good.
    """

    order_code = OrderCodeField()
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="marketplace_orders",
        help_text="The customer who published the order.",
    )
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="marketplace_orders_won",
        help_text="The executor of the accepted response.",
    )
    name = models.CharField(max_length=255)
    description = models.TextField()
    price = models.DecimalField(max_digits=12, decimal_places=2)
    term = models.PositiveIntegerField(help_text="Days to do the work.")
    deadline = models.DateTimeField(null=True, blank=True)
    done = models.BooleanField(default=False)
    customer_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, help_text="When the customer cancelled the order.")
    cancel_reason = models.CharField(max_length=255, blank=True, help_text="The customer's reason, if they gave one.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "marketplace order"
        indexes = [
            models.Index(fields=["creator", "-created_at"], name="mkt_order_creator_idx"),
            models.Index(fields=["executor", "-created_at"], name="mkt_order_executor_idx"),
            models.Index(
                fields=["-created_at", "-id"],
                # creator_id rides along so the feed's count ("not mine") is an index-only scan
                include=["creator"],
                condition=OPEN_ORDER,
                name="mkt_order_open_idx",
            ),
            # the feed's price and term filters (its search has a trigram index, see migrations 0002 and 0003)
            models.Index(fields=["price"], condition=OPEN_ORDER, name="mkt_order_price_idx"),
            models.Index(fields=["term"], condition=OPEN_ORDER, name="mkt_order_term_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(customer_score__isnull=True) | Q(customer_score__gte=1, customer_score__lte=5),
                name="mkt_order_customer_score_range",
            ),
            models.CheckConstraint(
                condition=Q(done=False) | Q(executor__isnull=False), name="mkt_order_done_has_executor"
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(executor__isnull=True, done=False),
                name="mkt_order_cancelled_untaken",
                violation_error_message="A cancelled order has no executor and is not done.",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.order_code} {self.name}"


class MarketplaceOrderAction(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    CANCELLED = "cancelled", "Cancelled"


class MarketplaceOrderChange(models.Model):
    """One recorded change of a marketplace order by its customer: published, edited (`changes`) or cancelled.

    The moves of its executor and `done` are recorded on the responses (`OrderReviewStatusChange`), which carry
    them; these rows are the customer's own changes of the order, each written with its event.
    """

    order = models.ForeignKey(MarketplaceOrder, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=16, choices=MarketplaceOrderAction.choices)
    changes = models.JSONField(default=dict, blank=True, help_text="Fields changed: {field: [old, new]}.")
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "marketplace order change"
        indexes = [models.Index(fields=["order", "id"], name="mkt_order_history_idx")]

    def __str__(self) -> str:
        return f"order {self.order_id}: {self.action}"


class OrderReview(models.Model):
    """An executor's response to a marketplace order: created on their first view of the order."""

    order = models.ForeignKey(MarketplaceOrder, on_delete=models.CASCADE, related_name="reviews")
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
        return f"{self.executor}'s response to “{self.order.name}” ({self.get_status_display()})"


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
        return f"response {self.review_id}: {self.from_status or 'created'} → {self.to_status}"
