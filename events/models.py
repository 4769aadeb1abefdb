"""The event log of the five domains, webhook endpoints with their deliveries and attempts, and notifications."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from events.types import Domain, EventType


class Event(models.Model):
    """One state change, written in the transaction that made it (`events.services.event_record`).

    `organization` and `user_ids` say who it concerns: the domain's rules (`events.visibility`) decide who may
    receive it. `fanned_out_at` is set once its deliveries and notifications exist.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=64, choices=[(t.value, t.value) for t in EventType])
    domain = models.CharField(max_length=16, choices=[(d.value, d.value) for d in Domain])
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64)
    data = models.JSONField(default=dict, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_ids = models.JSONField(default=list, blank=True, help_text="Users the object belongs to (marketplace).")
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["occurred_at", "id"], name="events_occurred_idx"),
            models.Index(fields=["object_type", "object_id", "occurred_at"], name="events_object_idx"),
            models.Index(fields=["type", "occurred_at"], name="events_type_idx"),
            models.Index(
                fields=["occurred_at", "id"], condition=Q(fanned_out_at__isnull=True), name="events_pending_fanout_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.object_type}#{self.object_id}"

    @property
    def object_key(self) -> str:
        return f"{self.object_type}:{self.object_id}"


class WebhookScope(models.TextChoices):
    ORGANIZATION = "organization", "An organization's orders (its owner)"
    USER = "user", "My marketplace activity"
    ASSIGNMENTS = "assignments", "Assignments (Dispatchers)"
    APPRAISALS = "appraisals", "Appraisal participants (hr-integration)"
    PARTNER = "partner", "Partner orders (partner-integration)"


class WebhookEndpoint(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints")
    scope = models.CharField(max_length=16, choices=WebhookScope.choices)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=255, blank=True)
    event_types = models.JSONField(default=list)
    secret = models.CharField(max_length=128, editable=False)
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="events_endpoint_owner_idx"),
            models.Index(fields=["scope", "is_active"], name="events_endpoint_scope_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="organization", organization__isnull=False)
                | (~Q(scope="organization") & Q(organization__isnull=True)),
                name="events_endpoint_organization_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.url} ({self.scope})"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending (next attempt scheduled)"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed (given up)"


class WebhookDelivery(models.Model):
    """One event for one endpoint: attempted until a 2xx or until its deadline passes (then given up)."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    # the event's object and time, copied so that deliveries of one object go out one at a time, in order
    object_key = models.CharField(max_length=100)
    occurred_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    deadline_at = models.DateTimeField(help_text="Given up when not delivered by then.")
    leased_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event"], name="events_delivery_once")]
        indexes = [
            models.Index(fields=["endpoint", "-created_at", "-id"], name="events_delivery_endpoint_idx"),
            models.Index(fields=["endpoint", "state", "-created_at"], name="events_delivery_state_idx"),
            models.Index(fields=["endpoint", "object_key", "occurred_at"], name="events_delivery_object_idx"),
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"), name="events_delivery_due_idx"),
        ]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"delivery {self.pk} of {self.event_id} ({self.state})"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: what the endpoint answered (or why it did not), how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["delivery", "started_at"], name="events_attempt_delivery_idx")]

    def __str__(self) -> str:
        return f"attempt {self.pk}: {self.status_code or self.error}"


class Notification(models.Model):
    """An entry of a person's feed, made from an event that concerns them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=64)
    text = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="events_notification_once")]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="events_notification_user_idx"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="events_notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text}"
