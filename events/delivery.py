"""Fan-out and delivery of events to webhooks, notifications, and the sweep that catches what was missed.

- `event_record` (services) writes the event in the caller's transaction and, once it commits, enqueues
  `events.tasks.fan_out_events`.
- `events_fan_out` takes the pending events oldest first under row locks (concurrent fan-outs take turns, so
  deliveries are created in the order of `occurred_at`), writes one delivery per endpoint allowed to receive the
  event (`events.visibility`) and the notifications, marks the events fanned out, commits, then enqueues the
  deliveries.
- `webhook_deliver` is one attempt: it leases the delivery with a conditional UPDATE (committed; only when no
  earlier delivery of the same object to the same endpoint is still pending, so an endpoint gets an object's
  events in order), posts with no transaction open and a total deadline, logs the attempt, and either finishes
  (and starts the object's next delivery) or schedules the next attempt with exponential backoff. A delivery not
  done by its deadline (`WEBHOOKS_GIVE_UP_HOURS` after it was created) is given up and its endpoint disabled
  with the reason.
- `webhooks_sweep` (periodic) fans out events whose task the broker missed and enqueues overdue deliveries.
"""

import json
import logging
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from events.conf import webhook_settings
from events.http import post
from events.models import (
    DeliveryState,
    Event,
    Notification,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from events.signing import signature
from events.targets import TargetNotAllowed, target_check
from events.types import Domain, EventType
from events.visibility import endpoint_allowed, event_matches

logger = logging.getLogger("events.webhooks")

#: how long one attempt holds a delivery: longer than the delivery task's hard time limit
LEASE = timedelta(seconds=60)
#: a pending delivery or event older than this missed its task: the sweep enqueues it
OVERDUE = timedelta(seconds=30)
FAN_OUT_BATCH = 200
SWEEP_BATCH = 500


class Outcome(StrEnum):
    DELIVERED = "delivered"
    FAILED = "failed"
    GIVEN_UP = "given_up"
    SKIPPED = "skipped"  # done, not due, held by another attempt, waiting for an earlier one, or endpoint disabled


# --- the body ----------------------------------------------------------------------------------------------------
def event_payload(event: Event) -> dict[str, Any]:
    """The event as webhooks send it and the API shows it."""
    return {
        "id": str(event.id),
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat().replace("+00:00", "Z"),
        "actor": {"id": event.actor_id} if event.actor_id is not None else None,
        "object": {"type": event.object_type, "id": event.object_id},
        "data": event.data,
    }


def event_body(event: Event) -> bytes:
    return json.dumps(event_payload(event), ensure_ascii=False, separators=(",", ":")).encode()


# --- enqueueing ----------------------------------------------------------------------------------------------------
def enqueue_fan_out() -> bool:
    from events.tasks import fan_out_events

    try:
        fan_out_events.apply_async()
    except Exception:  # the broker's errors vary by transport; every one of them means "later"
        logger.warning("Event fan-out not enqueued (broker unavailable); the sweep will", exc_info=True)
        return False
    return True


def enqueue_delivery(delivery_id: int, *, countdown: float | None = None) -> bool:
    from events.tasks import deliver_webhook

    try:
        deliver_webhook.apply_async(args=[delivery_id], countdown=countdown)
    except Exception:
        logger.warning("Webhook delivery %s not enqueued (broker unavailable); the sweep will", delivery_id)
        return False
    return True


# --- notifications -------------------------------------------------------------------------------------------------
_NOTIFY_EXECUTOR = {
    EventType.REVIEW_ACCEPTED: "Your response to order #{order_id} was accepted.",
    EventType.REVIEW_REJECTED: "Your response to order #{order_id} was rejected.",
    EventType.REVIEW_IN_PROGRESS: "Work on order #{order_id} has started.",
    EventType.REVIEW_DONE: "Order #{order_id} is done.",
}


def _notification_targets(event: Event) -> list[tuple[Any, str]]:
    """(user id, text) for each person the event is news to: a party of the object, never its own actor."""
    data = event.data
    targets: list[tuple[Any, str]] = []
    if event.type == EventType.REVIEW_CREATED:
        targets.append((data.get("customer_id"), f"New response to your order #{data.get('order_id')}."))
    elif event.type == EventType.REVIEW_WITHDRAWN:
        text = f"The executor withdrew from your order #{data.get('order_id')}: it is open to responses again."
        targets.append((data.get("customer_id"), text))
    elif event.type == EventType.REVIEW_REJECTED and data.get("order_cancelled"):
        reason = f": {data['reason']}" if data.get("reason") else "."
        targets.append(
            (data.get("executor_id"), f"Order #{data.get('order_id')} was cancelled by its customer{reason}")
        )
    elif event.type in _NOTIFY_EXECUTOR:
        targets.append((data.get("executor_id"), _NOTIFY_EXECUTOR[EventType(event.type)].format(**data)))
    elif event.type == EventType.ASSIGNMENT_ASSIGNED:
        executor_id = str(data.get("executor_id", ""))
        if executor_id.isdigit() and len(executor_id) < 19:
            targets.append((int(executor_id), f"Order {data.get('order_id')} was assigned to you."))
    # the text column holds 255 characters; a customer's long reason is cut, the event keeps it whole
    return [
        (user_id, text if len(text) <= 255 else text[:254] + "…")
        for user_id, text in targets
        if user_id is not None and user_id != event.actor_id
    ]


def _notifications(events: list[Event]) -> list[Notification]:
    wanted = [(event, user_id, text) for event in events for user_id, text in _notification_targets(event)]
    existing = set(User.objects.filter(pk__in={user_id for _, user_id, _ in wanted}).values_list("pk", flat=True))
    return [
        Notification(user_id=user_id, event=event, kind=event.type, text=text, created_at=event.occurred_at)
        for event, user_id, text in wanted
        if user_id in existing
    ]


# --- fan-out -------------------------------------------------------------------------------------------------------
def events_fan_out(*, limit: int = FAN_OUT_BATCH) -> int:
    """Deliveries and notifications for the oldest pending events; returns how many events were fanned out."""
    conf = webhook_settings()
    with transaction.atomic():
        events = list(
            Event.objects.filter(fanned_out_at__isnull=True).order_by("occurred_at", "id").select_for_update()[:limit]
        )
        if not events:
            return 0
        endpoints = list(WebhookEndpoint.objects.filter(is_active=True).select_related("owner"))
        allowed: dict[int, bool] = {}  # an owner's rights per endpoint, checked once per pass

        def owner_allowed(endpoint: WebhookEndpoint) -> bool:
            if endpoint.pk not in allowed:
                allowed[endpoint.pk] = endpoint_allowed(endpoint)
            return allowed[endpoint.pk]

        deliveries = []
        now = timezone.now()
        for event in events:
            if event.domain == Domain.WEBHOOK:
                continue
            for endpoint in endpoints:
                if event_matches(endpoint, event) and owner_allowed(endpoint):
                    deliveries.append(
                        WebhookDelivery(
                            endpoint=endpoint,
                            event=event,
                            object_key=event.object_key,
                            occurred_at=event.occurred_at,
                            next_attempt_at=now,
                            deadline_at=now + timedelta(hours=conf.give_up_hours),
                        )
                    )
        WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        Notification.objects.bulk_create(_notifications(events), ignore_conflicts=True)
        event_ids = [event.pk for event in events]
        Event.objects.filter(pk__in=event_ids).update(fanned_out_at=now)
        transaction.on_commit(lambda: _enqueue_first_deliveries(event_ids))
    return len(events)


def _enqueue_first_deliveries(event_ids: list[Any]) -> None:
    for delivery_id in _unblocked(WebhookDelivery.objects.filter(event_id__in=event_ids, state=DeliveryState.PENDING)):
        enqueue_delivery(delivery_id)


def _earlier_pending() -> Any:
    """An earlier pending delivery of the same object to the same endpoint (for `~Exists`)."""
    return WebhookDelivery.objects.filter(
        endpoint_id=OuterRef("endpoint_id"), object_key=OuterRef("object_key"), state=DeliveryState.PENDING
    ).filter(Q(occurred_at__lt=OuterRef("occurred_at")) | Q(occurred_at=OuterRef("occurred_at"), pk__lt=OuterRef("pk")))


def _unblocked(deliveries: Any) -> list[int]:
    return list(
        deliveries.filter(~Exists(_earlier_pending())).order_by("occurred_at", "id").values_list("pk", flat=True)
    )


# --- one attempt ---------------------------------------------------------------------------------------------------
def retry_delay(attempts: int) -> timedelta:
    conf = webhook_settings()
    return timedelta(seconds=min(conf.backoff * 2 ** max(attempts - 1, 0), conf.backoff_max))


def _claim(delivery_id: int, *, now: Any) -> bool:
    # the task's countdown brings it back at about next_attempt_at; a second of slack absorbs clock jitter
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now + timedelta(seconds=1)
        )
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .filter(endpoint__is_active=True)
        .filter(~Exists(_earlier_pending()))
        .update(leased_until=now + LEASE, attempts=F("attempts") + 1)
    )


