"""Every state change of the partner integration: place, refresh status, cancel, poll; each writes its outbox event
in the same transaction as the change."""

import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import OperationalError, transaction
from django.utils import timezone

from partner.client import PartnerClient, PartnerError, PartnerRefused, PartnerUnavailable
from partner.conf import partner_settings
from partner.errors import (
    PartnerErrorCode,
    PartnerErrorMessage,
    PartnerOrderNotCancelled,
    PartnerOrderNotPlaced,
    PartnerStatusUnavailable,
)
from partner.metrics import (
    ORDER_CREATION_ERRORS,
    ORDERS_CREATED,
    STATUS_CHANGES,
    STATUS_MAPPING_ERRORS,
    CreationErrorReason,
)
from partner.models import (
    FINAL_STATUS_IDS,
    THEIR_STATUS_MAP,
    OrderType,
    OutboxEvent,
    PartnerOrder,
    PartnerOrderStatusChange,
    StatusId,
)
from partner.selectors import partner_order_get, partner_orders_open

logger = logging.getLogger("partner.services")


def _failure_message(exc: PartnerError) -> str:
    """What a caller is told when the partner could not be asked (or answered nonsense)."""
    if isinstance(exc, PartnerUnavailable):
        return PartnerErrorMessage.UNAVAILABLE.value
    return PartnerErrorMessage.BAD_ANSWER.value


# --- status mapping -----------------------------------------------------------------------------------------
def map_their_status(their_status: str) -> int:
    """The partner's status -> our status_id; an unknown one is -1, logged and counted."""
    status_id = THEIR_STATUS_MAP.get(their_status)
    if status_id is None:
        STATUS_MAPPING_ERRORS.inc()
        logger.error("Unknown partner status %r mapped to -1", their_status)
        return StatusId.UNKNOWN
    return int(status_id)


# --- item errors -------------------------------------------------------------------------------------------
_WRONG_PRICE = re.compile(r"^wrong price: current price is\s+(\S+)\s+or\s+(\S+)\s*$", re.IGNORECASE)


@dataclass
class ItemErrors:
    quantity_errors: list[dict[str, Any]] = field(default_factory=list)
    price_errors: list[dict[str, Any]] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)


def _price_or_none(raw: str) -> Decimal | None:
    if raw.upper() == "NONE":
        return None
    try:
        price = Decimal(raw)
    except InvalidOperation:
        return None
    return price if price.is_finite() else None


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def map_item_errors(errors: Any, *, items: list[dict[str, Any]], order_type: int) -> ItemErrors:
    """The partner's `errors` of a refused `/create` in the shapes of document 004 (see the README's table)."""
    result = ItemErrors()
    ordered = {str(item["their_id"]): item for item in items}
    item_errors = errors.get("items") if isinstance(errors, dict) else None
    if not isinstance(item_errors, dict) or not item_errors:
        result.unrecognised.append(f"errors: {errors!r}")
        return result
    for key in errors:
        if key != "items":
            result.unrecognised.append(f"{key}: {errors[key]!r}")
    for their_id, messages in item_errors.items():
        item = ordered.get(str(their_id))
        if item is None or not isinstance(messages, list):
            result.unrecognised.append(f"{their_id}: {messages!r}")
            continue
        for message in messages:
            text = str(message).strip()
            if text == "Item not found":
                result.quantity_errors.append({"their_id": str(their_id), "ordered": item["count"], "available": 0})
            elif text == "Wrong quantity":
                result.quantity_errors.append({"their_id": str(their_id), "ordered": item["count"], "available": None})
            elif match := _WRONG_PRICE.match(text):
                reservation, preorder = _price_or_none(match.group(1)), _price_or_none(match.group(2))
                current = reservation if order_type == OrderType.RESERVATION else preorder
                if current is None or current == 0:
                    result.quantity_errors.append({"their_id": str(their_id), "ordered": item["count"], "available": 0})
                else:
                    result.price_errors.append(
                        {
                            "their_id": str(their_id),
                            "ordered": _number(Decimal(item["price"])),
                            "available": _number(current),
                        }
                    )
            else:
                result.unrecognised.append(f"{their_id}: {text}")
    return result


