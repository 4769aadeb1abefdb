"""Every state change of an assigned order. Each runs in one transaction, under a row lock, and writes history."""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from assignments.errors import (
    AssignedOrderAlreadyExists,
    AssignedOrderNotMovable,
    AssignmentErrorCode,
    AssignmentErrorMessage,
)
from assignments.events import assignment_event
from assignments.models import (
    ACTIVE_STATUSES,
    ASSIGNMENT_MACHINE,
    STATUS_TIMESTAMP_FIELD,
    AssignedOrder,
    AssignedOrderHistory,
    AssignedOrderStatus,
    AssignmentAction,
)

# How often an assign retries when another assign to the same executor committed in between.
ASSIGN_ATTEMPTS = 3


class _ExecutorRace(Exception):
    """Another transaction gave the same executor an active order after we looked; start over."""


def _record(
    order: AssignedOrder,
    *,
    action: str,
    from_status: str,
    actor: User | None,
    at: datetime,
) -> None:
    AssignedOrderHistory.objects.create(
        assigned_order=order,
        action=action,
        from_status=from_status,
        to_status=order.status,
        actor=actor,
        created_at=at,
    )
    assignment_event(order, action=action, from_status=from_status, actor=actor)


def _apply(order: AssignedOrder, action: str, *, actor: User | None, at: datetime) -> AssignedOrder:
    """Move a locked row along ALLOWED_TRANSITIONS (each action has one target), stamp the target's timestamp
    and record a status change; the callers pick rows the action may move."""
    (target,) = ASSIGNMENT_MACHINE.targets(by=action, from_state=order.status)
    timestamp_field = STATUS_TIMESTAMP_FIELD[target]
    setattr(order, timestamp_field, at)

    def record(from_status: str) -> None:
        if from_status != target:  # acquiring again only refreshes acquired_at
            _record(order, action=action, from_status=from_status, actor=actor, at=at)

    ASSIGNMENT_MACHINE.move(order, by=action, to=target, also=[timestamp_field], record=record)
    return order


def _locked_active_order(executor_id: str) -> AssignedOrder | None:
    # The partial unique constraint guarantees at most one row here.
    return (
        AssignedOrder.objects.select_for_update()
        .filter(executor_id=executor_id, status__in=sorted(ACTIVE_STATUSES))
        .first()
    )


def _serialize_per_executor(executor_id: str) -> None:
    """On PostgreSQL, assigns to one executor take turns (a transaction-scoped advisory lock), so the one
    who waited sees the order committed before it and completes it instead of colliding with it.
    Other engines serialize writers anyway; the retry in assigned_order_assign covers any engine."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"assignments.executor:{executor_id}"])


@transaction.atomic
def _assign_once(*, order_id: str, executor_id: str, zone_id: str, actor: User | None) -> AssignedOrder:
    _serialize_per_executor(executor_id)
    if AssignedOrder.objects.filter(order_id=order_id).exists():
        raise AssignedOrderAlreadyExists(order_id)
    now = timezone.now()
    current = _locked_active_order(executor_id)
    if current is not None:
        _apply(current, AssignmentAction.SUPERSEDE, actor=actor, at=now)
    try:
        with transaction.atomic():
            order = AssignedOrder.objects.create(
                order_id=order_id,
                executor_id=executor_id,
                zone_id=zone_id,
                status=AssignedOrderStatus.ASSIGNED,
                assigned_at=now,
            )
    except IntegrityError as exc:
        # Raising out of this function rolls the supersede back too: a refused assign changes nothing.
        if AssignedOrder.objects.filter(order_id=order_id).exists():
            raise AssignedOrderAlreadyExists(order_id) from exc
        if AssignedOrder.objects.filter(executor_id=executor_id, status__in=sorted(ACTIVE_STATUSES)).exists():
            raise _ExecutorRace from exc
        raise
    _record(order, action=AssignmentAction.ASSIGN, from_status="", actor=actor, at=now)
    return order


def assigned_order_assign(
    *,
    order_id: str,
    executor_id: str,
    zone_id: str,
    actor: User | None = None,
) -> AssignedOrder:
    """Register an order assigned to an executor.

    An executor carries one order at a time: an active (assigned or acquired) order they still hold is
    completed in the same transaction. A known order_id raises AssignedOrderAlreadyExists and changes
    nothing; concurrent duplicates are decided by the unique constraint on order_id.
    """
    for attempt in range(1, ASSIGN_ATTEMPTS + 1):
        try:
            return _assign_once(order_id=order_id, executor_id=executor_id, zone_id=zone_id, actor=actor)
        except _ExecutorRace:
            if attempt == ASSIGN_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


_ACQUIRE_REFRESHES = sorted(  # the states acquiring again leaves as they are: only acquired_at is refreshed
    src
    for src in ASSIGNMENT_MACHINE.sources(by=AssignmentAction.ACQUIRE)
    if ASSIGNMENT_MACHINE.targets(by=AssignmentAction.ACQUIRE, from_state=src) == {src}
)
_ACQUIRE_MOVES = sorted(ASSIGNMENT_MACHINE.sources(by=AssignmentAction.ACQUIRE) - set(_ACQUIRE_REFRESHES))
_ORDER_FIELDS = AssignedOrder._meta.concrete_fields
_ORDER_COLUMNS = ", ".join(str(field.column) for field in _ORDER_FIELDS)
# One round trip for what most acquires are: the conditional UPDATE locks and refreshes an order already acquired
# (it rechecks the state on the row's latest version; no history row, no event, as for any acquire that moves
# nothing); else, from the same statement's snapshot, whether an order waits to be moved (the locked path below)
# or none is active (nothing to acquire, as a SELECT ... FOR UPDATE finding no row says).
_ACQUIRE_AGAIN_SQL = f"""
    WITH refreshed AS (
        UPDATE assignments_assignedorder SET acquired_at = %s
        WHERE executor_id = %s AND status = ANY(%s)
        RETURNING {_ORDER_COLUMNS}
    )
    SELECT refreshed.*, EXISTS (
        SELECT 1 FROM assignments_assignedorder WHERE executor_id = %s AND status = ANY(%s)
    )
    FROM (SELECT 1) AS one LEFT JOIN refreshed ON true