def webhook_deliver(*, delivery_id: int) -> tuple[Outcome, timedelta | None]:
    """One attempt of one delivery (outside any transaction); the outcome and, after a failure, the next delay."""
    conf = webhook_settings()
    now = timezone.now()
    if not _claim(delivery_id, now=now):
        return Outcome.SKIPPED, None
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if now >= delivery.deadline_at:
        _give_up(delivery, now=now)
        return Outcome.GIVEN_UP, None

    body = event_body(delivery.event)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "orders-platform-webhooks/1",
        "Webhook-Id": str(delivery.event_id),
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signature(secret=endpoint.secret, timestamp=timestamp, body=body),
    }
    try:
        target_check(endpoint.url)
    except TargetNotAllowed as exc:
        status_code, error, duration_ms, ok = None, f"target refused: {exc}", 0, False
    else:
        result = post(endpoint.url, body=body, headers=headers, timeout=conf.timeout, deadline=conf.deadline)
        status_code, error, duration_ms, ok = result.status_code, result.error, result.duration_ms, result.ok
    WebhookAttempt.objects.create(
        delivery=delivery, started_at=now, duration_ms=duration_ms, status_code=status_code, error=error, succeeded=ok
    )
    if ok:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.SUCCEEDED,
            delivered_at=timezone.now(),
            leased_until=None,
            last_status_code=status_code,
            last_error="",
        )
        _start_next(delivery)
        return Outcome.DELIVERED, None
    delay = retry_delay(delivery.attempts)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        leased_until=None, next_attempt_at=timezone.now() + delay, last_status_code=status_code, last_error=error
    )
    logger.info("Webhook delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error)
    return Outcome.FAILED, delay


def _give_up(delivery: WebhookDelivery, *, now: Any) -> None:
    hours = webhook_settings().give_up_hours
    reason = (
        f"Deliveries failed for {hours:g} hours (last error: {delivery.last_error or 'none'}); "
        "fix the endpoint and enable it again (PATCH is_active: true)."
    )[:500]
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.FAILED, leased_until=None, attempts=F("attempts") - 1
        )
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id, is_active=True).update(
            is_active=False, disabled_at=now, disabled_reason=reason
        )
    logger.warning("Webhook endpoint %s disabled: %s", delivery.endpoint_id, reason)