# --- outbox and history ------------------------------------------------------------------------------------
def _outbox_write(*, order: PartnerOrder, event_type: str) -> OutboxEvent:
    conf = partner_settings()
    event_id = uuid.uuid4()
    payload = {
        "event_id": str(event_id),
        "event": event_type,
        "source_project_id": conf.source_project_id,
        "kodpost": conf.kodpost,
        "order_id": order.order_id,
        "their_order_id": order.their_order_id,
        "status_id": order.status_id,
        "their_status_id": order.their_status_id,
        "their_items": order.their_items,
        "time": timezone.now().isoformat(),
    }
    return OutboxEvent.objects.create(event_id=event_id, event_type=event_type, order=order, payload=payload)


def _apply_status(
    *,
    order: PartnerOrder,
    status_id: int,
    their_status: str,
    their_items: Any,
    source: str,
    event_type: str | None = None,
) -> bool:
    """Store what the partner says about a locked order; history and an event when anything changed."""
    status_moved = status_id != order.status_id or their_status != order.their_status_id
    items_changed = their_items != order.their_items
    order.status_checked_at = timezone.now()
    if not status_moved and not items_changed:
        order.save(update_fields=["status_checked_at"])
        return False
    if status_moved:
        PartnerOrderStatusChange.objects.create(
            order=order,
            previous_status_id=order.status_id,
            status_id=status_id,
            previous_their_status_id=order.their_status_id,
            their_status_id=their_status,
            source=source,
        )
        STATUS_CHANGES.labels(str(status_id)).inc()
    order.status_id, order.their_status_id, order.their_items = status_id, their_status, their_items
    order.save(update_fields=["status_id", "their_status_id", "their_items", "status_checked_at", "updated_at"])
    if event_type is None:
        if status_moved and status_id == StatusId.CANCELLED:
            event_type = OutboxEvent.EventType.CANCELLED
        elif status_moved:
            event_type = OutboxEvent.EventType.STATUS_CHANGED
        else:
            event_type = OutboxEvent.EventType.ITEMS_CHANGED
    _outbox_write(order=order, event_type=event_type)
    return True


# --- placing an order --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrderRequest:
    order_id: int
    their_pharmacy_id: str
    order_type: int
    client: dict[str, str]
    items: list[dict[str, Any]]  # {"their_id": str, "price": str (decimal), "count": int}
    ordered_at: datetime | None = None
    comment: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    api_version: str = "v2"


def _create_form(request: OrderRequest) -> dict[str, Any]:
    return {
        "shop_id": request.their_pharmacy_id,
        "phone": request.client.get("phone", ""),
        "first_name": request.client.get("name", ""),
        "email": request.client.get("email", ""),
        "external_id": str(request.order_id),
        "ids[]": [str(item["their_id"]) for item in request.items],
        "quantity[]": [str(item["count"]) for item in request.items],
        "prices[]": [f"{Decimal(item['price']):.2f}" for item in request.items],
    }


def partner_order_place(*, request: OrderRequest, user: Any = None) -> PartnerOrder:
    """Place an order with the partner, at most once per our order_id; the placed order.

    Idempotent: our table first, then the partner's `find-orders`, and only then `/create`. Requests for the
    same order_id wait for each other on the order's row lock, so two of them never create two partner orders.
    Raises `PartnerOrderNotPlaced` when the partner refuses or cannot be asked, or when we fail.
    """
    try:
        return _place(request=request, user=user)
    except PartnerOrderNotPlaced:
        raise
    except Exception as exc:
        logger.exception("Placing order %s failed on our side", request.order_id)
        ORDER_CREATION_ERRORS.labels(CreationErrorReason.SERVICE_ERROR).inc()
        raise PartnerOrderNotPlaced(PartnerErrorCode.SERVICE_ERROR, PartnerErrorMessage.SERVICE_ERROR.value) from exc


