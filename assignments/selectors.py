"""Reads of assigned orders."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from assignments.models import AssignedOrder, AssignedOrderStatus

#: an order acquired longer ago than this and not finished needs a look (the admin index links to them)
STALE_AFTER = timedelta(days=1)


def assigned_order_list() -> QuerySet[AssignedOrder]:
    """Every assigned order, newest first; the filters in filters.py narrow it (each has an index)."""
    return AssignedOrder.objects.order_by("-assigned_at", "-id")


def stale_acquired(queryset: QuerySet[AssignedOrder] | None = None) -> QuerySet[AssignedOrder]:
    """Orders acquired more than `STALE_AFTER` ago and neither completed nor cancelled."""
    orders = AssignedOrder.objects.all() if queryset is None else queryset
    return orders.filter(status=AssignedOrderStatus.ACQUIRED, acquired_at__lt=timezone.now() - STALE_AFTER)
