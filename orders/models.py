from django.conf import settings
from django.db import models

from common.order_codes import OrderCodeField, generate_order_code

__all__ = ["Order", "generate_order_code"]


class Order(models.Model):
    """An organization's order (document 001): always in an organization, for one of its clients and services,
    with an executor. The marketplace's orders (document 000) are `reviews.MarketplaceOrder`, a table of their own.
    """

    order_code = OrderCodeField()
    description = models.TextField()
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="orders")
    client = models.ForeignKey("organizations.Client", on_delete=models.PROTECT, related_name="orders")
    service = models.ForeignKey("organizations.Service", on_delete=models.PROTECT, related_name="orders")
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_orders")
    executor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="executed_orders")
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="orders_org_created_idx"),
            models.Index(fields=["organization", "creator", "-created_at"], name="orders_org_creator_idx"),
            models.Index(fields=["organization", "done", "-created_at"], name="orders_org_done_idx"),
            models.Index(fields=["executor", "-created_at"], name="orders_executor_idx"),
            models.Index(fields=["creator", "-created_at"], name="orders_creator_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.order_code} {self.description[:40]}"


class OrderHistoryAction(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    DELETED = "deleted", "Deleted"


class OrderHistory(models.Model):
    """Every change of an organization order (written by its services): created, updated with the fields changed
    (`{field: [old, new]}`), or deleted; who and when. It keeps the order's id after the order is deleted."""

    order_id = models.BigIntegerField()
    order_code = models.BigIntegerField()
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=16, choices=OrderHistoryAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "order history"
        indexes = [
            models.Index(fields=["order_id", "created_at"], name="orders_history_order_idx"),
            models.Index(fields=["organization", "-created_at"], name="orders_history_org_idx"),
        ]

    def __str__(self) -> str:
        return f"order {self.order_id}: {self.action}"
