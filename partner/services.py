"""Every state change of the partner integration: place, refresh status, cancel, poll, reconcile; each writes its
outbox event in the same transaction as the change, and none holds a transaction or a row lock while the partner
is asked."""

import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from partner.client import PartnerClient, PartnerError, PartnerOutcomeUnknown, PartnerRefused, PartnerUnavailable
from partner.conf import partner_settings
from partner.errors import (
    PartnerErrorCode,
    PartnerErrorMessage,
    PartnerOrderNotCancelled,
    PartnerOrderNotPlaced,
    PartnerStatusUnavailable,
)
from partner.events import partner_order_event
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
    PartnerDuplicateOrder,
    PartnerOrder,
    PartnerOrderStatusChange,
    Placement,
    StatusId,
)
from partner.outbox import outbox_event_enqueue
from partner.selectors import partner_order_get, partner_orders_open

logger = logging.getLogger("partner.services")

#: cancel attempts for an extra partner order before it is left to a person (logged as an error each time)
DUPLICATE_CANCEL_ATTEMPTS = 10


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
    event = OutboxEvent.objects.create(event_id=event_id, event_type=event_type, order=order, payload=payload)
    outbox_event_enqueue(event)
    partner_order_event(order=order, event_type=event_type, event_id=event_id)
    return event


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

    Idempotent: our table first, then the partner's `find-orders`, and only then `/create`. No database
    transaction or row lock is held while the partner is asked: a request takes the order's lease (a conditional
    UPDATE, committed), records its intent before `/create` (placement `unknown`, committed), calls, then stores
    the outcome. Requests for the same order_id wait for the lease holder's outcome, so two of them never send
    two `/create`. An order whose `/create` outcome is unknown is settled by `find-orders` only: while the partner
    may still be recording it (`PARTNERAPI_RECONCILE_AFTER`), an empty answer is not taken as "not created".
    Raises `PartnerOrderNotPlaced` when the partner refuses or cannot be asked, when the outcome is unknown, or
    when we fail.
    """
    try:
        return _place(request=request, user=user)
    except PartnerOrderNotPlaced:
        raise
    except Exception as exc:
        logger.exception("Placing order %s failed on our side", request.order_id)
        ORDER_CREATION_ERRORS.labels(CreationErrorReason.SERVICE_ERROR).inc()
        raise PartnerOrderNotPlaced(PartnerErrorCode.SERVICE_ERROR, PartnerErrorMessage.SERVICE_ERROR.value) from exc


# --- leases: one request or task at a time talks to the partner about an order, with no lock held -------------
def _lease_take(*, pk: int, seconds: float, placing: bool) -> datetime | None:
    """Take the order's lease if it is free (or expired); its expiry, or None when another holder has it."""
    now = timezone.now()
    until = now + timedelta(seconds=seconds)
    free = PartnerOrder.objects.filter(pk=pk).filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    free = free.filter(their_order_id__isnull=True) if placing else free.exclude(status_id=StatusId.CANCELLED)
    return until if free.update(lease_until=until) else None


def _lease_release(*, pk: int, until: datetime) -> None:
    """Give the lease back, unless it expired and someone else took it since."""
    PartnerOrder.objects.filter(pk=pk, lease_until=until).update(lease_until=None)


def _lease_wait(*, pk: int, done: Callable[[PartnerOrder], bool], seconds: float) -> PartnerOrder | None:
    """Wait (no transaction open) until the order is `done` or its lease is free; None after `seconds`."""
    give_up = time.monotonic() + seconds
    pause = 0.02
    while True:
        order = PartnerOrder.objects.get(pk=pk)
        if done(order) or order.lease_until is None or order.lease_until < timezone.now():
            return order
        if time.monotonic() > give_up:
            return None
        time.sleep(pause)
        pause = min(pause * 1.5, 0.5)


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
    conf = partner_settings()
    while not order.their_order_id:
        lease = _lease_take(pk=order.pk, seconds=conf.placing_lease, placing=True)
        if lease is not None:
            try:
                return _place_leased(order=PartnerOrder.objects.get(pk=order.pk), request=request, fields=fields)
            finally:
                _lease_release(pk=order.pk, until=lease)
        # Another request (or the reconciliation) is talking to the partner about this order: wait for it.
        waited = _lease_wait(pk=order.pk, done=lambda o: o.their_order_id is not None, seconds=conf.placing_lease)
        if waited is None:
            raise _outcome_unknown(order=order, reason="another request is placing it")
        order = waited
    return order


