"""OpenAPI of webhooks and notifications: summaries, descriptions, every status and examples."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from common.openapi import NOT_FOUND, PRODUCT_401, PRODUCT_403, product_error
from events.api.serializers import (
    NotificationOutputSerializer,
    ReadAllOutputSerializer,
    WebhookCreatedOutputSerializer,
    WebhookCreateInputSerializer,
    WebhookDeliveryOutputSerializer,
    WebhookOutputSerializer,
    WebhookUpdateInputSerializer,
)
from events.errors import EventsErrorCode
from events.types import DESCRIPTIONS

WEBHOOKS_TAG = "webhooks"
NOTIFICATIONS_TAG = "notifications"

EVENT_TABLE = "\n".join(
    f"- `{event_type}`: {text} Example `data`: `{example}`" for event_type, (text, example) in DESCRIPTIONS.items()
)

SIGNING = (
    "Each delivery is a `POST` of the event as JSON with the headers `Webhook-Id` (the event's id: the same on "
    "every retry and replay, so deduplicate by it), `Webhook-Timestamp` (Unix seconds) and `Webhook-Signature: "
    'v1=<hex HMAC-SHA256 of "{timestamp}.{body}" keyed with the secret>`. Reject a timestamp more than 5 minutes '
    "from your clock. Any 2xx within 10 s is success; anything else is retried with exponential backoff for 24 h, "
    "after which the endpoint is disabled with `disabled_reason`. An endpoint gets one object's events in the "
    "order they happened."
)

EVENT_EXAMPLE = {
    "id": "0b7e4a52-5f0c-4c55-9d1e-1f6ab2a4c8d1",
    "type": "review.accepted",
    "occurred_at": "2025-05-01T10:00:00.123456Z",
    "actor": {"id": 7},
    "object": {"type": "review", "id": "31"},
    "data": {"order_id": 12, "executor_id": 9, "customer_id": 7, "from_status": "looked", "to_status": "accepted"},
}
WEBHOOK_EXAMPLE = {
    "id": 1,
    "url": "https://hooks.example.com/orders",
    "scope": "user",
    "organization": None,
    "event_types": ["review.accepted", "review.rejected"],
    "description": "my phone app",
    "is_active": True,
    "disabled_at": None,
    "disabled_reason": "",
    "created_at": "2025-05-01T09:00:00Z",
    "updated_at": "2025-05-01T09:00:00Z",
}
DELIVERY_EXAMPLE = {
    "id": 40,
    "event": EVENT_EXAMPLE,
    "state": "succeeded",
    "attempts": 2,
    "next_attempt_at": "2025-05-01T10:00:30Z",
    "deadline_at": "2025-05-02T10:00:00Z",
    "delivered_at": "2025-05-01T10:00:31Z",
    "last_status_code": 200,
    "last_error": "",
    "created_at": "2025-05-01T10:00:00Z",
    "attempt_log": [
        {
            "started_at": "2025-05-01T10:00:00Z",
            "duration_ms": 31,
            "status_code": 500,
            "error": "HTTP 500",
            "succeeded": False,
        },
        {"started_at": "2025-05-01T10:00:30Z", "duration_ms": 12, "status_code": 200, "error": "", "succeeded": True},
    ],
}
NOTIFICATION_EXAMPLE = {
    "id": 5,
    "kind": "review.accepted",
    "text": "Your response to order #12 was accepted.",
    "created_at": "2025-05-01T10:00:00Z",
    "read_at": None,
    "event": EVENT_EXAMPLE,
}

WEBHOOK_404 = product_error(
    "No such webhook, or one of another user's.",
    (EventsErrorCode.WEBHOOK_NOT_FOUND, "No such webhook, or not one of yours."),
    NOT_FOUND,
)
VALIDATION_400 = product_error(
    "Validation failed, the URL is not a target the server may call, or an event type is not of the scope.",
    ("invalid", "Invalid input."),
    (EventsErrorCode.TARGET_NOT_ALLOWED, "The URL's host resolves to a loopback, private or link-local address."),
    (EventsErrorCode.EVENT_TYPE_NOT_IN_SCOPE, "Not events of scope 'user': assignment.acquired."),
    fields={"url": ["Enter a valid URL."]},
)
SCOPE_403 = product_error(
    "Not allowed: unconfirmed email, revoked session, or the scope needs a right you do not hold "
    "(organization: its owner; assignments: Dispatchers; appraisals: hr-integration; partner: partner-integration).",
    ("permission_denied", "You do not have permission to perform this action."),
    (EventsErrorCode.SCOPE_NOT_ALLOWED, "You may not subscribe to this scope: it needs a right you do not hold."),
)
# The examples name `make run`'s demo data (events/demo.py on a fresh database): the demo customer's webhook 1 with
# its delivered events (delivery 1 the first), and that customer's notifications (1 the first).
ID = OpenApiParameter(
    "id",
    int,
    OpenApiParameter.PATH,
    description="The webhook's id.",
    examples=[OpenApiExample("Demo data", value=1, summary="mp_customer's demo webhook")],
)
DELIVERY_ID = OpenApiParameter(
    "delivery_id",
    int,
    OpenApiParameter.PATH,
    description="The delivery's id.",
    examples=[OpenApiExample("Demo data", value=1, summary="a delivered event of the demo webhook")],
)

webhooks = extend_schema_view(
    list=extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="webhooks_list",
        summary="List my webhooks",
        description="The webhook endpoints I registered, newest first (secrets are never shown again).",
        responses={200: WebhookOutputSerializer(many=True), 401: PRODUCT_401, 403: PRODUCT_403},
        examples=[OpenApiExample("Page", value=WEBHOOK_EXAMPLE, response_only=True)],
    ),
    create=extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="webhooks_create",
        summary="Register a webhook",
        description=(
            "Register a URL for the event types wanted in one scope: `organization` (its owner: the organization's "
            "orders), `user` (my own marketplace activity: my orders and responses), `assignments` (Dispatchers), "
            "`appraisals` (hr-integration), `partner` (partner-integration). Only events I could read through the "
            "API are ever delivered. The answer carries the signing `secret`, shown this once.\n\n"
            f"{SIGNING}\n\nEvent types:\n\n{EVENT_TABLE}"
        ),
        request=WebhookCreateInputSerializer,
        responses={201: WebhookCreatedOutputSerializer, 400: VALIDATION_400, 401: PRODUCT_401, 403: SCOPE_403},
        examples=[
            OpenApiExample(
                "Register",
                value={
                    "url": "https://hooks.example.com/orders",
                    "scope": "user",
                    "event_types": ["review.accepted", "review.rejected"],
                    "description": "my phone app",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Registered",
                value={**WEBHOOK_EXAMPLE, "secret": "whsec_3q2-7wEXAMPLEf0r8dOcsonly4Y9pXq1s2t3u4v5w6x"},
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample("Event body", value=EVENT_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    ),
    retrieve=extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="webhooks_retrieve",
        summary="Read a webhook",
        description="One of my endpoints; `is_active: false` with `disabled_reason` when deliveries failed for 24 h.",
        parameters=[ID],
        responses={200: WebhookOutputSerializer, 401: PRODUCT_401, 403: PRODUCT_403, 404: WEBHOOK_404},
        examples=[
            OpenApiExample(
                "Disabled",
                value={
                    **WEBHOOK_EXAMPLE,
                    "is_active": False,
                    "disabled_at": "2025-05-02T10:00:00Z",
                    "disabled_reason": "Deliveries failed for 24 hours (last error: HTTP 500); fix the endpoint and "
                    "enable it again (PATCH is_active: true).",
                },
                response_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="webhooks_partial_update",
        summary="Change a webhook",
        description=(
            "Change the URL, the event types or the description, or enable (`is_active: true`: pending deliveries "
            "resume with a fresh 24 h) or disable the endpoint."
        ),
        parameters=[ID],
        request=WebhookUpdateInputSerializer,
        responses={
            200: WebhookOutputSerializer,
            400: VALIDATION_400,
            401: PRODUCT_401,
            403: PRODUCT_403,
            404: WEBHOOK_404,
        },
        examples=[
            OpenApiExample("Enable again", value={"is_active": True}, request_only=True),
            OpenApiExample("Changed", value=WEBHOOK_EXAMPLE, response_only=True),
        ],
    ),
    destroy=extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="webhooks_destroy",
        summary="Delete a webhook",
        description="The endpoint and its delivery log are deleted; nothing more is sent to it.",
        parameters=[ID],
        responses={204: OpenApiResponse(description="Deleted."), 401: PRODUCT_401, 403: PRODUCT_403, 404: WEBHOOK_404},
    ),
    deliveries=extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="webhooks_deliveries_list",
        summary="List a webhook's deliveries",
        description=(
            "Every event sent (or being sent) to the endpoint, newest first, with each attempt: status code, "
            "duration and error. `state`: `pending` (next attempt at `next_attempt_at`), `succeeded`, `failed` "
            "(given up at `deadline_at`)."
        ),
        parameters=[ID],
        responses={
            200: WebhookDeliveryOutputSerializer(many=True),
            401: PRODUCT_401,
            403: PRODUCT_403,
            404: WEBHOOK_404,
        },
        examples=[OpenApiExample("Delivered on the second attempt", value=DELIVERY_EXAMPLE, response_only=True)],
    ),
    replay=extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="webhooks_delivery_replay",
        summary="Send a delivery again",
        description=(
            "Sends the delivery's event again, with the same `Webhook-Id`, whatever its state (a receiver that "
            "lost it, or one given up on). 202: it is pending; the attempt log shows the outcome."
        ),
        parameters=[ID, DELIVERY_ID],
        request=None,
        responses={
            202: WebhookDeliveryOutputSerializer,
            401: PRODUCT_401,
            403: PRODUCT_403,
            404: product_error(
                "No such webhook or delivery.",
                (EventsErrorCode.WEBHOOK_NOT_FOUND, "No such webhook, or not one of yours."),
                (EventsErrorCode.DELIVERY_NOT_FOUND, "No such delivery of this webhook."),
                NOT_FOUND,
            ),
        },
        examples=[
            OpenApiExample(
                "Pending again",
                value={**DELIVERY_EXAMPLE, "state": "pending", "delivered_at": None},
                response_only=True,
                status_codes=["202"],
            )
        ],
    ),
    test=extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="webhooks_test",
        summary="Send a test event",
        description="Sends a `webhook.test` event to this endpoint only, signed and retried like any other.",
        parameters=[ID],
        request=None,
        responses={202: WebhookDeliveryOutputSerializer, 401: PRODUCT_401, 403: PRODUCT_403, 404: WEBHOOK_404},
        examples=[
            OpenApiExample(
                "Test event queued",
                value={
                    **DELIVERY_EXAMPLE,
                    "event": {
                        **EVENT_EXAMPLE,
                        "type": "webhook.test",
                        "object": {"type": "webhook", "id": "1"},
                        "data": {"message": "A test event: your endpoint is reachable and verifies signatures."},
                    },
                    "state": "pending",
                    "attempts": 0,
                    "attempt_log": [],
                    "delivered_at": None,
                    "last_status_code": None,
                },
                response_only=True,
                status_codes=["202"],
            )
        ],
    ),
)

NOTIFICATION_404 = product_error(
    "No such notification, or another user's.",
    (EventsErrorCode.NOTIFICATION_NOT_FOUND, "No such notification, or not one of yours."),
    NOT_FOUND,
)

notifications = extend_schema_view(
    list=extend_schema(
        tags=[NOTIFICATIONS_TAG],
        operation_id="notifications_list",
        summary="My notifications",
        description=(
            "My feed, newest first: my response accepted or rejected, the order of my response cancelled, a new "
            "response to my order, its accepted executor withdrawing, work on my response started or done, an order "
            "assigned to me. The envelope's `unread` counts my unread "
            "notifications on every page."
        ),
        responses={200: NotificationOutputSerializer(many=True), 401: PRODUCT_401, 403: PRODUCT_403},
        examples=[OpenApiExample("Unread", value=NOTIFICATION_EXAMPLE, response_only=True)],
    ),
    read=extend_schema(
        tags=[NOTIFICATIONS_TAG],
        operation_id="notifications_read",
        summary="Mark a notification read",
        description="Idempotent: reading it again keeps the first `read_at`.",
        parameters=[
            OpenApiParameter(
                "id",
                int,
                OpenApiParameter.PATH,
                description="The notification's id.",
                examples=[OpenApiExample("Demo data", value=1, summary="mp_customer's first demo notification")],
            )
        ],
        request=None,
        responses={200: NotificationOutputSerializer, 401: PRODUCT_401, 403: PRODUCT_403, 404: NOTIFICATION_404},
        examples=[
            OpenApiExample(
                "Read", value={**NOTIFICATION_EXAMPLE, "read_at": "2025-05-01T10:05:00Z"}, response_only=True
            )
        ],
    ),
    read_all=extend_schema(
        tags=[NOTIFICATIONS_TAG],
        operation_id="notifications_read_all",
        summary="Mark all my notifications read",
        description="Marks every unread notification of mine read; answers how many were unread.",
        request=None,
        responses={200: ReadAllOutputSerializer, 401: PRODUCT_401, 403: PRODUCT_403},
        examples=[OpenApiExample("Marked", value={"marked": 3}, response_only=True)],
    ),
)
