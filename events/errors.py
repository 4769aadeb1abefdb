from enum import StrEnum

from common.errors import ApplicationError, NotFoundError, PermissionDeniedError


class EventsErrorCode(StrEnum):
    WEBHOOK_NOT_FOUND = "webhook_not_found"
    DELIVERY_NOT_FOUND = "delivery_not_found"
    NOTIFICATION_NOT_FOUND = "notification_not_found"
    TARGET_NOT_ALLOWED = "webhook_target_not_allowed"
    EVENT_TYPE_NOT_IN_SCOPE = "event_type_not_in_scope"
    SCOPE_NOT_ALLOWED = "webhook_scope_not_allowed"


def webhook_not_found() -> NotFoundError:
    return NotFoundError(EventsErrorCode.WEBHOOK_NOT_FOUND, "No such webhook, or not one of yours.")


def delivery_not_found() -> NotFoundError:
    return NotFoundError(EventsErrorCode.DELIVERY_NOT_FOUND, "No such delivery of this webhook.")


def notification_not_found() -> NotFoundError:
    return NotFoundError(EventsErrorCode.NOTIFICATION_NOT_FOUND, "No such notification, or not one of yours.")


def scope_not_allowed() -> PermissionDeniedError:
    return PermissionDeniedError(
        EventsErrorCode.SCOPE_NOT_ALLOWED, "You may not subscribe to this scope: it needs a right you do not hold."
    )


def target_not_allowed(reason: str) -> ApplicationError:
    return ApplicationError(EventsErrorCode.TARGET_NOT_ALLOWED, reason, fields={"url": [reason]})


def event_type_not_in_scope(types: list[str], scope: str) -> ApplicationError:
    message = f"Not events of scope '{scope}': {', '.join(types)}."
    return ApplicationError(EventsErrorCode.EVENT_TYPE_NOT_IN_SCOPE, message, fields={"event_types": [message]})
