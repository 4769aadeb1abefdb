"""The event types of the log: one StrEnum, each with its domain and an example (the README and schema show them).

A type is `<object>.<what happened>`. The domain decides who may receive an event (see `events.visibility`).
"""

from enum import StrEnum
from typing import Any


class Domain(StrEnum):
    MARKETPLACE = "marketplace"
    ORGANIZATION = "organization"
    ASSIGNMENTS = "assignments"
    APPRAISALS = "appraisals"
    PARTNER = "partner"
    WEBHOOK = "webhook"  # test events: sent to one endpoint, never fanned out


class EventType(StrEnum):
    MARKETPLACE_ORDER_CREATED = "marketplace_order.created"
    MARKETPLACE_ORDER_UPDATED = "marketplace_order.updated"
    MARKETPLACE_ORDER_CANCELLED = "marketplace_order.cancelled"
    REVIEW_CREATED = "review.created"
    REVIEW_UPDATED = "review.updated"
    REVIEW_ACCEPTED = "review.accepted"
    REVIEW_REJECTED = "review.rejected"
    REVIEW_IN_PROGRESS = "review.in_progress"
    REVIEW_DONE = "review.done"
    REVIEW_WITHDRAWN = "review.withdrawn"
    ORGANIZATION_ORDER_CREATED = "organization_order.created"
    ORGANIZATION_ORDER_UPDATED = "organization_order.updated"
    ORGANIZATION_ORDER_DELETED = "organization_order.deleted"
    ASSIGNMENT_ASSIGNED = "assignment.assigned"
    ASSIGNMENT_ACQUIRED = "assignment.acquired"
    ASSIGNMENT_COMPLETED = "assignment.completed"
    ASSIGNMENT_CANCELLED = "assignment.cancelled"
    ASSIGNMENT_SUPERSEDED = "assignment.superseded"
    PARTICIPANT_CREATED = "participant.created"
    PARTICIPANT_UPDATED = "participant.updated"
    PARTICIPANT_DELETED = "participant.deleted"
    PARTNER_ORDER_CREATED = "partner_order.created"
    PARTNER_ORDER_STATUS_CHANGED = "partner_order.status_changed"
    PARTNER_ORDER_CANCELLED = "partner_order.cancelled"
    PARTNER_ORDER_ITEMS_CHANGED = "partner_order.items_changed"
    WEBHOOK_TEST = "webhook.test"


_PREFIX_DOMAIN = {
    "marketplace_order": Domain.MARKETPLACE,
    "review": Domain.MARKETPLACE,
    "organization_order": Domain.ORGANIZATION,
    "assignment": Domain.ASSIGNMENTS,
    "participant": Domain.APPRAISALS,
    "partner_order": Domain.PARTNER,
    "webhook": Domain.WEBHOOK,
}


def domain_of(event_type: str) -> Domain:
    return _PREFIX_DOMAIN[event_type.split(".", 1)[0]]


def types_of(domain: Domain) -> list[str]:
    return [str(t) for t in EventType if domain_of(t) == domain]