def _place_leased(*, order: PartnerOrder, request: OrderRequest, fields: dict[str, Any]) -> PartnerOrder:
    """Place an order whose lease we hold: find-orders, then (only when that settles it as absent) /create."""
    if order.their_order_id:
        return order
    conf = partner_settings()
    client = PartnerClient()
    try:
        found = client.find_orders(request.order_id)
    except PartnerError as exc:
        raise _not_answered(order=order, exc=exc) from exc
    if found:
        return _settle_found(order=order, found=found, client=client, source=PartnerOrderStatusChange.Source.CREATE)
    if order.placement == Placement.UNKNOWN and not _settled_as_absent(order, conf):
        # The /create sent earlier may still land at the partner: never a second blind /create.
        raise _outcome_unknown(order=order, reason="find-orders does not show the order yet")
    # Not placed: this request's content is what we send (a caller may correct items after a refusal). The
    # intent is committed before /create leaves, so a timeout or a death from here on leaves `unknown`.
    for name, value in fields.items():
        setattr(order, name, value)
    order.placement, order.create_sent_at = Placement.UNKNOWN, timezone.now()
    order.save(update_fields=[*fields, "placement", "create_sent_at", "updated_at"])
    try:
        their_order_id = client.create_order(external_id=request.order_id, form=_create_form(request))
    except PartnerRefused as exc:
        raise _refused(order=order, errors=exc.errors) from exc
    except PartnerOutcomeUnknown as exc:
        raise _outcome_unknown(order=order, reason=str(exc)) from exc
    except PartnerError as exc:
        raise _not_answered(order=order, exc=exc, not_created=True) from exc
    return _store_placed(
        pk=order.pk, their_order_id=their_order_id, extras=[], source=PartnerOrderStatusChange.Source.CREATE
    )


def _settled_as_absent(order: PartnerOrder, conf: Any) -> bool:
    """Whether an empty find-orders now means the earlier /create did not go through."""
    sent = order.create_sent_at
    return sent is None or sent <= timezone.now() - timedelta(seconds=conf.reconcile_after)


def _pick(found: list[str]) -> tuple[str, list[str]]:
    """The partner order we keep (the first created: the lowest id) and the extras."""
    ordered = sorted(dict.fromkeys(found), key=lambda their_id: (len(their_id), their_id))
    return ordered[0], ordered[1:]


def _settle_found(*, order: PartnerOrder, found: list[str], client: PartnerClient, source: str) -> PartnerOrder:
    """The partner has the order (maybe more than once): record the kept one, cancel the extras."""
    keep, extras = _pick(found)
    if extras:
        logger.error("Order %s: the partner holds %s orders %s; keeping %s", order.order_id, len(found), found, keep)
    return _store_placed(pk=order.pk, their_order_id=keep, extras=extras, source=source)


def _store_placed(*, pk: int, their_order_id: str, extras: list[str], source: str) -> PartnerOrder:
    with transaction.atomic():
        order = PartnerOrder.objects.select_for_update().get(pk=pk)
        if order.their_order_id is None:
            order.their_order_id, order.placement, order.last_error = their_order_id, Placement.PLACED, ""
            order.save(update_fields=["their_order_id", "placement", "last_error", "updated_at"])
            _apply_status(
                order=order,
                status_id=StatusId.CREATED,
                their_status="created",
                their_items=order.their_items,
                source=source,
                event_type=OutboxEvent.EventType.CREATED,
            )
            ORDERS_CREATED.inc()
        for extra in extras:
            if extra != order.their_order_id:
                PartnerDuplicateOrder.objects.get_or_create(their_order_id=extra, defaults={"order": order})
        if extras:
            # Cancelled by a task after commit, outside this request's deadlines; reconciliation retries failures.
            transaction.on_commit(lambda: _enqueue_duplicates_cancel(order.pk))
    return order


def _enqueue_duplicates_cancel(order_pk: int) -> None:
    from partner.tasks import cancel_partner_duplicates

    try:
        cancel_partner_duplicates.apply_async(args=[order_pk])
    except Exception:  # the broker's errors vary by transport; the reconciliation task retries the cancels
        logger.warning("Cancelling duplicates of order %s not enqueued; reconciliation will", order_pk, exc_info=True)


