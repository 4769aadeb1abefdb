"""Every state change of organization orders (document 001)."""

from collections.abc import Callable
from typing import Any

from django.db import transaction

from common.order_codes import ORDER_CODE_ATTEMPTS, OrderCodeUnavailableError, create_with_order_code
from common.services import model_update
from orders.models import Order, generate_order_code
from organizations.selectors import organization_object_get

__all__ = ["ORDER_CODE_ATTEMPTS", "OrderCodeUnavailableError", "order_create", "order_delete", "order_update"]


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
    """Create an organization order with a fresh order code (409 after repeated collisions)."""
    return create_with_order_code(
        Order,
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
    # deleted since the view found it: the same 404 as an unknown order
    order = organization_object_get(Order.objects.select_for_update(), pk=order_id)
    order, _changes = model_update(instance=order, fields=_UPDATABLE, data=fields)
    return order


@transaction.atomic
def order_delete(*, order_id: int) -> None:
    Order.objects.filter(pk=order_id).delete()
