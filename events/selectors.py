"""Every read of the events app."""

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from events import errors
from events.models import Notification, WebhookAttempt, WebhookDelivery, WebhookEndpoint


def webhook_list(*, owner: User) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(owner=owner).order_by("-created_at", "-id")


def webhook_get(*, endpoint_id: int, owner: User) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, owner=owner).first()
    if endpoint is None:
        raise errors.webhook_not_found()
    return endpoint


def webhook_delivery_list(*, endpoint_id: int, owner: User) -> QuerySet[WebhookDelivery]:
    """The endpoint's deliveries, newest first, with the event and every attempt (two queries whatever the page)."""
    endpoint = webhook_get(endpoint_id=endpoint_id, owner=owner)
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("started_at", "id")))
        .order_by("-created_at", "-id")
    )


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("event").order_by("-created_at", "-id")


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
