"""Who may do what with assigned orders.

Dispatchers hold the app's Django model permissions (the "Dispatchers" group, created by migration 0002 and
editable in the admin; the permissions can also be granted to single users): add → assign, change → cancel and
complete, view → list. An executor acquires only their own order: the `executor_id` they send must be their
user id, dispatchers included.
"""

from typing import Any

from django.contrib.auth.models import Group
from rest_framework.permissions import BasePermission

from common.groups import keep_group
from common.permissions import ModelPermissions

DISPATCHERS_GROUP = "Dispatchers"

#: post_migrate receiver (connected in AssignmentsConfig.ready): a flushed database gets the group back.
keep_dispatchers_group = keep_group("assignments", DISPATCHERS_GROUP)


class DispatcherPermissions(ModelPermissions):
    """The app's model permissions, for document 002's verbs: its PUT creates (assign → add) and its POSTs
    change an existing order (cancel, complete → change); GET lists (view). Views name `permission_model`."""

    perms_map: dict[str, list[str]] = {
        **ModelPermissions.perms_map,
        "PUT": ["%(app_label)s.add_%(model_name)s"],
        "POST": ["%(app_label)s.change_%(model_name)s"],
    }


class IsTheExecutor(BasePermission):
    """Object rule of acquire: the "object" is the executor id the request names, which must be the caller's
    own user id. The view checks it once the parameters are valid, so a missing one stays the document's 400."""

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return str(obj) == str(request.user.pk)


def ensure_dispatchers_group() -> Group:
    """The Dispatchers group: made by migration 0002, kept by post_migrate."""
    return Group.objects.get(name=DISPATCHERS_GROUP)
