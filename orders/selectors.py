"""Every read of organization orders: the nested creator/executor/organization/service shapes
come from one select_related query."""

from typing import Any

from django.db.models import QuerySet

from orders.models import Order
from organizations.selectors import organization_object_get

# A service belongs to its order's organization, so the serializer reuses `organization` for it: five joins, not
# eight (planning a nine-table join cost more than running it).
ORDER_RELATIONS = ("creator", "executor", "organization__creator", "service")


def order_list(*, organization_id: int) -> QuerySet[Order]:
    """The organization's orders, newest first."""
    return Order.objects.filter(organization_id=organization_id).select_related(*ORDER_RELATIONS)


def order_list_by_creator(*, organization_id: int, user: Any) -> QuerySet[Order]:
    return order_list(organization_id=organization_id).filter(creator_id=user.pk)


def order_get(*, order_id: int, organization_id: int | None = None) -> Order:
    """One organization order (only of `organization_id`, when given), or a 404 "No Order matches the given query."."""
    orders = Order.objects.select_related(*ORDER_RELATIONS)
    if organization_id is not None:
        orders = orders.filter(organization_id=organization_id)
    return organization_object_get(orders, pk=order_id)
