"""Demo data of the events app: history rows for demo objects written before they had any, a webhook of the demo
customer with a delivered event and its attempt, and the notifications of the marketplace demo."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from appraisals.history import participant_history_record
from appraisals.models import AppraisalParticipant, ParticipantHistory, ParticipantHistoryAction
from events.delivery import events_fan_out
from events.models import DeliveryState, Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookScope
from events.signing import secret_generate
from events.types import Domain
from events.visibility import endpoint_may_receive
from orders.history import order_history_record
from orders.models import Order, OrderHistory, OrderHistoryAction
from reviews.demo import CUSTOMER

DEMO_URL = "https://hooks.example.com/demo-customer"


@transaction.atomic
def seed_demo(*, password: str) -> list[tuple[str, str]]:
    for participant in AppraisalParticipant.objects.exclude(pk__in=ParticipantHistory.objects.values("participant_id")):
        participant_history_record(participant, action=ParticipantHistoryAction.CREATED)
    for order in Order.objects.exclude(pk__in=OrderHistory.objects.values("order_id")):
        order_history_record(order, action=OrderHistoryAction.CREATED, actor=order.creator)
    customer = User.objects.filter(username=CUSTOMER).first()
    endpoint = None
    if customer is not None:
        endpoint, _ = WebhookEndpoint.objects.get_or_create(
            owner=customer,
            url=DEMO_URL,
            defaults={
                "scope": WebhookScope.USER,
                "event_types": ["review.created", "review.accepted", "review.done"],
                "description": "demo: the customer's phone app",
                "secret": secret_generate(),
            },
        )
    while events_fan_out():
        pass
    if endpoint is not None and not endpoint.deliveries.exists():  # fanned out before it existed (make run)
        now = timezone.now()
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                endpoint=endpoint,
                event=event,
                object_key=event.object_key,
                occurred_at=event.occurred_at,
                deadline_at=now + timedelta(hours=24),
            )
            for event in Event.objects.filter(domain=Domain.MARKETPLACE).order_by("occurred_at")
            if endpoint_may_receive(endpoint, event)
        )
    # the demo's deliveries are shown as delivered (nothing is sent to the example URL)
    now = timezone.now()
    for delivery in WebhookDelivery.objects.filter(endpoint__url=DEMO_URL, state=DeliveryState.PENDING):
        WebhookAttempt.objects.create(
            delivery=delivery, started_at=now, duration_ms=42, status_code=200, succeeded=True
        )
        delivery.state, delivery.attempts, delivery.delivered_at = DeliveryState.SUCCEEDED, 1, now
        delivery.last_status_code, delivery.next_attempt_at = 200, now + timedelta(seconds=0)
        delivery.save(update_fields=["state", "attempts", "delivered_at", "last_status_code", "next_attempt_at"])
    return []
