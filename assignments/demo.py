"""Demo data for document 002: a dispatcher, two executors and assigned orders in every status."""

from accounts.demo import ensure_user
from accounts.models import User
from assignments import services
from assignments.models import AssignedOrder, AssignedOrderStatus
from assignments.permissions import ensure_dispatchers_group


def _ensure_order(*, order_id: str, executor_id: str, zone_id: str, status: str, actor: User) -> None:
    if AssignedOrder.objects.filter(order_id=order_id).exists():
        return
    services.assigned_order_assign(order_id=order_id, executor_id=executor_id, zone_id=zone_id, actor=actor)
    if status in (AssignedOrderStatus.ACQUIRED, AssignedOrderStatus.COMPLETED):
        services.assigned_order_acquire(executor_id=executor_id)
    if status == AssignedOrderStatus.COMPLETED:
        services.assigned_order_complete(order_id=order_id, actor=actor)
    if status == AssignedOrderStatus.CANCELLED:
        services.assigned_order_cancel(order_id=order_id, actor=actor)


def seed_demo(*, password: str) -> list[tuple[str, str]]:
    dispatcher = ensure_user(username="dispatcher", password=password, first_name="Dina", last_name="Dispatcher")
    dispatcher.groups.add(ensure_dispatchers_group())
    courier = ensure_user(username="courier", password=password, first_name="Kirill", last_name="Courier")
    courier2 = ensure_user(username="courier2", password=password, first_name="Vera", last_name="Courier")
    # Finished orders first: each new assignment completes the executor's active one.
    for order_id, executor, status in (
        ("demo-ord-1", courier, AssignedOrderStatus.COMPLETED),
        ("demo-ord-2", courier, AssignedOrderStatus.CANCELLED),
        ("demo-ord-3", courier, AssignedOrderStatus.ASSIGNED),
        ("demo-ord-4", courier2, AssignedOrderStatus.ACQUIRED),
    ):
        _ensure_order(
            order_id=order_id, executor_id=str(executor.pk), zone_id="zone-north", status=status, actor=dispatcher
        )
    return [
        ("dispatcher", "Dispatchers group: assign, cancel, complete, list assigned orders (/orders/assign...)"),
        ("courier", f"executor {courier.pk}: GET /order/acquire?executor_id={courier.pk} (an order is assigned)"),
        ("courier2", f"executor {courier2.pk}: has an acquired order"),
    ]