def _place(*, request: OrderRequest, user: Any) -> PartnerOrder:
    fields = {
        "their_pharmacy_id": request.their_pharmacy_id,
        "order_type": request.order_type,
        "client": request.client,
        "items": request.items,
        "ordered_at": request.ordered_at,
        "comment": request.comment,
        "extra": request.extra,
    }
    order, _ = PartnerOrder.objects.get_or_create(
        order_id=request.order_id,
        defaults={**fields, "api_version": request.api_version, "created_by": user if user and user.pk else None},
    )
    if order.their_order_id:
        return order
    client = PartnerClient()
    with transaction.atomic():
        order = PartnerOrder.objects.select_for_update().get(pk=order.pk)
        if order.their_order_id:
            return order
        # Not placed yet: this request's content is what we send (a caller may correct items after a refusal).
        for name, value in fields.items():
            setattr(order, name, value)
        try:
            found = client.find_orders(request.order_id)
            their_order_id = (
                found[0] if found else client.create_order(external_id=request.order_id, form=_create_form(request))
            )
        except PartnerRefused as exc:
            failure = _refused(order=order, errors=exc.errors)
        except PartnerError as exc:
            failure = _not_answered(order=order, exc=exc)
        else:
            order.their_order_id = their_order_id
            order.last_error = ""
            order.save()
            _apply_status(
                order=order,
                status_id=StatusId.CREATED,
                their_status="created",
                their_items=order.their_items,
                source=PartnerOrderStatusChange.Source.CREATE,
                event_type=OutboxEvent.EventType.CREATED,
            )
            ORDERS_CREATED.inc()
            return order
    raise failure  # once the transaction has committed what the failure left on the order (last_error)


def _not_answered(*, order: PartnerOrder, exc: PartnerError) -> PartnerOrderNotPlaced:
    logger.warning("Placing order %s: %s", order.order_id, exc)
    order.last_error = str(exc)[:2000]
    order.save()
    ORDER_CREATION_ERRORS.labels(CreationErrorReason.PARTNER_ERROR).inc()
    return PartnerOrderNotPlaced(PartnerErrorCode.PARTNER_ERROR, _failure_message(exc), partner_error=True)


def _refused(*, order: PartnerOrder, errors: Any) -> PartnerOrderNotPlaced:
    mapped = map_item_errors(errors, items=order.items, order_type=order.order_type)
    order.last_error = f"refused: {errors!r}"[:2000]
    order.save()
    if mapped.unrecognised:
        logger.error("Order %s: unrecognised partner errors %s", order.order_id, mapped.unrecognised)
    reason = CreationErrorReason.PARTNER_ERROR if mapped.unrecognised else CreationErrorReason.REJECTED
    ORDER_CREATION_ERRORS.labels(reason).inc()
    return PartnerOrderNotPlaced(
        PartnerErrorCode.ORDER_REJECTED,
        _refusal_message(mapped),
        partner_error=bool(mapped.unrecognised),
        quantity_errors=mapped.quantity_errors or None,
        price_errors=mapped.price_errors or None,
    )


def _refusal_message(mapped: ItemErrors) -> str:
    parts = []
    for error in mapped.quantity_errors:
        available = "unknown" if error["available"] is None else error["available"]
        parts.append(f"{error['their_id']}: quantity {error['ordered']}, available {available}")
    for error in mapped.price_errors:
        parts.append(f"{error['their_id']}: price {error['ordered']}, current price {error['available']}")
    if mapped.unrecognised:
        parts.append("other errors")
    return "The partner refused the order: " + "; ".join(parts) + "."


# --- status ------------------------------------------------------------------------------------------------
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's answer to NOWAIT on a held row


def partner_order_status_request(*, order_id: int, their_order_id: str | None = None) -> PartnerOrder:
    """A caller's status request: the placed order (see `partner_order_get`) with its status refreshed."""
    return partner_order_refresh_status(order=partner_order_get(order_id=order_id, their_order_id=their_order_id))


def partner_order_refresh_status(
    *, order: PartnerOrder, source: str = PartnerOrderStatusChange.Source.STATUS_REQUEST
) -> PartnerOrder:
    """Ask the partner for a placed order's status and store what changed (history, outbox event).

    The partner is asked without holding the row lock, so by the time the answer is stored it may be stale:
    a cancel (or another read) may have committed in between. Under the lock the answer is therefore stored only
    if the row is still the version `order` was read at (`updated_at`), and it never moves an order out of a final
    status (done, cancelled). Otherwise the row is left as it is and returned: it is the newer truth.
    Raises `PartnerStatusUnavailable` when the partner cannot be asked.
    """
    seen_version = order.updated_at
    try:
        answer = PartnerClient().order_status(str(order.their_order_id))
    except PartnerError as exc:
        logger.warning("Status of order %s: %s", order.order_id, exc)
        raise PartnerStatusUnavailable(_failure_message(exc)) from exc
    status_id = map_their_status(answer.their_status)
    try:
        return _store_status_answer(
            order=order, seen_version=seen_version, status_id=status_id, answer=answer, source=source
        )
    except OperationalError as exc:
        if getattr(exc.__cause__, "pgcode", None) != LOCK_NOT_AVAILABLE:
            raise
        # A cancel holds the row while it talks to the partner (it may retry for minutes): the answer is about
        # to be stale anyway, so it is dropped and the stored state returned rather than waiting behind it.
        logger.info("Status of order %s: the order is being cancelled; answer dropped", order.order_id)
        return PartnerOrder.objects.get(pk=order.pk)