#: what happened, and an example of `data`, per type (the README and the schema render this table)
DESCRIPTIONS: dict[EventType, tuple[str, dict[str, Any]]] = {
    EventType.MARKETPLACE_ORDER_CREATED: (
        "A customer published a marketplace order.",
        {"name": "Fix a tap", "price": "1500.00", "term": 3, "customer_id": 7},
    ),
    EventType.MARKETPLACE_ORDER_UPDATED: (
        "The customer edited the order's terms before accepting anyone: `changes` names each field with its old and "
        "new value.",
        {"customer_id": 7, "changes": {"price": ["1500.00", "1800.00"], "term": [3, 5]}},
    ),
    EventType.MARKETPLACE_ORDER_CANCELLED: (
        "The customer cancelled the order before the work started; every open or accepted response is rejected "
        "(each with its `review.rejected`).",
        {"customer_id": 7, "reason": "Found someone locally.", "rejected_review_ids": [31, 32]},
    ),
    EventType.REVIEW_CREATED: (
        "An executor opened an order: their response exists (looked).",
        {"order_id": 12, "executor_id": 9, "customer_id": 7, "from_status": None, "to_status": "looked"},
    ),
    EventType.REVIEW_UPDATED: (
        "The executor changed their response (negotiation, hiding, declining).",
        {
            "order_id": 12,
            "executor_id": 9,
            "customer_id": 7,
            "from_status": "looked",
            "to_status": "reconciliation",
            "changes": {"to_price": [None, "1400.00"]},
        },
    ),
    EventType.REVIEW_ACCEPTED: (
        "The customer accepted the response.",
        {"order_id": 12, "executor_id": 9, "customer_id": 7, "from_status": "reconciliation", "to_status": "accepted"},
    ),
    EventType.REVIEW_REJECTED: (
        "The response was rejected by the customer, because another one was accepted, or because the customer "
        "cancelled the order (`note` says which; `order_cancelled: true` with the customer's `reason` then).",
        {
            "order_id": 12,
            "executor_id": 10,
            "customer_id": 7,
            "from_status": "looked",
            "to_status": "rejected",
            "note": "response #31 was accepted",
        },
    ),
    EventType.REVIEW_IN_PROGRESS: (
        "The customer started the work.",
        {"order_id": 12, "executor_id": 9, "customer_id": 7, "from_status": "accepted", "to_status": "in_progress"},
    ),
    EventType.REVIEW_DONE: (
        "The customer marked the work done and scored it.",
        {
            "order_id": 12,
            "executor_id": 9,
            "customer_id": 7,
            "from_status": "in_progress",
            "to_status": "done",
            "customer_score": 5,
        },
    ),
    EventType.REVIEW_WITHDRAWN: (
        "The executor withdrew their accepted response before the work started: it is rejected and the order is "
        "open again.",
        {
            "order_id": 12,
            "executor_id": 9,
            "customer_id": 7,
            "from_status": "accepted",
            "to_status": "rejected",
            "changes": {"cancel_reason": [None, "Im_busy"]},
            "note": "withdrawn by the executor",
        },
    ),
    EventType.ORGANIZATION_ORDER_CREATED: (
        "An organization order was created.",
        {"order_code": 123456789012345, "organization_id": 3, "executor_id": 4, "client_id": 2, "service_id": 1},
    ),
    EventType.ORGANIZATION_ORDER_UPDATED: (
        "An organization order changed: `changes` names each field with its old and new value.",
        {"order_code": 123456789012345, "organization_id": 3, "changes": {"done": [False, True]}},
    ),
    EventType.ORGANIZATION_ORDER_DELETED: (
        "An organization order was deleted.",
        {"order_code": 123456789012345, "organization_id": 3},
    ),
    EventType.ASSIGNMENT_ASSIGNED: (
        "The dispatch system assigned an order to an executor.",
        {"order_id": "A-1", "executor_id": "9", "zone_id": "z1", "from_status": "", "to_status": "assigned"},
    ),
    EventType.ASSIGNMENT_ACQUIRED: (
        "The executor took their order.",
        {"order_id": "A-1", "executor_id": "9", "zone_id": "z1", "from_status": "assigned", "to_status": "acquired"},
    ),
    EventType.ASSIGNMENT_COMPLETED: (
        "A dispatcher completed the order.",
        {"order_id": "A-1", "executor_id": "9", "zone_id": "z1", "from_status": "acquired", "to_status": "completed"},
    ),
    EventType.ASSIGNMENT_CANCELLED: (
        "A dispatcher cancelled the order.",
        {"order_id": "A-1", "executor_id": "9", "zone_id": "z1", "from_status": "assigned", "to_status": "cancelled"},
    ),
    EventType.ASSIGNMENT_SUPERSEDED: (
        "A newer assignment to the same executor completed this one.",
        {"order_id": "A-1", "executor_id": "9", "zone_id": "z1", "from_status": "acquired", "to_status": "completed"},
    ),
    EventType.PARTICIPANT_CREATED: (
        "An appraisal participant was added.",
        {"appraisal_id": 5, "external_id": "p-1", "status": 1},
    ),
    EventType.PARTICIPANT_UPDATED: (
        "A participant changed (PUT, JSON Patch): `changes` names each field with its old and new value.",
        {"appraisal_id": 5, "external_id": "p-1", "status": 2, "changes": {"status": [1, 2]}},
    ),
    EventType.PARTICIPANT_DELETED: (
        "A participant was deleted (status 5).",
        {"appraisal_id": 5, "external_id": "p-1", "status": 5, "changes": {"status": [2, 5]}},
    ),
    EventType.PARTNER_ORDER_CREATED: (
        "The partner accepted an order we placed (the RabbitMQ `created` message's fields).",
        {"order_id": 1001, "their_order_id": "77", "status_id": 0, "their_status_id": "created"},
    ),
    EventType.PARTNER_ORDER_STATUS_CHANGED: (
        "The partner reported a new status.",
        {"order_id": 1001, "their_order_id": "77", "status_id": 1, "their_status_id": "accepted"},
    ),
    EventType.PARTNER_ORDER_CANCELLED: (
        "The order was cancelled at the partner.",
        {"order_id": 1001, "their_order_id": "77", "status_id": 3, "their_status_id": "cancelled"},
    ),
    EventType.PARTNER_ORDER_ITEMS_CHANGED: (
        "The partner changed the order's items.",
        {"order_id": 1001, "their_order_id": "77", "status_id": 1, "their_items": [{"their_id": "58", "count": 1}]},
    ),
    EventType.WEBHOOK_TEST: ("Sent by `POST /api/webhooks/{id}/test/` to that endpoint only.", {"message": "test"}),
}
