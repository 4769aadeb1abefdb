"""Order codes: random 15-digit numbers drawn server-side, one allocator for both kinds of order.

Organization orders (`orders.Order`) and marketplace orders (`reviews.MarketplaceOrder`) are separate tables.
Each table's code is unique (a unique constraint); codes are not made unique across the two tables, because no
client looks an order up by code across products: document 001 shows `order_code` on organization orders only,
and the marketplace answers with its own order ids. Both draw codes here and share the collision rule.
"""

import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

from common.errors import CommonErrorCode, ConflictError

ORDER_CODE_MIN = 10**14  # 15 digits
ORDER_CODE_MAX = 10**15 - 1
ORDER_CODE_ATTEMPTS = 5

M = TypeVar("M", bound=models.Model)


def generate_order_code() -> int:
    return ORDER_CODE_MIN + secrets.randbelow(ORDER_CODE_MAX - ORDER_CODE_MIN + 1)


class OrderCodeField(models.BigIntegerField):
    """The `order_code` column: unique, drawn by `create_with_order_code`, never edited."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("unique", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.BigIntegerField", args, kwargs


class OrderCodeUnavailableError(ConflictError):
    def __init__(self) -> None:
        super().__init__(
            CommonErrorCode.ORDER_CODE_UNAVAILABLE, "Could not allocate a unique order code; please retry."
        )


@transaction.atomic
def create_with_order_code(
    model: type[M], *, generate_code: Callable[[], int] = generate_order_code, **fields: Any
) -> M:
    """Create a `model` row with a random unique order code.

    A colliding code is retried inside a savepoint, so the surrounding transaction stays usable; any other
    integrity error is raised as it is. After ORDER_CODE_ATTEMPTS collisions → 409, never a 500.
    """
    for _ in range(ORDER_CODE_ATTEMPTS):
        code = generate_code()
        try:
            with transaction.atomic():
                return model._default_manager.create(order_code=code, **fields)
        except IntegrityError:
            if not model._default_manager.filter(order_code=code).exists():
                raise
    raise OrderCodeUnavailableError()
