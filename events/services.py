"""Every state change of the events app: the log itself, webhook endpoints, replays and test events, notifications.

`event_record` is the one way a domain writes to the log: call it inside the transaction of the change, next to
the history row. Webhook fan-out and notifications follow once that transaction commits (`events.delivery`).
"""

import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from events import errors
from events.delivery import deliveries_resume, enqueue_delivery, enqueue_fan_out
from events.models import DeliveryState, Event, Notification, WebhookDelivery, WebhookEndpoint, WebhookScope
from events.signing import secret_generate
from events.targets import TargetNotAllowed, target_check
from events.types import Domain, EventType, domain_of, types_of
from events.visibility import SCOPE_DOMAIN, scope_allowed


def event_record(
    *,
    type: EventType | str,
    object_type: str,
    object_id: Any,
    actor: Any = None,
    actor_id: int | None = None,
    data: dict[str, Any] | None = None,
    organization_id: int | None = None,
    user_ids: Iterable[int | None] = (),
    event_id: uuid.UUID | None = None,
) -> Event:
    """Write one event in the caller's transaction; its fan-out is enqueued when that transaction commits.

    `actor` (or `actor_id`) is the user who made the change (None for the platform itself), `organization_id`
    and `user_ids` who the object belongs to (they decide who may receive it, see `events.visibility`).
    `event_id` reuses an id another channel already announced the event under (the partner's `message_id`).
    """
    if actor is not None:
        actor_id = getattr(actor, "pk", None)
    event = Event.objects.create(
        id=event_id or uuid.uuid4(),
        type=str(type),
        domain=domain_of(str(type)),
        object_type=object_type,
        object_id=str(object_id),
        actor_id=actor_id,
        data=data or {},
        organization_id=organization_id,
        user_ids=sorted({int(pk) for pk in user_ids if pk is not None}),
    )
    transaction.on_commit(enqueue_fan_out)
    return event


# --- webhook endpoints -------------------------------------------------------------------------------------------
def _check_target(url: str) -> None:
    try:
        target_check(url)
    except TargetNotAllowed as exc:
        raise errors.target_not_allowed(str(exc)) from exc


def _check_types(event_types: list[str], scope: str) -> list[str]:
    allowed = set(types_of(SCOPE_DOMAIN[scope]))
    wrong = [t for t in event_types if t not in allowed]
    if wrong:
        raise errors.event_type_not_in_scope(wrong, scope)
    return sorted(set(event_types))


@transaction.atomic
def webhook_create(
    *,
    owner: User,
    scope: str,
    url: str,
    event_types: list[str],
    organization_id: int | None = None,
    description: str = "",
) -> WebhookEndpoint:
    """Register an endpoint. The owner must be allowed the scope (`events.visibility`); the URL must be a target
    the server may call (`events.targets`). The secret is generated here and shown once, in the answer."""
    if scope != WebhookScope.ORGANIZATION:
        organization_id = None
    if not scope_allowed(user=owner, scope=scope, organization_id=organization_id):
        raise errors.scope_not_allowed()
    _check_target(url)
    return WebhookEndpoint.objects.create(
        owner=owner,
        scope=scope,
        organization_id=organization_id,
        url=url,
        event_types=_check_types(event_types, scope),
        description=description,
        secret=secret_generate(),
    )


def _own(*, endpoint_id: int, owner: User, lock: bool = False) -> WebhookEndpoint:
    queryset = WebhookEndpoint.objects.filter(pk=endpoint_id, owner=owner)
    endpoint = (queryset.select_for_update() if lock else queryset).first()
    if endpoint is None:
        raise errors.webhook_not_found()
    return endpoint


@transaction.atomic
def webhook_update(*, endpoint_id: int, owner: User, data: dict[str, Any]) -> WebhookEndpoint:
    """Change the URL, event types, description, or enable / disable the endpoint (enabling resumes its pending
    deliveries with a fresh deadline)."""
    endpoint = _own(endpoint_id=endpoint_id, owner=owner, lock=True)
    fields: list[str] = []
    if "url" in data and data["url"] != endpoint.url:
        _check_target(data["url"])
        endpoint.url = data["url"]
        fields.append("url")
    if "event_types" in data:
        endpoint.event_types = _check_types(data["event_types"], endpoint.scope)
        fields.append("event_types")
    if "description" in data:
        endpoint.description = data["description"]
        fields.append("description")
    if "is_active" in data and data["is_active"] != endpoint.is_active:
        endpoint_set_active(endpoint=endpoint, active=data["is_active"], reason="Disabled by its owner.", save=False)
        fields += ["is_active", "disabled_at", "disabled_reason"]
    if fields:
        endpoint.save(update_fields=[*fields, "updated_at"])
    return endpoint


def endpoint_set_active(*, endpoint: WebhookEndpoint, active: bool, reason: str = "", save: bool = True) -> None:
    """Enable (resuming pending deliveries) or disable (with the reason its owner sees) an endpoint."""
    endpoint.is_active = active
    endpoint.disabled_at = None if active else timezone.now()
    endpoint.disabled_reason = "" if active else reason
    if save:
        endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    if active:
        deliveries_resume(endpoint=endpoint)


@transaction.atomic
def webhook_delete(*, endpoint_id: int, owner: User) -> None:
    _own(endpoint_id=endpoint_id, owner=owner, lock=True).delete()


@transaction.atomic
def webhook_delivery_replay(*, endpoint_id: int, delivery_id: int, owner: User) -> WebhookDelivery:
    """Send a delivery again (same event, same `Webhook-Id`): it becomes pending with a fresh deadline."""
    endpoint = _own(endpoint_id=endpoint_id, owner=owner)
    delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id, endpoint=endpoint).first()
    if delivery is None:
        raise errors.delivery_not_found()
    now = timezone.now()
    delivery.state = DeliveryState.PENDING
    delivery.next_attempt_at = now
    delivery.deadline_at = now + (delivery.deadline_at - delivery.created_at)
    delivery.leased_until = None
    delivery.save(update_fields=["state", "next_attempt_at", "deadline_at", "leased_until"])
    transaction.on_commit(lambda: enqueue_delivery(delivery.pk))
    return delivery


@transaction.atomic
def webhook_send_test(*, endpoint_id: int, owner: User) -> WebhookDelivery:
    """A `webhook.test` event for this endpoint only (never fanned out to others), delivered like any other."""
    from events.conf import webhook_settings

    endpoint = _own(endpoint_id=endpoint_id, owner=owner)
    now = timezone.now()
    event = Event.objects.create(
        type=EventType.WEBHOOK_TEST,
        domain=Domain.WEBHOOK,
        object_type="webhook",
        object_id=str(endpoint.pk),
        actor=owner,
        data={"message": "A test event: your endpoint is reachable and verifies signatures."},
        fanned_out_at=now,
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=event,
        object_key=event.object_key,
        occurred_at=event.occurred_at,
        next_attempt_at=now,
        deadline_at=now + timedelta(hours=webhook_settings().give_up_hours),
    )
    transaction.on_commit(lambda: enqueue_delivery(delivery.pk))
    return delivery


# --- notifications -------------------------------------------------------------------------------------------------
def notification_read(*, notification_id: int, user: User) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, user=user).select_related("event").first()
    if notification is None:
        raise errors.notification_not_found()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notification_read_all(*, user: User) -> int:
    """Mark every unread notification of mine read; returns how many."""
    unread: QuerySet[Notification] = Notification.objects.filter(user=user, read_at__isnull=True)
    return unread.update(read_at=timezone.now())