def partner_duplicates_cancel(*, order_pk: int | None = None, client: PartnerClient | None = None) -> int:
    """Cancel at the partner the extra orders it holds for one of our order ids (all orders when none is given);
    each outcome is recorded on its `PartnerDuplicateOrder`. Returns how many were cancelled."""
    client = client or PartnerClient()
    pending = PartnerDuplicateOrder.objects.filter(cancelled_at__isnull=True, attempts__lt=DUPLICATE_CANCEL_ATTEMPTS)
    if order_pk is not None:
        pending = pending.filter(order_id=order_pk)
    cancelled = 0
    for duplicate in pending.order_by("id")[: partner_settings().poll_batch_size]:
        error = _cancel_duplicate(client, duplicate.their_order_id)
        if error:
            logger.error("Duplicate partner order %s not cancelled: %s", duplicate.their_order_id, error)
            PartnerDuplicateOrder.objects.filter(pk=duplicate.pk).update(
                attempts=F("attempts") + 1, last_error=error[:2000]
            )
            continue
        PartnerDuplicateOrder.objects.filter(pk=duplicate.pk).update(
            attempts=F("attempts") + 1, cancelled_at=timezone.now(), last_error=""
        )
        logger.warning("Duplicate partner order %s of order %s cancelled", duplicate.their_order_id, duplicate.order_id)
        cancelled += 1
    return cancelled


def _cancel_duplicate(client: PartnerClient, their_order_id: str) -> str:
    """Cancel one extra partner order; an error text, empty when it is cancelled (now or already)."""
    try:
        client.cancel_order(their_order_id)
    except PartnerRefused as exc:
        try:
            if client.order_status(their_order_id).their_status == "cancelled":
                return ""
        except PartnerError:
            pass
        return str(exc)
    except PartnerError as exc:
        return str(exc)
    return ""


def _outcome_unknown(*, order: PartnerOrder, reason: str) -> PartnerOrderNotPlaced:
    logger.warning("Placing order %s: outcome unknown (%s); find-orders will settle it", order.order_id, reason)
    PartnerOrder.objects.filter(pk=order.pk).update(last_error=f"outcome unknown: {reason}"[:2000])
    ORDER_CREATION_ERRORS.labels(CreationErrorReason.PARTNER_ERROR).inc()
    return PartnerOrderNotPlaced(
        PartnerErrorCode.PARTNER_ERROR, PartnerErrorMessage.OUTCOME_UNKNOWN.value, partner_error=True
    )


def _not_answered(*, order: PartnerOrder, exc: PartnerError, not_created: bool = False) -> PartnerOrderNotPlaced:
    """The partner could not be asked (before /create: an earlier unknown outcome stays unknown), or it said the
    /create failed (`not_created`: a 5xx, a 4xx, a connection that never opened)."""
    logger.warning("Placing order %s: %s", order.order_id, exc)
    if not_created:
        order.placement = Placement.NEW
    order.last_error = str(exc)[:2000]
    order.save(update_fields=["placement", "last_error", "updated_at"])
    ORDER_CREATION_ERRORS.labels(CreationErrorReason.PARTNER_ERROR).inc()
    return PartnerOrderNotPlaced(PartnerErrorCode.PARTNER_ERROR, _failure_message(exc), partner_error=True)


