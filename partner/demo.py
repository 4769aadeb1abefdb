"""Demo data: a service account in the `partner-integration` group (made by migration 0004) allowed to call /v1 and
/v2, and one placed pharmacy order with its status history and published events, so every partner screen of the
admin has something to show."""

import uuid
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.demo import ensure_user
from partner.models import OrderType, OutboxEvent, PartnerOrder, PartnerOrderStatusChange, Placement, StatusId
from partner.permissions import PARTNER_API_GROUP

DEMO_ORDER_ID = 900001
DEMO_ITEMS = [{"their_id": "58", "price": 10, "count": 2}, {"their_id": "21737", "price": 10, "count": 1}]


def seed_demo(*, password: str) -> list[tuple[str, str]]:
    user = ensure_user(username="partner-service", password=password, first_name="Partner", last_name="Service")
    user.groups.add(Group.objects.get(name=PARTNER_API_GROUP))
    _placed_order(user)
    return [("partner-service", f"{PARTNER_API_GROUP} group: /v1/*, /v2/orders/ (fake partner with make run)")]


def _placed_order(user: object) -> None:
    """An order placed an hour ago and accepted by the partner since, as the services would have recorded it."""
    if PartnerOrder.objects.filter(order_id=DEMO_ORDER_ID).exists():
        return
    placed_at = timezone.now() - timedelta(hours=1)
    order = PartnerOrder.objects.create(
        order_id=DEMO_ORDER_ID,
        their_order_id="demo-5001",
        their_pharmacy_id="1086",
        order_type=OrderType.RESERVATION,
        ordered_at=placed_at,
        client={"name": "Demo Client", "phone": "79997772211", "email": "client@example.com"},
        items=DEMO_ITEMS,
        their_items=DEMO_ITEMS,
        status_id=StatusId.ACCEPTED,
        their_status_id="accepted",
        placement=Placement.PLACED,
        create_sent_at=placed_at,
        status_checked_at=timezone.now(),
        created_by=user,  # type: ignore[misc]
    )
    for previous, status, their_previous, their_status, source in (
        (None, StatusId.CREATED, "", "created", PartnerOrderStatusChange.Source.CREATE),
        (StatusId.CREATED, StatusId.ACCEPTED, "created", "accepted", PartnerOrderStatusChange.Source.POLL),
    ):
        PartnerOrderStatusChange.objects.create(
            order=order,
            previous_status_id=previous,
            status_id=status,
            previous_their_status_id=their_previous,
            their_status_id=their_status,
            source=source,
        )
    for event_type, status in (
        (OutboxEvent.EventType.CREATED, StatusId.CREATED),
        (OutboxEvent.EventType.STATUS_CHANGED, StatusId.ACCEPTED),
    ):
        event_id = uuid.uuid4()
        payload = {
            "event_id": str(event_id),
            "event": event_type,
            "order_id": DEMO_ORDER_ID,
            "their_order_id": order.their_order_id,
            "status_id": int(status),
            "their_status_id": "created" if status == StatusId.CREATED else "accepted",
            "their_items": DEMO_ITEMS,
            "time": placed_at.isoformat(),
        }
        OutboxEvent.objects.create(
            event_id=event_id, event_type=event_type, order=order, payload=payload, sent_at=timezone.now(), attempts=1
        )
