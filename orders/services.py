"""Every state change of organization orders (document 001)."""

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from common.errors import ConflictError
from orders.models import Order, generate_order_code

ORDER_CODE_ATTEMPTS = 5


class OrderCodeUnavailableError(ConflictError):
    def __init__(self) -> None:
        super().__init__("order_code_unavailable", "Could not allocate a unique order code; please retry.")


@transaction.atomic
def order_create_with_code(*, generate_code: Callable[[], int] = generate_order_code, **fields: Any) -> Order:
    """Create an order (organization or marketplace) with a random unique 15-digit code.

    A colliding code is retried inside a savepoint, so the surrounding transaction stays usable; any other
    integrity error is raised as it is. After ORDER_CODE_ATTEMPTS collisions → 409, never a 500.
    """
    for _ in range(ORDER_CODE_ATTEMPTS):
        code = generate_code()
        try:
            with transaction.atomic():
                return Order.objects.create(order_code=code, **fields)
        except IntegrityError:
            if not Order.objects.filter(order_code=code).exists():
                raise
    raise OrderCodeUnavailableError()


def order_create(
    *,
    organization_id: int,
    creator: Any,
    executor: Any,
    client: Any,
    service: Any,
    description: str,
    generate_code: Callable[[], int] = generate_order_code,
) -> Order:
    """Create an organization order."""
    return order_create_with_code(
        generate_code=generate_code,
        organization_id=organization_id,
        creator=creator,
        executor=executor,
        client=client,
        service=service,
        description=description,
    )


_UPDATABLE = ("description", "executor", "done")


@transaction.atomic
def order_update(*, order_id: int, **fields: Any) -> Order:
    """Change an order's description, executor or done flag under a row lock."""
    order = Order.objects.select_for_update().get(pk=order_id)
    changed = [name for name in _UPDATABLE if name in fields]
    for name in changed:
        setattr(order, name, fields[name])
    if changed:
        order.save(update_fields=[*changed, "updated_at"])
    return order


@transaction.atomic
def order_delete(*, order_id: int) -> None:
    Order.objects.filter(pk=order_id).delete()