def _store_status_answer(
    *, order: PartnerOrder, seen_version: datetime, status_id: int, answer: Any, source: str
) -> PartnerOrder:
    with transaction.atomic():
        locked = PartnerOrder.objects.select_for_update(nowait=True).get(pk=order.pk)
        if locked.updated_at != seen_version:
            logger.info(
                "Status of order %s: the row changed while the partner was asked; answer dropped", order.order_id
            )
        elif locked.status_id in FINAL_STATUS_IDS and status_id != locked.status_id:
            logger.warning(
                "Status of order %s: the partner says %r, the order is final (%s); kept",
                order.order_id,
                answer.their_status,
                locked.status_id,
            )
        else:
            _apply_status(
                order=locked,
                status_id=status_id,
                their_status=answer.their_status,
                their_items=answer.items,
                source=source,
            )
    return locked


# --- cancel ------------------------------------------------------------------------------------------------
def _errors_text(errors: Any) -> str:
    if isinstance(errors, list) and errors:
        return "; ".join(str(e) for e in errors)
    if isinstance(errors, dict) and errors:
        return "; ".join(f"{key}: {value}" for key, value in errors.items())
    return PartnerErrorMessage.CANCEL_REFUSED.value


def partner_order_cancel(*, order_id: int, their_order_id: str) -> PartnerOrder:
    """Cancel a placed order (see `partner_order_get`) at the partner, idempotently; the cancelled order.

    The row is locked before the partner is called, so cancels of one order run one after the other: the first
    calls the partner, the others find the order cancelled and answer success without a call. When the partner
    refuses, it is asked for the order's status: an order it already has as cancelled (an earlier cancel that
    timed out on our side, or one made elsewhere) is recorded as cancelled and answered success.
    Raises `PartnerOrderNotCancelled` when the partner refuses or cannot be asked; nothing is written then.
    """
    order = partner_order_get(order_id=order_id, their_order_id=their_order_id)
    with transaction.atomic():
        locked = PartnerOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status_id == StatusId.CANCELLED:
            return locked
        client = PartnerClient()
        try:
            client.cancel_order(str(locked.their_order_id))
        except PartnerRefused as exc:
            if not _cancelled_at_partner(client, locked):
                message = _errors_text(exc.errors)
                raise PartnerOrderNotCancelled(PartnerErrorCode.CANCEL_REJECTED, message) from exc
        except PartnerError as exc:
            logger.warning("Cancelling order %s: %s", locked.order_id, exc)
            raise PartnerOrderNotCancelled(PartnerErrorCode.CANCEL_UNAVAILABLE, _failure_message(exc)) from exc
        _apply_status(
            order=locked,
            status_id=StatusId.CANCELLED,
            their_status="cancelled",
            their_items=locked.their_items,
            source=PartnerOrderStatusChange.Source.CANCEL,
        )
    return locked


def _cancelled_at_partner(client: PartnerClient, order: PartnerOrder) -> bool:
    """Whether the partner, having refused a cancel, has the order as cancelled already."""
    try:
        answer = client.order_status(str(order.their_order_id))
    except PartnerError as exc:
        logger.warning("Cancelling order %s: refused, and its status could not be read: %s", order.order_id, exc)
        return False
    return map_their_status(answer.their_status) == StatusId.CANCELLED


# --- poller ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PollSummary:
    checked: int
    changed: int
    failed: int


def partner_orders_poll(*, limit: int | None = None) -> PollSummary:
    """Refresh the status of open orders (placed, not done or cancelled), least recently checked first."""

    checked = changed = failed = 0
    for order in partner_orders_open(limit=limit or partner_settings().poll_batch_size):
        before = (order.status_id, order.their_status_id, order.their_items)
        checked += 1
        try:
            refreshed = partner_order_refresh_status(order=order, source=PartnerOrderStatusChange.Source.POLL)
        except PartnerStatusUnavailable:
            failed += 1
            continue
        if (refreshed.status_id, refreshed.their_status_id, refreshed.their_items) != before:
            changed += 1
    return PollSummary(checked=checked, changed=changed, failed=failed)
