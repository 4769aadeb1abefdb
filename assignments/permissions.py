"""Who may do what with assigned orders.

Dispatchers hold the app's model permissions (the "Dispatchers" group, editable in the admin):
add → assign, change → cancel and complete, view → list. An executor acquires only their own orders:
the `executor_id` they send must be their user id.
"""

from typing import Any

from django.contrib.auth.models import Group, Permission

from accounts.models import User
from common.permissions import IsConfirmedUser

DISPATCHERS_GROUP = "Dispatchers"


class HasAssignmentPermission(IsConfirmedUser):
    """Confirmed user holding the view's `required_permission` (e.g. "assignments.add_assignedorder")."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return super().has_permission(request, view) and request.user.has_perm(view.required_permission)


def can_acquire(user: User, executor_id: str) -> bool:
    return executor_id == str(user.pk)


def ensure_dispatchers_group() -> Group:
    """The Dispatchers group; given every assignments permission when first created (later edits are kept)."""
    group, created = Group.objects.get_or_create(name=DISPATCHERS_GROUP)
    if created:
        group.permissions.set(Permission.objects.filter(content_type__app_label="assignments"))
    return group