"""


def assigned_order_acquire(*, executor_id: str, actor: User | None = None) -> AssignedOrder | None:
    """The executor takes their active order (acquired_at = now); None when they have none.

    Acquiring again returns the same order and refreshes acquired_at, in one statement; the first acquire moves
    the order under its row lock and records the move (history row and event) in the same transaction.
    """
    if connection.vendor == "postgresql":  # the one statement is PostgreSQL's (UPDATE in a WITH, = ANY(array))
        with connection.cursor() as cursor:
            now = timezone.now()
            cursor.execute(_ACQUIRE_AGAIN_SQL, [now, executor_id, _ACQUIRE_REFRESHES, executor_id, _ACQUIRE_MOVES])
            *order_row, waiting = cursor.fetchone()
        if order_row[0] is not None:
            return AssignedOrder.from_db(connection.alias, [f.attname for f in _ORDER_FIELDS], order_row)
        if not waiting:
            return None
    with transaction.atomic():  # the move under the row's lock (and, elsewhere than PostgreSQL, every acquire)
        order = _locked_active_order(executor_id)
        if order is None:
            return None
        return _apply(order, AssignmentAction.ACQUIRE, actor=actor, at=timezone.now())


# What refusing each dispatcher move says: the order is unknown, or its status does not allow the move.
_REFUSALS: dict[str, tuple[AssignmentErrorCode, AssignmentErrorMessage]] = {
    AssignmentAction.CANCEL: (AssignmentErrorCode.NOT_CANCELABLE, AssignmentErrorMessage.NOT_CANCELABLE),
    AssignmentAction.COMPLETE: (AssignmentErrorCode.NOT_COMPLETABLE, AssignmentErrorMessage.NOT_COMPLETABLE),
}


@transaction.atomic
def _transition_by_order_id(*, order_id: str, action: str, actor: User | None) -> AssignedOrder:
    order = AssignedOrder.objects.select_for_update().filter(order_id=order_id).first()
    if order is None or not ASSIGNMENT_MACHINE.targets(by=action, from_state=order.status):
        code, message = _REFUSALS[action]
        raise AssignedOrderNotMovable(code, message, order_id=order_id)
    return _apply(order, action, actor=actor, at=timezone.now())


def assigned_order_cancel(*, order_id: str, actor: User | None = None) -> AssignedOrder:
    """Cancel an assigned or acquired order; AssignedOrderNotMovable when unknown, completed or cancelled."""
    return _transition_by_order_id(order_id=order_id, action=AssignmentAction.CANCEL, actor=actor)


def assigned_order_complete(*, order_id: str, actor: User | None = None) -> AssignedOrder:
    """Complete an acquired order; AssignedOrderNotMovable when unknown or not acquired."""
    return _transition_by_order_id(order_id=order_id, action=AssignmentAction.COMPLETE, actor=actor)