def _start_next(delivery: WebhookDelivery) -> None:
    following = WebhookDelivery.objects.filter(
        endpoint_id=delivery.endpoint_id, object_key=delivery.object_key, state=DeliveryState.PENDING
    )
    for delivery_id in _unblocked(following)[:1]:
        enqueue_delivery(delivery_id)


# --- the sweep -----------------------------------------------------------------------------------------------------
def webhooks_sweep() -> int:
    """Fan out events the broker missed; enqueue deliveries whose attempt is overdue. Returns deliveries enqueued."""
    now = timezone.now()
    if Event.objects.filter(fanned_out_at__isnull=True, occurred_at__lt=now - OVERDUE).exists():
        while events_fan_out():
            pass
    due = WebhookDelivery.objects.filter(
        state=DeliveryState.PENDING, next_attempt_at__lt=now - OVERDUE, endpoint__is_active=True
    ).filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
    return sum(enqueue_delivery(delivery_id) for delivery_id in _unblocked(due)[:SWEEP_BATCH])


def deliveries_resume(*, endpoint: WebhookEndpoint) -> None:
    """An endpoint enabled again: its pending deliveries get a fresh deadline and go out now (after commit)."""
    now = timezone.now()
    hours = webhook_settings().give_up_hours
    WebhookDelivery.objects.filter(endpoint=endpoint, state=DeliveryState.PENDING).update(
        next_attempt_at=now, deadline_at=now + timedelta(hours=hours), leased_until=None
    )
    pending = WebhookDelivery.objects.filter(endpoint=endpoint, state=DeliveryState.PENDING)
    transaction.on_commit(lambda: [enqueue_delivery(pk) for pk in _unblocked(pending)])
