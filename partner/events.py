"""Partner orders' entries in the event log: the outbox (`services._outbox_write`) records each event it publishes
under the same id, so the log and the RabbitMQ message (`message_id`) name one event. The RabbitMQ contract is
unchanged. Readers through the API hold `partner.use_partner_api` (the partner-integration group)."""

import uuid

from events.services import event_record
from partner.models import PartnerOrder


def partner_order_event(*, order: PartnerOrder, event_type: str, event_id: uuid.UUID) -> None:
    event_record(
        type=f"partner_order.{event_type}",
        object_type="partner_order",
        object_id=order.order_id,
        actor_id=order.created_by_id if event_type == "created" else None,
        data={
            "order_id": order.order_id,
            "their_order_id": order.their_order_id,
            "status_id": order.status_id,
            "their_status_id": order.their_status_id,
            "their_items": order.their_items,
        },
        event_id=event_id,
    )
