"""Reads of assigned orders."""

from django.db.models import QuerySet

from assignments.models import AssignedOrder


def assigned_order_list() -> QuerySet[AssignedOrder]:
    """Every assigned order, newest first; the filters in filters.py narrow it (each has an index)."""
    return AssignedOrder.objects.order_by("-assigned_at", "-id")