def _refused(*, order: PartnerOrder, errors: Any) -> PartnerOrderNotPlaced:
    mapped = map_item_errors(errors, items=order.items, order_type=order.order_type)
    order.placement = Placement.NEW
    order.last_error = f"refused: {errors!r}"[:2000]
    order.save(update_fields=["placement", "last_error", "updated_at"])
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

    No transaction or row lock is held while the partner is asked: the cancel takes the order's lease (a
    conditional UPDATE, committed), calls the partner, then records the cancellation under the row lock. Cancels
    of one order run one after the other: the first calls the partner, the others wait for its lease and find the
    order cancelled, answering success without a call. When the partner refuses, it is asked for the order's
    status: an order it already has as cancelled (an earlier cancel that timed out on our side, or one made
    elsewhere) is recorded as cancelled and answered success.
    Raises `PartnerOrderNotCancelled` when the partner refuses or cannot be asked; nothing is written then.
    """
    order = partner_order_get(order_id=order_id, their_order_id=their_order_id)
    conf = partner_settings()
    while order.status_id != StatusId.CANCELLED:
        lease = _lease_take(pk=order.pk, seconds=conf.cancelling_lease, placing=False)
        if lease is not None:
            try:
                return _cancel_leased(order=PartnerOrder.objects.get(pk=order.pk))
            finally:
                _lease_release(pk=order.pk, until=lease)
        waited = _lease_wait(
            pk=order.pk, done=lambda o: o.status_id == StatusId.CANCELLED, seconds=conf.cancelling_lease
        )
        if waited is None:
            raise PartnerOrderNotCancelled(PartnerErrorCode.CANCEL_UNAVAILABLE, PartnerErrorMessage.UNAVAILABLE.value)
        order = waited
    return order


def _cancel_leased(*, order: PartnerOrder) -> PartnerOrder:
    if order.status_id == StatusId.CANCELLED:
        return order
    client = PartnerClient()
    try:
        client.cancel_order(str(order.their_order_id))
    except PartnerRefused as exc:
        if not _cancelled_at_partner(client, order):
            message = _errors_text(exc.errors)
            raise PartnerOrderNotCancelled(PartnerErrorCode.CANCEL_REJECTED, message) from exc
    except PartnerError as exc:
        logger.warning("Cancelling order %s: %s", order.order_id, exc)
        raise PartnerOrderNotCancelled(PartnerErrorCode.CANCEL_UNAVAILABLE, _failure_message(exc)) from exc
    with transaction.atomic():
        locked = PartnerOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status_id != StatusId.CANCELLED:
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


# --- poller and reconciliation (Celery periodic tasks, partner.tasks) ------------------------------------------
@dataclass(frozen=True)
class PollSummary:
    checked: int
    changed: int
    failed: int


def partner_orders_poll(*, limit: int | None = None, budget: float | None = None) -> PollSummary:
    """Refresh the status of open orders (placed, not done or cancelled), least recently checked first.

    The batch is claimed first (its `status_checked_at` set, committed), so passes running at once take different
    orders; no new order is started once `budget` seconds have passed (each call has its own deadline).
    """
    started = time.monotonic()
    with transaction.atomic():
        batch = list(
            partner_orders_open(limit=limit or partner_settings().poll_batch_size)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        PartnerOrder.objects.filter(pk__in=batch).update(status_checked_at=timezone.now())
    checked = changed = failed = 0
    for order in PartnerOrder.objects.filter(pk__in=batch).order_by("id"):
        if budget is not None and time.monotonic() - started > budget:
            break
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


@dataclass(frozen=True)
class ReconcileSummary:
    placed: int
    not_created: int
    failed: int
    duplicates_cancelled: int


def partner_orders_reconcile(*, limit: int | None = None, budget: float | None = None) -> ReconcileSummary:
    """Settle orders whose `/create` outcome is unknown and that nobody is working on (a timeout the client never
    retried, a worker that died after sending): older than `PARTNERAPI_RECONCILE_AFTER`, their lease free.

    `find-orders` decides: the partner has it → placed (history, `created` event; extras cancelled); it does not
    → not placed (`new`; the client's next request sends `/create`). Extra partner orders whose cancel failed are
    tried again.
    """
    conf = partner_settings()
    started = time.monotonic()
    now = timezone.now()
    due = list(
        PartnerOrder.objects.filter(placement=Placement.UNKNOWN, their_order_id__isnull=True)
        .filter(create_sent_at__lte=now - timedelta(seconds=conf.reconcile_after))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("create_sent_at", "id")
        .values_list("pk", flat=True)[: limit or conf.poll_batch_size]
    )
    placed = not_created = failed = 0
    client = PartnerClient()
    for pk in due:
        if budget is not None and time.monotonic() - started > budget:
            break
        lease = _lease_take(pk=pk, seconds=conf.placing_lease, placing=True)
        if lease is None:
            continue
        try:
            order = PartnerOrder.objects.get(pk=pk)
            if order.placement != Placement.UNKNOWN:
                continue
            try:
                found = client.find_orders(order.order_id)
            except PartnerError as exc:
                logger.warning("Reconciling order %s: %s", order.order_id, exc)
                failed += 1
                continue
            if found:
                _settle_found(order=order, found=found, client=client, source=PartnerOrderStatusChange.Source.RECONCILE)
                placed += 1
            elif _settled_as_absent(order, conf):
                PartnerOrder.objects.filter(pk=pk, placement=Placement.UNKNOWN).update(
                    placement=Placement.NEW, last_error="not created: find-orders does not show it", updated_at=now
                )
                logger.warning("Reconciling order %s: the partner does not have it; not placed", order.order_id)
                not_created += 1
        finally:
            _lease_release(pk=pk, until=lease)
    duplicates = partner_duplicates_cancel(client=client)
    return ReconcileSummary(placed=placed, not_created=not_created, failed=failed, duplicates_cancelled=duplicates)
